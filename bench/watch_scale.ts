/**
 * Watchers at scale, per readiness source, on whichever runtime runs this file, with
 * up to 10,000 watchers on idle eventfds (fds that never turn ready):
 *
 * - registration: µs per `watch()` (and per `close()`) with 100, 1,000 and 10,000
 *   watchers; the hub keeps one combined interest per fd in one epoll set, so the
 *   cost per registration should not grow with the count;
 * - per-wake cost: write -> callback on one more pipe with 0, 100, 1,000 and 10,000
 *   idle watchers beside it; with epoll a wake costs the same whatever the number of
 *   idle fds;
 * - timer lag: how late each tick of a 1 ms `setInterval` comes, with none and with
 *   10,000 idle watchers registered.
 *
 * RLIMIT_NOFILE is raised to its hard limit first (10,000 eventfds and the pipes).
 * Figures are printed and written to `bench/watch_results.md` (see `_watch_bench.ts`).
 *
 * Run: `deno run --allow-ffi --allow-read --allow-write --allow-env --allow-run bench/watch_scale.ts`,
 * `bun bench/watch_scale.ts`.
 *
 * @module
 */
import {
  hubIdle,
  load,
  osModule,
  percentile,
  RESULTS,
  RESULTS_HEADER,
  runtimeLabel,
  type SourceName,
  sourcesHere,
  useSource,
  wakeLatencies,
  watchModule,
  writeSection,
} from "./_watch_bench.ts";

type SelectorsKit = typeof import("../tests/_kit/selectors.ts");
// From the build too: on Node 20 the sources' own FFI would find no koffi.
const { raiseFdLimit } = await load<SelectorsKit>("tests/_kit/selectors");

const { watch, EVENT_READ } = watchModule;
const { pipe, close, setBlocking, eventfd, EFD_CLOEXEC, EFD_NONBLOCK } = osModule;
type Watcher = ReturnType<typeof watch>;

const SIZES = [100, 1_000, 10_000];
const REPEATS = 3;
const WAKES = 300;
const TICKS = 500;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => percentile(sorted(values), 0.5);

raiseFdLimit();
const idleFds: number[] = [];
for (let i = 0; i < SIZES.at(-1)!; i++) idleFds.push(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));

function watchIdle(count: number): Watcher[] {
  const watchers: Watcher[] = [];
  for (let i = 0; i < count; i++) watchers.push(watch(idleFds[i]!, EVENT_READ, () => {}));
  return watchers;
}

/** µs per `watch()` and per `close()` of `count` watchers, the hub already running. */
function registration(count: number): [number, number] {
  const t0 = performance.now();
  const watchers = watchIdle(count);
  const t1 = performance.now();
  for (const watcher of watchers) watcher.close();
  const t2 = performance.now();
  return [(t1 - t0) * 1000 / count, (t2 - t1) * 1000 / count];
}

/** Median µs from a write to its callback on a watched pipe, `WAKES` times. */
async function wakeCost(r: number, w: number): Promise<number> {
  return median(await wakeLatencies(r, w, WAKES, true)) * 1000;
}

/** p50 and p99 (ms) of how late each tick of a 1 ms interval comes. */
function intervalLag(): Promise<[number, number]> {
  return new Promise((resolve) => {
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(Math.max(0, now - last - 1));
      last = now;
      if (lags.length < TICKS) return;
      clearInterval(timer);
      const s = sorted(lags);
      resolve([percentile(s, 0.5), percentile(s, 0.99)]);
    }, 1);
  });
}

interface Scale {
  register: number[][];
  wakes: number[];
  lagNone: [number, number];
  lagIdle: [number, number];
}

async function measure(name: SourceName): Promise<Scale> {
  await useSource(name);
  const [anchorR, anchorW] = pipe();
  const [r, w] = pipe();
  setBlocking(r, false);
  // The hub runs (and its source's thread, if any, has started) before anything is timed.
  const anchor = watch(anchorR, EVENT_READ, () => {});
  try {
    const register = SIZES.map((size) => {
      const runs = Array.from({ length: REPEATS }, () => registration(size));
      return [size, median(runs.map(([add]) => add)), median(runs.map(([, drop]) => drop))];
    });
    const wakes: number[] = [];
    for (const idle of [0, ...SIZES]) {
      const watchers = watchIdle(idle);
      wakes.push(await wakeCost(r, w));
      for (const watcher of watchers) watcher.close();
    }
    const lagNone = await intervalLag();
    const watchers = watchIdle(SIZES.at(-1)!);
    const lagIdle = await intervalLag();
    for (const watcher of watchers) watcher.close();
    return { register, wakes, lagNone, lagIdle };
  } finally {
    anchor.close();
    for (const fd of [anchorR, anchorW, r, w]) close(fd);
    await hubIdle();
  }
}

const [runnable] = await sourcesHere();
const results = new Map<SourceName, Scale>();
for (const name of runnable) results.set(name, await measure(name));
for (const fd of idleFds) close(fd);

const f1 = (n: number) => n.toFixed(1);
const f3 = (n: number) => n.toFixed(3);
const lines: string[] = [
  `${new Date().toISOString().slice(0, 10)}; watchers on idle eventfds, ref'd.`,
  "",
  "Registration, µs per watcher (median of 3):",
  "",
  `| source | ${SIZES.map((n) => `watch() at ${n}`).join(" | ")} | ${
    SIZES.map((n) => `close() at ${n}`).join(" | ")
  } |`,
  `| ------ |${" -------: |".repeat(SIZES.length * 2)}`,
];
for (const [name, s] of results) {
  lines.push(
    `| ${name} | ${s.register.map(([, add]) => f1(add!)).join(" | ")} | ${
      s.register.map(([, , drop]) => f1(drop!)).join(" | ")
    } |`,
  );
}
lines.push(
  "",
  `Per wake, µs from a write to its callback (median of ${WAKES}), beside idle watchers:`,
  "",
  `| source | ${[0, ...SIZES].map((n) => `${n} idle`).join(" | ")} |`,
  `| ------ |${" -------: |".repeat(SIZES.length + 1)}`,
  ...[...results].map(([name, s]) => `| ${name} | ${s.wakes.map(f1).join(" | ")} |`),
  "",
  `A 1 ms \`setInterval\`, ms late per tick (${TICKS} ticks):`,
  "",
  `| source | no watchers p50 | p99 | ${SIZES.at(-1)} idle watchers p50 | p99 |`,
  "| ------ | ------: | ------: | ------: | ------: |",
  ...[...results].map(([name, s]) =>
    `| ${name} | ${f3(s.lagNone[0])} | ${f3(s.lagNone[1])} | ${f3(s.lagIdle[0])} | ${
      f3(s.lagIdle[1])
    } |`
  ),
);
const body = lines.join("\n");
console.log(`${runtimeLabel}\n\n${body}`);
writeSection(RESULTS, RESULTS_HEADER, `Scale: ${runtimeLabel}`, body);
