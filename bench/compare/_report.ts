/**
 * The comparison's report: medians, ratios and iomux's performance targets as Markdown.
 *
 * @module
 */
import type { Toolchain, Variant } from "./_toolchain.ts";
import { type FloorRuntime, type FloorSample, floorSection } from "./_floor.ts";
import { type EchoResult, echoSection } from "./_echo_report.ts";
import { median, num, ratio } from "./_numbers.ts";

/** Every round's ns per call of one variant at one N (key `id@n`). */
export interface Sample {
  variant: Variant;
  ns: number[];
  error?: string;
}

/** Samples by `id@n`. */
export type Samples = Map<string, Sample>;

/** What bench/compare/js/heap.ts prints. */
export interface HeapResult {
  rows: { call: string; bytes: number; resultBytes: number }[];
  calls: number;
  heapBefore: number;
  heapAfter: number;
}

/** Everything the report shows. */
export interface ReportInput {
  env: Record<string, string>;
  toolchain: Toolchain;
  samples: Samples;
  /** The in-process ratios to the C floor (`_floor.ts`). */
  floor: {
    samples: ReadonlyMap<string, FloorSample>;
    runtimes: readonly FloorRuntime[];
    rounds: number;
  };
  echo: EchoResult[];
  echoLoad: number[];
  heap: HeapResult | null;
  rounds: number;
  budgetMs: number;
  seconds: number;
  baseline: Readonly<Record<string, string>>;
}

const RUNTIME_LABEL: Record<string, string> = {
  c: "C",
  python: "CPython",
  deno: "Deno iomux",
  node: "Node iomux (node:ffi)",
  "node-koffi": "Node iomux (koffi)",
  bun: "Bun iomux",
};

const CALL_LABEL: Record<string, Record<string, string>> = {
  c: {
    epoll_wait: "`epoll_wait(ep, ev, 1024, 0)`",
    poll: "`poll(fds, N, 0)`",
    select: "`select(…, &zero)`",
  },
  python: {
    selectors: "`DefaultSelector().select(0)`",
    epoll: "`select.epoll().poll(0)`",
    poll: "`select.poll().poll(0)`",
    select: "`select.select(fds, [], [], 0)`",
  },
  js: {
    selectors: "`DefaultSelector.select(0)`",
    epoll: "`Epoll.poll(0)`",
    poll: "`Poll.poll(0)`",
    select: "`select(fds, [], [], 0)`",
    "selectors-async": "`await selectAsync(0)`",
    "epoll-async": "`await Epoll.pollAsync(0)`",
    "raw-epoll_wait": "`epoll_wait` via `Deno.dlopen`",
  },
};

/** `Deno iomux Epoll.poll(0)` and so on. */
export function variantLabel(runtime: string, mechanism: string): string {
  const calls = CALL_LABEL[runtime] ?? CALL_LABEL.js!;
  const who = mechanism.startsWith("raw-") ? "Deno, no iomux:" : RUNTIME_LABEL[runtime] ?? runtime;
  return `${who} ${calls[mechanism] ?? mechanism}`;
}

const MECHANISMS = [
  "selectors",
  "selectors-async",
  "epoll",
  "epoll-async",
  "raw-epoll_wait",
  "poll",
  "select",
];
const RUNTIMES = ["c", "python", "deno", "node", "node-koffi", "bun"];
const NS = [10, 1000, 10000];

/** Median ns of `runtime.mechanism` at N, or NaN. */
export function cost(samples: Samples, id: string, n: number): number {
  return median(samples.get(`${id}@${n}`)?.ns ?? []);
}

function pythonTwin(mechanism: string): string {
  const m = mechanism.replace(/-async$/, "").replace(/^raw-/, "");
  return `python.${m === "epoll_wait" ? "epoll" : m}`;
}

function costTable(input: ReportInput): string[] {
  const { samples, baseline } = input;
  const head = ["variant", ...NS.flatMap((n) => [`N=${num(n)} ns`, "÷ C", "CPython ÷"])];
  const lines = [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i ? "--:" : "---")).join("|")}|`,
  ];
  const errors: string[] = [];
  for (const mechanism of MECHANISMS) {
    for (const runtime of RUNTIMES) {
      const m = runtime === "c" && mechanism === "epoll" ? "epoll_wait" : mechanism;
      const id = `${runtime}.${m}`;
      const present = NS.map((n) => samples.get(`${id}@${n}`));
      if (!present.some((s) => s)) continue;
      const error = present.find((s) => s?.error)?.error;
      if (error) {
        errors.push(`- ${variantLabel(runtime, m)}: failed: \`${error}\``);
        continue;
      }
      const cells = NS.flatMap((n) => {
        const ns = cost(samples, id, n);
        const c = cost(samples, baseline[m]!, n);
        const py = cost(samples, pythonTwin(m), n);
        return [num(ns), ratio(ns / c), ratio(py / ns)];
      });
      lines.push(`| ${variantLabel(runtime, m)} | ${cells.join(" | ")} |`);
    }
  }
  return [...lines, ...(errors.length ? ["", ...errors] : [])];
}

type Check = { value: number; ok: boolean } | null;

function check(value: number, ok: (v: number) => boolean): Check {
  return Number.isFinite(value) ? { value, ok: ok(value) } : null;
}

function targetTable(input: ReportInput): string[] {
  const { samples } = input;
  const js = input.toolchain.js.map((j) => j.name);
  /** The cost of a variant: the median round, or (for the second figure) the best. */
  type At = (id: string, n: number) => number;
  const medianAt: At = (id, n) => cost(samples, id, n);
  const bestAt: At = (id, n) => Math.min(...(samples.get(`${id}@${n}`)?.ns ?? [NaN]));
  const rows: [string, (rt: string, at: At) => Check][] = [];
  for (const n of NS) {
    rows.push([
      `\`DefaultSelector.select(0)\` ÷ C \`epoll_wait\`, N=${num(n)}`,
      (rt, at) =>
        check(
          at(`${rt}.selectors`, n) / at("c.epoll_wait", n),
          (v) => v <= 1.25,
        ),
    ]);
  }
  for (const n of NS) {
    rows.push([
      `\`DefaultSelector.select(0)\`: times faster than CPython's, N=${num(n)}`,
      (rt, at) =>
        check(
          at("python.selectors", n) / at(`${rt}.selectors`, n),
          (v) => v >= 3,
        ),
    ]);
  }
  for (const m of ["poll", "select"]) {
    rows.push([
      `\`${m === "poll" ? "Poll.poll(0)" : "select()"}\` ÷ C \`${m}\`, N=1,000`,
      (rt, at) => check(at(`${rt}.${m}`, 1000) / at(`c.${m}`, 1000), (v) => v <= 1.1),
    ]);
  }
  for (const [a, label] of [["selectors", "selectAsync(0)"], ["epoll", "Epoll.pollAsync(0)"]]) {
    for (const n of NS) {
      rows.push([
        `\`await ${label}\` ÷ its sync twin, N=${num(n)}`,
        (rt, at) =>
          check(
            at(`${rt}.${a}-async`, n) / at(`${rt}.${a}`, n),
            (v) => v <= 1.5,
          ),
      ]);
    }
  }
  const head = ["ratio", ...input.toolchain.js.map((j) => j.label)];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const [label, f] of rows) {
    const cells = js.map((rt) => {
      const c = f(rt, medianAt);
      if (!c) return "not measured";
      const best = f(rt, bestAt)!;
      const shown = label.includes("faster") ? `${c.value.toFixed(2)}× faster` : ratio(c.value);
      return `${shown} (best: ${best.value.toFixed(2)}×)`;
    });
    lines.push(`| ${label} | ${cells.join(" | ")} |`);
  }
  return lines;
}

function heapSection(input: ReportInput): string[] {
  const h = input.heap;
  if (!h) return ["Not measured (bench/compare/js/heap.ts failed)."];
  const lines = [
    "Bytes allocated per call in Deno (the readiness calls with N = 10, 5 ready; the byte " +
    "calls a round trip of 64 B over a socket pair or a pipe), next to a baseline that only " +
    "builds what the call returns (heapUsed deltas over 20,000-call stretches with no " +
    "collection in them):",
    "",
    "| call | bytes per call | its result alone | other allocation |",
    "|---|--:|--:|--:|",
  ];
  for (const r of h.rows) {
    lines.push(
      `| \`${r.call}\` | ${num(r.bytes, 1)} | ${num(r.resultBytes, 1)} | ${
        num(r.bytes - r.resultBytes, 1)
      } |`,
    );
  }
  const sel = h.rows.find((r) => r.call.startsWith("select("));
  const growth = h.heapAfter - h.heapBefore;
  lines.push(
    "",
    `Heap in use after a full collection, before and after ${num(h.calls)} \`select()\` calls: ` +
      `${num(h.heapBefore)} → ${num(h.heapAfter)} bytes (${growth >= 0 ? "+" : ""}${num(growth)}, ${
        (growth / h.calls).toFixed(3)
      } bytes per call).`,
    "",
    // A leak of even one byte per call would show as a megabyte over 1M calls; what
    // stays is a fixed amount (compiled code, feedback), whatever the call count.
    `Target: steady-state calls allocate nothing but their result (every row's other ` +
      `allocation under 8 bytes per call; heap growth over the \`select()\` calls under ` +
      `64 KiB): ${
        sel && h.rows.every((r) => r.bytes - r.resultBytes < 8) && growth < 65536 ? "✅" : "❌"
      }.`,
  );
  return lines;
}

/** The whole report. */
export function markdown(input: ReportInput): string {
  const env = Object.entries(input.env).map(([k, v]) => `${k}: ${v}`).join("; ");
  const missing = input.toolchain.missing.map((m) => `- skipped: ${m}`);
  return [
    "# iomux benchmark results",
    "",
    "Written by `deno task bench:compare`. Every variant is a separate process; each round runs",
    `all of them once, in a rotated order (${input.rounds} rounds, ${input.budgetMs} ms per ` +
    `process, median of 5 batches inside it); tables show the median over rounds. Whole run: ` +
    `${input.seconds} s.`,
    "",
    `Machine: ${env}.`,
    ...(missing.length ? ["", ...missing] : []),
    "",
    "## Against the C floor, in the same process",
    "",
    ...floorSection(input.floor.samples, input.floor.runtimes, input.floor.rounds),
    "",
    "## Separate processes",
    "",
    "The same calls, each variant in a process of its own, wall-clock time; the ratios to C",
    "compare a JS process with a C one (other threads, other caches), so they are shown for",
    "information: our targets are the in-process ones above. From the median rounds; in",
    "parentheses, the same ratio from each variant's best round.",
    "",
    ...targetTable(input),
    "",
    "## Cost of one readiness call",
    "",
    "N watched pipe fds (both ends of N/2 pipes, watched for reading), 5 ready, timeout 0.",
    "÷ C: this time over the C program's with the same mechanism (`DefaultSelector` is",
    "compared with `epoll_wait`); the C programs run one idle extra thread, as every JS",
    "runtime does (bench/compare/c/mux.h says why). CPython ÷: CPython's time for the same",
    "call over this one.",
    "",
    ...costTable(input),
    "",
    "![cost per call against N](results.svg)",
    "",
    "## Allocation of steady-state calls",
    "",
    ...heapSection(input),
    "",
    "## Echo server",
    "",
    ...echoSection(input.echo, input.echoLoad),
    "",
  ].join("\n");
}
