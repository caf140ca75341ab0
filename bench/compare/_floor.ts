/**
 * iomux against the C floor inside the same process (`js/floor.mjs`, `c/floor.c`):
 * which runs to make, the rounds, and the report section with our targets. A ratio
 * here is iomux's thread CPU time over a C loop of the same system call on the same
 * fds, called through the same runtime's FFI in interleaved chunks, so that load on
 * the machine, the kernel's per-call costs and the process's threads fall on both
 * sides alike.
 *
 * @module
 */
import { median } from "./_numbers.ts";
import type { JsRuntime, Toolchain } from "./_toolchain.ts";

/** One runtime the floor runs in, with the FFI iomux uses there. */
export interface FloorRuntime {
  /** Id in results: `deno`, `bun`, `node-koffi`, `node26-koffi`, `node26-ffi`. */
  readonly name: string;
  /** For the report: `Deno 2.9.6`, `Node v26.10.0 (node:ffi)`. */
  readonly label: string;
  readonly prefix: readonly string[];
  readonly entry: string;
}

/** One measurement: mechanism at N in a runtime. */
export interface FloorVariant {
  readonly runtime: FloorRuntime;
  readonly mechanism: string;
  readonly n: number;
}

/** Every round's ratio (iomux ÷ C) and ns per call of one variant. */
export interface FloorSample {
  readonly variant: FloorVariant;
  readonly ratios: number[];
  readonly ns: number[];
  readonly cNs: number[];
  /** Which byte-call paths the measured calls took (`bytePaths` counts), last round. */
  paths?: Record<string, number>;
  error?: string;
}

/** The selector's Ns: few fds, CPython's FD_SETSIZE-sized set, many. */
export const FLOOR_NS = [10, 1000, 9000] as const;

/**
 * The runtimes of the toolchain, plus Node 26 with koffi (what iomux picks there when
 * koffi is installed) beside Node 26 with node:ffi (`IOMUX_FFI=node:ffi`).
 */
export function floorRuntimes(t: Toolchain): FloorRuntime[] {
  const out: FloorRuntime[] = [];
  const add = (name: string, label: string, js: JsRuntime, prefix: readonly string[]) =>
    out.push({ name, label, prefix, entry: js.entry });
  for (const js of t.js) {
    if (js.name === "node") {
      const plain = js.prefix.filter((a) => a !== "env" && !a.startsWith("IOMUX_FFI="));
      add("node26-koffi", js.label.replace("(node:ffi)", "(koffi)"), js, plain);
      add("node26-ffi", js.label, js, js.prefix);
    } else add(js.name, js.label, js, js.prefix);
  }
  return out;
}

/** Bytes per round trip of the byte calls. */
export const BYTE_N = 64;

/** The byte calls' fast paths, each a round trip against c/floor.c's loop. */
const BYTE_FAST: Readonly<Record<string, string>> = {
  socket: "`send` + `recvInto`, socket pair",
  "socket-recv": "`sendAll` + `recv(65536)`, socket pair",
  os: "`os.write` + `os.read(65536)`, pipe",
};

/** The cases that take the full path, each against the same loop. */
const BYTE_FULL: Readonly<Record<string, string>> = {
  "fb-flags": "`send`/`recvInto` with `MSG_DONTWAIT`",
  "fb-view": "`send(DataView)` + `recvInto(Int8Array)`",
  "fb-nbytes": "`recvInto(buffer, nbytes)`",
  "fb-timeout": "`send` + `recvInto` after `settimeout(60)`",
  "fb-os": "`os.write(DataView)` + `os.read(70000)`",
};

/** Where the full paths are measured: one runtime per FFI whose fast route differs. */
const FULL_PATH_RUNTIMES = ["deno", "bun", "node26-ffi"];

/** What each runtime measures: the selector at every N, the primitives at 1,000. */
export function floorVariants(runtimes: readonly FloorRuntime[]): FloorVariant[] {
  const out: FloorVariant[] = [];
  for (const runtime of runtimes) {
    for (const n of FLOOR_NS) out.push({ runtime, mechanism: "selectors", n });
    for (const mechanism of ["epoll", "poll", "select"]) out.push({ runtime, mechanism, n: 1000 });
    // The FFI's own floor: epoll_wait bound by hand.
    out.push({ runtime, mechanism: "raw-epoll_wait", n: 1000 });
    for (const mechanism of Object.keys(BYTE_FAST)) out.push({ runtime, mechanism, n: BYTE_N });
    if (FULL_PATH_RUNTIMES.includes(runtime.name)) {
      for (const mechanism of Object.keys(BYTE_FULL)) out.push({ runtime, mechanism, n: BYTE_N });
    }
  }
  return out;
}

/** The command of one variant. */
export function floorCommand(v: FloorVariant, library: string, budgetMs: number): string[] {
  return [
    ...v.runtime.prefix,
    "bench/compare/js/floor.mjs",
    v.runtime.name,
    v.mechanism,
    String(v.n),
    library,
    String(budgetMs),
    v.runtime.entry,
  ];
}

/** A target, as a bound on the median ratio. */
interface Target {
  label: string;
  runtimes: readonly string[];
  mechanism: string;
  n: number;
  max: number;
}

const SELECT0 = "`DefaultSelector.select(0)`";

/** Our targets for the in-process ratios. */
export const FLOOR_TARGETS: readonly Target[] = [
  ...[1000, 9000].map((n) => ({
    label: `${SELECT0}, N=${n.toLocaleString("en-US")}: ≤ 1.10× C`,
    runtimes: ["deno", "bun"],
    mechanism: "selectors",
    n,
    max: 1.1,
  })),
  {
    label: `${SELECT0}, N=10: ≤ 1.15× C`,
    runtimes: ["deno", "bun"],
    mechanism: "selectors",
    n: 10,
    max: 1.15,
  },
  {
    label: "`Poll.poll(0)`, N=1,000: ≤ 1.05× C",
    runtimes: ["deno", "bun"],
    mechanism: "poll",
    n: 1000,
    max: 1.05,
  },
  {
    label: "`select()`, N=1,000: ≤ 1.05× C",
    runtimes: ["deno", "bun"],
    mechanism: "select",
    n: 1000,
    max: 1.05,
  },
  ...[1000, 9000].map((n) => ({
    label: `${SELECT0} on Node with koffi, N=${n.toLocaleString("en-US")}: ≤ 1.35× C`,
    runtimes: ["node-koffi", "node26-koffi"],
    mechanism: "selectors",
    n,
    max: 1.35,
  })),
  ...[1000, 9000].map((n) => ({
    label: `${SELECT0} on Node 26 with node:ffi, N=${n.toLocaleString("en-US")}: ≤ 1.6× C`,
    runtimes: ["node26-ffi"],
    mechanism: "selectors",
    n,
    max: 1.6,
  })),
];

const key = (runtime: string, mechanism: string, n: number) => `${runtime}.${mechanism}@${n}`;
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(3)}×` : "–");

/** The table of our targets: each bound, and each runtime's median ratio against it. */
export function floorTargets(
  samples: ReadonlyMap<string, FloorSample>,
  runtimes: readonly FloorRuntime[],
): string[] {
  const shown = runtimes.filter((r) => FLOOR_TARGETS.some((t) => t.runtimes.includes(r.name)));
  const lines = [
    "| our target (iomux ÷ C, same process) | " + shown.map((r) => r.label).join(" | ") + " |",
    "|---|" + shown.map(() => "--:").join("|") + "|",
  ];
  for (const t of FLOOR_TARGETS) {
    const cells = shown.map((r) => {
      if (!t.runtimes.includes(r.name)) return "";
      const v = median(samples.get(key(r.name, t.mechanism, t.n))?.ratios ?? []);
      if (!Number.isFinite(v)) return "not measured";
      return `${times(v)} ${v <= t.max ? "✅" : "❌"}`;
    });
    lines.push(`| ${t.label} | ${cells.join(" | ")} |`);
  }
  return lines;
}

/** The report section: targets, then every ratio. */
export function floorSection(
  samples: ReadonlyMap<string, FloorSample>,
  runtimes: readonly FloorRuntime[],
  rounds: number,
): string[] {
  if (samples.size === 0) return ["Not run: it needs a C compiler for the floor library."];
  const lines = [
    "Each ratio is iomux's CPU time over C's for the same call on the same fds (the",
    "selector's own epoll fd), measured inside one process: `c/floor.c` is a loop of that",
    "system call which `js/floor.mjs` calls through the runtime's FFI in chunks of up to",
    "2,000 calls, alternating with chunks of iomux calls, each timed on the thread's CPU",
    "clock (`CLOCK_THREAD_CPUTIME_ID`). Median over chunk pairs inside a run, then over",
    `${rounds} rounds. N watched pipe fds, 5 ready, timeout 0.`,
    "",
    ...floorTargets(samples, runtimes),
  ];
  const ratioOf = (runtime: string, mechanism: string, n: number) =>
    median(samples.get(key(runtime, mechanism, n))?.ratios ?? []);
  lines.push(
    "",
    "Node 26's `node:ffi` sets the floor of its own column: `epoll_wait` has 4 arguments,",
    "and libc offers no 3-argument route to it, so each call goes through `node:ffi`'s",
    "generic path. The bare call, bound by hand with its buffer as a pointer taken once",
    `(as iomux passes it), costs ${times(ratioOf("node26-ffi", "raw-epoll_wait", 1000))} C ` +
      `here, against ${times(ratioOf("node26-koffi", "raw-epoll_wait", 1000))} through koffi ` +
      `and ${times(ratioOf("deno", "raw-epoll_wait", 1000))} through Deno's FFI; iomux ` +
      "therefore loads koffi first on Node when it is installed.",
    "",
    "| call | " + runtimes.map((r) => r.label).join(" | ") + " |",
    "|---|" + runtimes.map(() => "--:").join("|") + "|",
  );
  const rows: [string, number][] = [
    ...FLOOR_NS.map((n): [string, number] => ["selectors", n]),
    ["epoll", 1000],
    ["poll", 1000],
    ["select", 1000],
    ["raw-epoll_wait", 1000],
  ];
  const call: Record<string, string> = {
    selectors: "`DefaultSelector.select(0)`",
    epoll: "`Epoll.poll(0)`",
    poll: "`Poll.poll(0)`",
    select: "`select(fds, [], [], 0)`",
    "raw-epoll_wait": "no iomux: `epoll_wait` bound by hand (buffer as a pointer)",
  };
  for (const [m, n] of rows) {
    const cells = runtimes.map((r) => {
      const s = samples.get(key(r.name, m, n));
      if (!s) return "–";
      if (s.error) return `failed: \`${s.error}\``;
      return `${times(median(s.ratios))} (${Math.round(median(s.ns))} ns)`;
    });
    lines.push(`| ${call[m]}, N=${n.toLocaleString("en-US")} | ${cells.join(" | ")} |`);
  }
  return [...lines, "", ...byteSection(samples, runtimes)];
}

/** The paths the counters saw, the same in every runtime (else each runtime's). */
function pathsTaken(samples: readonly (FloorSample | undefined)[]): string {
  const shown = samples.flatMap((s) => s?.paths ? [s.paths] : []).map((paths) =>
    Object.keys(paths).sort().map((name) =>
      name.endsWith("Fallback") ? `${name.slice(0, -8)}: full` : `${name}: fast`
    ).join(", ")
  );
  const distinct = [...new Set(shown)];
  return distinct.length === 0 ? "–" : distinct.join(" / ");
}

/** The socket and os calls: the fast paths, then each full path, as ratios to C. */
function byteSection(
  samples: ReadonlyMap<string, FloorSample>,
  runtimes: readonly FloorRuntime[],
): string[] {
  const lines = [
    "### Socket and os calls",
    "",
    `A round trip of ${BYTE_N} B, iomux's two calls against \`c/floor.c\`'s loop of the same`,
    "two system calls (`send` + `recv` over an AF_UNIX socket pair, or `write` + `read`",
    "through a pipe) in the same process, as above. The last column is what `bytePaths`",
    "(os/_fd.ts) counted during the measured calls: every call of a row took that path.",
    "The full paths are measured in one runtime per FFI route.",
    "",
    "| round trip | " + runtimes.map((r) => r.label).join(" | ") + " | path taken |",
    "|---|" + runtimes.map(() => "--:").join("|") + "|---|",
  ];
  for (const [table, kind] of [[BYTE_FAST, "fast"], [BYTE_FULL, "full path"]] as const) {
    for (const [m, label] of Object.entries(table)) {
      const row = runtimes.map((r) => samples.get(key(r.name, m, BYTE_N)));
      const cells = row.map((s) => {
        if (!s) return "–";
        if (s.error) return `failed: \`${s.error}\``;
        return `${times(median(s.ratios))} (${Math.round(median(s.ns))} ns)`;
      });
      lines.push(`| ${kind}: ${label} | ${cells.join(" | ")} | ${pathsTaken(row)} |`);
    }
  }
  return lines;
}

/** Id of a sample, as the runner stores it. */
export function floorKey(v: FloorVariant): string {
  return key(v.runtime.name, v.mechanism, v.n);
}
