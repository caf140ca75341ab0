/**
 * Watcher wake-up latency, per readiness source, on whichever runtime runs this file:
 * a timer writes one byte to a pipe, and the time from that write to the watcher's
 * callback is recorded; p50 and p99 over many events, with the watcher ref'd and
 * unref'd. Each source the runtime can run is forced in turn (`IOMUX_WATCH_SOURCE`),
 * in alternating blocks so that the machine's noise falls on all of them alike.
 *
 * The figures are printed and written to `bench/watch_results.md` (this runtime's
 * section replaced, the others kept; `IOMUX_BENCH_RESULTS` names another file), with
 * the target for the runtime's fast source marked met or not.
 *
 * Run: `deno run --allow-ffi --allow-read --allow-write --allow-env bench/watch_latency.ts`,
 * `bun bench/watch_latency.ts`, `node bench/watch_latency.ts` (Node 26 strips the
 * types). Node 20 runs it on the npm build (`deno task build:npm` first), from this
 * file with its types stripped and `IOMUX_BUILD` set to the absolute path of `npm/`.
 *
 * @module
 */
import process from "node:process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

type WatchModule = typeof import("../watch/mod.ts");
type OsModule = typeof import("../os/mod.ts");
type HubModule = typeof import("../watch/_hub.ts");
type LibcModule = typeof import("../ffi/libc.ts");

const base = process.env.IOMUX_BUILD ?? "..";
const ext = base === ".." ? "ts" : "js";
const { watch, EVENT_READ }: WatchModule = await import(`${base}/watch/mod.${ext}`);
const { pipe, read, write, close, setBlocking }: OsModule = await import(`${base}/os/mod.${ext}`);
const { hubState }: HubModule = await import(`${base}/watch/_hub.${ext}`);
const { libc }: LibcModule = await import(`${base}/ffi/libc.${ext}`);

const SOURCES = ["selector", "worker", "uv", "koffi"] as const;
type SourceName = typeof SOURCES[number];
const BLOCKS = 5;
const REF_EVENTS = 400; // per block
const UNREF_EVENTS = 60; // per block: the selector source's unref'd wait is a 10 ms timer
const byte = new Uint8Array([1]);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function hubIdle(): Promise<void> {
  while (hubState().running || hubState().fds > 0) await new Promise((r) => setTimeout(r, 1));
}

function useSource(name: SourceName): void {
  if ("Deno" in globalThis) Deno.env.set("IOMUX_WATCH_SOURCE", name);
  else process.env.IOMUX_WATCH_SOURCE = name;
}

/** Write -> callback times (ms) of `events` events on a fresh hub with source `name`. */
async function latency(name: SourceName, ref: boolean, events: number): Promise<number[]> {
  await hubIdle();
  useSource(name);
  const [r, w] = pipe();
  setBlocking(r, false);
  const samples: number[] = [];
  let writtenAt = 0;
  let next: () => void = () => {};
  // Something must keep the process alive while only unref'd watchers exist.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    const watcher = watch(r, EVENT_READ, () => {
      samples.push(performance.now() - writtenAt);
      read(r, 16);
      next();
    }, { ref });
    try {
      for (let i = 0; i < events; i++) {
        await new Promise<void>((resolve) => {
          next = resolve;
          setTimeout(() => {
            writtenAt = performance.now();
            write(w, byte);
          }, 0);
        });
      }
    } finally {
      watcher.close();
    }
  } finally {
    clearInterval(keepAlive);
    close(r);
    close(w);
  }
  return samples;
}

/** Whether source `name` runs here: `undefined`, or why not. */
async function unavailable(name: SourceName): Promise<string | undefined> {
  await hubIdle();
  useSource(name);
  const [r, w] = pipe();
  try {
    watch(r, EVENT_READ, () => {}).close();
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^iomux: /, "");
  } finally {
    close(r);
    close(w);
  }
}

const runtime = "Deno" in globalThis
  ? `Deno ${Deno.version.deno}`
  : "Bun" in globalThis
  ? `Bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `Node ${process.versions.node}`;
const backend = libc().backend;
const label = `${runtime}, ${backend}`;
/** The median target of the runtime's fast source, µs. */
const target = runtime.startsWith("Deno") || (runtime.startsWith("Node") && backend === "node:ffi")
  ? 15
  : 25;

const runnable: SourceName[] = [];
const skipped = new Map<SourceName, string>();
for (const name of SOURCES) {
  const why = await unavailable(name);
  if (why === undefined) runnable.push(name);
  else skipped.set(name, why);
}

const refd = new Map<SourceName, number[]>(runnable.map((n) => [n, []]));
const unrefd = new Map<SourceName, number[]>(runnable.map((n) => [n, []]));
for (let block = 0; block < BLOCKS; block++) {
  for (const name of runnable) refd.get(name)!.push(...await latency(name, true, REF_EVENTS));
  for (const name of runnable) unrefd.get(name)!.push(...await latency(name, false, UNREF_EVENTS));
}
await hubIdle();

const us = (ms: number) => (ms * 1000).toFixed(1);
const rows: string[] = [];
for (const name of SOURCES) {
  const why = skipped.get(name);
  if (why !== undefined) {
    rows.push(`| ${name} | n/a | n/a | n/a | n/a | ${why} |`);
    continue;
  }
  const a = refd.get(name)!.sort((x, y) => x - y);
  const b = unrefd.get(name)!.sort((x, y) => x - y);
  const p50 = percentile(a, 0.5) * 1000;
  const verdict = name === "selector"
    ? "portable baseline"
    : `${p50 <= target ? "met" : "not met"} (target ≤ ${target} µs median)`;
  rows.push(
    `| ${name} | ${us(percentile(a, 0.5))} | ${us(percentile(a, 0.99))} | ${
      us(percentile(b, 0.5))
    } | ${us(percentile(b, 0.99))} | ${verdict} |`,
  );
}

const date = new Date().toISOString().slice(0, 10);
const section = [
  `## ${label}`,
  "",
  `${date}; ${BLOCKS} alternating blocks of ${REF_EVENTS} ref'd and ${UNREF_EVENTS} unref'd ` +
  "events per source; µs from the write to the callback.",
  "",
  "| source | ref'd p50 | ref'd p99 | unref'd p50 | unref'd p99 | target |",
  "| ------ | --------: | --------: | ----------: | ----------: | ------ |",
  ...rows,
  "",
  "",
].join("\n");
console.log(section);

const HEADER = `# Watcher latency

Written by \`bench/watch_latency.ts\`, one section per runtime and FFI backend (each run
replaces its own). A timer writes one byte to a pipe; the time from the write to the
watcher's callback, over many events, with each readiness source forced in turn
(\`IOMUX_WATCH_SOURCE\`). The selector source is the portable one (its unref'd wait is
a 10 ms poll timer); the others are each runtime's fast source. The machine is a shared,
loaded 2-core one: compare rows within a section, measured side by side.

`;
const path = process.env.IOMUX_BENCH_RESULTS ??
  fileURLToPath(new URL("./watch_results.md", import.meta.url));
let text = HEADER;
try {
  text = readFileSync(path, "utf8");
} catch {
  // first run: the header only
}
const sections = text.split(/^(?=## )/m);
const kept = sections.filter((s) => !s.startsWith(`## ${label}\n`))
  .map((s) => s.replace(/\n*$/, "\n\n"));
writeFileSync(path, [...kept, section].join("").replace(/\n+$/, "\n"));
