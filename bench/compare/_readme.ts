/**
 * The README's short view of a comparison run: one table of the selector calls, one
 * line per echo server, written between the markers of its "Performance" section so
 * that the README always shows the committed bench/results.md.
 *
 * @module
 */
import { cost, type ReportInput, variantLabel } from "./_report.ts";
import { echoTargets } from "./_echo_report.ts";
import { mean, median } from "./_numbers.ts";
import { floorTargets } from "./_floor.ts";

/** The markers in README.md that enclose the generated part. */
export const START = "<!-- bench:compare:start -->";
/** See {@linkcode START}. */
export const END = "<!-- bench:compare:end -->";

const NS = [10, 1000, 10000];
const num = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "–");

/** The generated part of the README section. */
export function readmeSummary(input: ReportInput): string {
  const { samples } = input;
  const rows: [string, string, string][] = [
    ["c", "epoll_wait", "c.epoll_wait"],
    ["python", "selectors", "c.epoll_wait"],
    ...["deno", "node", "node-koffi", "bun"].map((rt): [string, string, string] => [
      rt,
      "selectors",
      "c.epoll_wait",
    ]),
    ["deno", "raw-epoll_wait", "c.epoll_wait"],
    ["c", "poll", "c.poll"],
    ["deno", "poll", "c.poll"],
    ["c", "select", "c.select"],
    ["deno", "select", "c.select"],
  ];
  const lines = [
    "Inside one process, iomux's CPU time over a C loop of the same system call on the same",
    "fds, called through the same FFI (5 of N pipe fds ready, timeout 0):",
    "",
    ...floorTargets(input.floor.samples, input.floor.runtimes),
    "",
    "Each call in a process of its own (wall clock; C in a C process):",
    "",
    `| one call, 5 of N fds ready, timeout 0 | ${NS.map((n) => `N = ${num(n)}`).join(" | ")} | ` +
    "CPython's time ÷ this |",
    "|---|--:|--:|--:|--:|",
  ];
  for (const [rt, m, c] of rows) {
    const id = `${rt}.${m}`;
    if (!NS.some((n) => Number.isFinite(cost(samples, id, n)))) continue;
    const cells = NS.map((n) => {
      const ns = cost(samples, id, n);
      if (!Number.isFinite(ns)) return "–";
      return rt === "c" ? `${num(ns)} ns` : `${num(ns)} ns (${times(ns / cost(samples, c, n))} C)`;
    });
    const twin = m === "selectors" ? "python.selectors" : `python.${m.replace(/^raw-/, "")}`;
    const faster = rt === "python"
      ? "1×"
      : NS.map((n) =>
        times(cost(samples, twin.replace("epoll_wait", "epoll"), n) / cost(samples, id, n))
      )
        .join(" / ");
    lines.push(`| ${variantLabel(rt, m)} | ${cells.join(" | ")} | ${faster} |`);
  }
  const echo = input.echo.filter((e) => !e.error && e.rtt.length > 0);
  if (echo.length > 0) {
    const py = median(echo.find((e) => e.name === "python")?.rtt ?? []);
    const pyCpu = mean(echo.find((e) => e.name === "python")?.userUs ?? []);
    lines.push(
      "",
      `Echo server, ${input.echoLoad[0]} clients × ${num(input.echoLoad[1]!)} round trips of ` +
        `${input.echoLoad[2]} B on 127.0.0.1 (one C load client), median of ` +
        `${echo[0]!.rtt.length} rounds:`,
      "",
      "| server | round trips/s | ÷ CPython | server CPU (user) per round trip |",
      "|---|--:|--:|--:|",
      ...echo.map((e) => {
        const r = median(e.rtt), cpu = mean(e.userUs);
        return `| ${e.label} | ${num(r)} | ${times(r / py)} | ${cpu.toFixed(2)} µs (CPython ${
          pyCpu.toFixed(2)
        }) |`;
      }),
      "",
      "Our echo targets:",
      "",
      ...echoTargets(echo),
    );
  }
  lines.push(
    "",
    `${input.env.date}; ${input.env.cpu}; ${input.env.os}. ` +
      "Our targets, every round and the allocation check: " +
      "[bench/results.md](bench/results.md).",
  );
  return lines.join("\n");
}

/** README.md with the part between the markers replaced, or null without markers. */
export function withSummary(readme: string, summary: string): string | null {
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) return null;
  return `${readme.slice(0, a + START.length)}\n\n${summary}\n\n${readme.slice(b)}`;
}
