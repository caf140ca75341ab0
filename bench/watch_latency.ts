/**
 * Watchers under load, on whichever runtime runs this file:
 *
 * - wake-up latency: a timer writes one byte to a pipe, and the time from that
 *   write to the watcher's callback is recorded; p50 and p99 over many events, with
 *   the watcher ref'd and unref'd, for each readiness source this runtime has
 *   (`IOMUX_WATCH_SOURCE`): `selector` (the shared off-thread wait; unref'd, the
 *   unref'd timer), `uv` (uv_poll_t through node:ffi) and `koffi` (koffi.node.poll);
 * - timer lag with 10,000 idle watchers: how late `setTimeout(f, 1)` fires while
 *   10,000 watchers sit on fds that never turn ready, against the same with none.
 *
 * Run: `deno run --allow-ffi --allow-read --allow-env bench/watch_latency.ts`,
 * `bun bench/watch_latency.ts`, `node bench/watch_latency.ts` (Node 26 strips the
 * types). Node 20 runs it on the npm build (`deno task build:npm` first), from this
 * file with its types stripped and `IOMUX_BUILD` set to the absolute path of `npm/`.
 *
 * @module
 */
import process from "node:process";

type WatchModule = typeof import("../watch/mod.ts");
type OsModule = typeof import("../os/mod.ts");
type HubModule = typeof import("../watch/_hub.ts");

const base = process.env.IOMUX_BUILD ?? "..";
const ext = base === ".." ? "ts" : "js";
const { watch, EVENT_READ }: WatchModule = await import(`${base}/watch/mod.${ext}`);
const { pipe, read, write, close, setBlocking }: OsModule = await import(`${base}/os/mod.${ext}`);
const { hubState }: HubModule = await import(`${base}/watch/_hub.${ext}`);

/** The sources a row is measured for; those this runtime cannot load are reported so. */
const SOURCES = ["selector", "uv", "koffi"];

const EVENTS = 2000;
const IDLE = 10_000;
const byte = new Uint8Array([1]);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function latency(ref: boolean, events: number): Promise<[number, number]> {
  const [r, w] = pipe();
  setBlocking(r, false);
  const samples: number[] = [];
  let writtenAt = 0;
  let next: () => void = () => {};
  let watcher;
  try {
    watcher = watch(r, EVENT_READ, () => {
      samples.push(performance.now() - writtenAt);
      read(r, 16);
      next();
    }, { ref });
  } catch (error) {
    close(r);
    close(w);
    throw error;
  }
  // Something must keep the process alive while only unref'd watchers exist.
  const keepAlive = setInterval(() => {}, 1000);
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
    clearInterval(keepAlive);
    watcher.close();
    close(r);
    close(w);
  }
  samples.sort((a, b) => a - b);
  return [percentile(samples, 0.5), percentile(samples, 0.99)];
}

async function timerLag(rounds: number): Promise<[number, number]> {
  const lags: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1));
    lags.push(performance.now() - start - 1);
  }
  lags.sort((a, b) => a - b);
  return [percentile(lags, 0.5), percentile(lags, 0.99)];
}

const runtime = "Deno" in globalThis
  ? `deno ${Deno.version.deno}`
  : "Bun" in globalThis
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `node ${process.versions.node}`;
const ms = (n: number) => n.toFixed(3);

/** Resolves once the hub has closed its source (the next watcher picks a new one). */
async function hubIdle(): Promise<void> {
  while (hubState().running || hubState().fds > 0) {
    await new Promise((done) => setTimeout(done, 1));
  }
}

const sourceRows: string[] = [];
for (const source of SOURCES) {
  process.env.IOMUX_WATCH_SOURCE = source;
  try {
    const [refP50, refP99] = await latency(true, EVENTS);
    await hubIdle();
    const [unrefP50, unrefP99] = await latency(false, 200);
    await hubIdle();
    sourceRows.push(
      `  ${source.padEnd(8)} ref'd:         p50 ${ms(refP50)}  p99 ${ms(refP99)}`,
      `  ${source.padEnd(8)} unref'd:       p50 ${ms(unrefP50)}  p99 ${ms(unrefP99)}`,
    );
  } catch (error) {
    sourceRows.push(`  ${source.padEnd(8)} not here: ${(error as Error).message}`);
  }
}
delete process.env.IOMUX_WATCH_SOURCE;
const [lagNoneP50, lagNoneP99] = await timerLag(500);

const pipes: [number, number][] = [];
const idle = [];
for (let i = 0; i < IDLE / 2; i++) {
  const [r, w] = pipe();
  pipes.push([r, w]);
  idle.push(watch(r, EVENT_READ, () => {}), watch(w, EVENT_READ, () => {}));
}
const [lagIdleP50, lagIdleP99] = await timerLag(500);
const [idleRefP50, idleRefP99] = await latency(true, 500);
for (const watcher of idle) watcher.close();
for (const [r, w] of pipes) {
  close(r);
  close(w);
}

console.log(`watch latency, ${runtime} (ms, write -> callback)`);
for (const row of sourceRows) console.log(row);
console.log(`  default, ref'd, ${IDLE} idle:   p50 ${ms(idleRefP50)}  p99 ${ms(idleRefP99)}`);
console.log(`timer lag, setTimeout(1) (ms late)`);
console.log(`  no watchers:                   p50 ${ms(lagNoneP50)}  p99 ${ms(lagNoneP99)}`);
console.log(`  ${IDLE} idle watchers:         p50 ${ms(lagIdleP50)}  p99 ${ms(lagIdleP99)}`);
