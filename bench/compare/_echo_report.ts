/**
 * The echo servers in the comparison's report: what one server's runs gave, our
 * targets for them, and the report's echo section.
 *
 * @module
 */
import { mean, median, num, ratio } from "./_numbers.ts";

/** Round trips per second of one echo server, one entry per round. */
export interface EchoResult {
  name: string;
  label: string;
  rtt: number[];
  /** The server's CPU time in user mode per round trip, µs: its own code's. */
  userUs: number[];
  /** The server's CPU time in the kernel per round trip, µs: mostly the same calls for every server. */
  sysUs: number[];
  error?: string | undefined;
}

/**
 * Our echo-server targets, the one place they are stated (the report and the README
 * read them): a `DefaultSelector` loop on Deno (`recvInto` one buffer, as a fast server
 * reads) against CPython's selectors server and `Deno.listen`, and the example's
 * `selectAsync` loop against CPython's.
 */
export const ECHO_TARGETS = {
  /** Server CPU in user mode per round trip, at most this times CPython's. */
  cpuOverPython: 0.85,
  /** Round trips per second, at least this times CPython's. */
  rateOverPython: 1.15,
  /** Round trips per second, at least this times Deno.listen's. */
  rateOverDenoListen: 1.2,
  /** The example's round trips per second, at least this times CPython's. */
  exampleOverPython: 1.0,
} as const;

/** Each iomux server against {@linkcode ECHO_TARGETS}, one Markdown item per server. */
export function echoTargets(echo: readonly EchoResult[]): string[] {
  const rate = (name: string) => median(echo.find((e) => e.name === name)?.rtt ?? []);
  const py = rate("python");
  const listen = rate("deno.listen");
  const pyCpu = mean(echo.find((e) => e.name === "python")?.userUs ?? []);
  const ok = (yes: boolean) => (yes ? "✅" : "❌");
  const t = ECHO_TARGETS;
  const lines: string[] = [];
  // The loop targets are on the loop as a fast server is written (one buffer for every
  // read); its `recv(65536)` twin, a new array per read, is shown for comparison.
  const targeted = (e: EchoResult) => e.name === "iomux.recvInto" || e.name === "iomux.example";
  for (const e of echo.filter((e) => targeted(e) && !e.error)) {
    const r = median(e.rtt);
    const a = r / py, b = r / listen, c = mean(e.userUs) / pyCpu;
    if (e.name === "iomux.example") {
      lines.push(
        `- ${e.label}: ≥ ${t.exampleOverPython.toFixed(1)}× CPython's throughput: ` +
          `**${ratio(a)}** ${ok(a >= t.exampleOverPython)}.`,
      );
      continue;
    }
    lines.push(
      `- ${e.label}: server CPU (user) per round trip ≤ ${t.cpuOverPython}× CPython's: ` +
        `**${ratio(c)}** ${ok(c <= t.cpuOverPython)}; throughput ≥ ${t.rateOverPython}× ` +
        `CPython: **${ratio(a)}** ${ok(a >= t.rateOverPython)}; ≥ ${t.rateOverDenoListen}× ` +
        `Deno.listen: **${ratio(b)}** ${ok(b >= t.rateOverDenoListen)}.`,
    );
  }
  return lines;
}

/** The report's echo section: the table of every server, then our targets. */
export function echoSection(echo: readonly EchoResult[], echoLoad: readonly number[]): string[] {
  if (echo.length === 0) return ["Not run: it needs a C compiler for the load client."];
  const rate = (name: string) => median(echo.find((e) => e.name === name)?.rtt ?? []);
  const py = rate("python");
  const listen = rate("deno.listen");
  const lines = [
    `${echoLoad[0]} clients × ${num(echoLoad[1]!)} round trips of ${echoLoad[2]} B on ` +
    "127.0.0.1, after a warm-up of a tenth of that (so that neither accept() nor a JIT " +
    "compiler is timed); one C load client (one epoll thread) against each server in turn, " +
    `${echo[0]?.rtt.length ?? 0} rounds interleaved; round trips per second, median. ` +
    "The server's CPU time per round trip (from /proc, in 10 ms ticks: the mean over the " +
    "rounds, which is their total's) is split into user mode, " +
    "its own code, and the kernel's, which is mostly the same recv, send and epoll_wait " +
    "calls for every server; the CPU target is on the user time.",
    "",
    "| server | round trips/s | ÷ CPython | ÷ Deno.listen | server CPU µs per round trip, user | " +
    "CPython's ÷ this | system | round trips/s, each round |",
    "|---|--:|--:|--:|--:|--:|--:|---|",
  ];
  const pyCpu = mean(echo.find((e) => e.name === "python")?.userUs ?? []);
  for (const e of echo) {
    if (e.error) {
      lines.push(`| ${e.label} | failed: \`${e.error}\` | | | | | | |`);
      continue;
    }
    const r = median(e.rtt);
    const cpu = mean(e.userUs);
    lines.push(
      `| ${e.label} | ${num(r)} | ${ratio(r / py)} | ${ratio(r / listen)} | ${num(cpu, 2)} | ${
        ratio(pyCpu / cpu)
      } | ${num(mean(e.sysUs), 2)} | ${e.rtt.map((x) => num(x)).join(", ")} |`,
    );
  }
  lines.push("", "Our targets:", "", ...echoTargets(echo));
  return lines;
}
