/**
 * Many waits at once: the design behind `pollAsync`/`selectAsync` (one shared
 * waiting thread) against one nonblocking `poll(2)` per wait, with 50 and 500
 * concurrent waits on pipes. For each: the time to start one wait, timer lag
 * while they wait (a 5 ms `setInterval`), whether an async file read still
 * completes (it needs a thread of the same pool), and the time from writing to
 * every pipe until every wait has resolved. Then the latency of one wait, from the
 * write that makes its fd ready to its Promise settling.
 *
 * Run: `deno task bench:waits`
 *
 * @module
 */
import { libc, toNfds } from "../ffi/libc.ts";
import { poll, POLLIN } from "../select/mod.ts";
import { close, pipe, read, write } from "../os/mod.ts";

const byte = new Uint8Array([1]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One nonblocking poll(2) per wait: the design iomux does not use. */
function perWaitCall(fd: number): () => Promise<unknown> {
  const set = new Uint8Array(8);
  const words = new Int32Array(set.buffer);
  words[0] = fd;
  words[1] = POLLIN;
  return () => libc().poll_async!(set, toNfds(1), -1);
}

/** Shared thread: the real pollAsync, one Poll object per wait. */
function sharedWait(fd: number): () => Promise<unknown> {
  const p = poll();
  p.register(fd, POLLIN);
  p.poll(0); // builds its pollfd array, as perWaitCall builds its own outside the timing
  return () => p.pollAsync();
}

async function measure(
  design: string,
  count: number,
  prepare: (fd: number) => () => Promise<unknown>,
  report = true,
) {
  const pipes = Array.from({ length: count }, () => pipe());
  const starts = pipes.map(([r]) => prepare(r));
  const startTimes: number[] = [];
  const waits = starts.map((start) => {
    const t0 = performance.now();
    const wait = start();
    startTimes.push(performance.now() - t0);
    return wait;
  });
  // The median: a batch's first call pays for a thread wake-up (and, in either
  // design, a few ms of what looks like lazy compilation).
  startTimes.sort((a, b) => a - b);
  const startUs = startTimes[startTimes.length >> 1]! * 1000;
  const lags: number[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    lags.push(now - last - 5);
    last = now;
  }, 5);
  await sleep(100);
  const read0 = performance.now();
  const read = Deno.readFile(new URL(import.meta.url)).then(() => performance.now() - read0);
  const fileRead = await Promise.race([read, sleep(3000).then(() => "starved (>3 s)")]);
  await sleep(Math.max(0, 1000 - (performance.now() - read0)));
  clearInterval(ticker);
  const w0 = performance.now();
  for (const [, w] of pipes) write(w, byte);
  await Promise.all(waits);
  const allMs = performance.now() - w0;
  await read;
  for (const [r, w] of pipes) {
    close(r);
    close(w);
  }
  if (!report) return;
  lags.sort((a, b) => a - b);
  const ms = (x: number | string) => typeof x === "number" ? `${x.toFixed(2)} ms` : x;
  console.log(
    `| ${design} | ${count} | ${startUs.toFixed(1)} µs | ${ms(lags[lags.length >> 1]!)} | ` +
      `${ms(lags[lags.length - 1]!)} | ${ms(fileRead)} | ${ms(allMs)} |`,
  );
}

console.log(
  "| design | waits | start one (median) | timer lag p50 | timer lag max | fs read | all woken |",
);
console.log("|---|---|---|---|---|---|---|");
// Warm-up: compile both paths before anything is timed.
await measure("", 50, sharedWait, false);
await measure("", 20, perWaitCall, false);
for (const count of [50, 500]) {
  await measure("shared thread (iomux)", count, sharedWait);
  await measure("one call per wait", count, perWaitCall);
}

/** One wait at a time: from the write that makes the fd ready to the Promise settling. */
async function wakeLatency(rounds: number): Promise<void> {
  const [r, w] = pipe();
  const p = poll();
  p.register(r, POLLIN);
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const wait = p.pollAsync();
    await sleep(1); // the wait is on the worker thread by now
    const written = performance.now();
    write(w, byte);
    await wait;
    latencies.push((performance.now() - written) * 1000);
    read(r, 1);
  }
  close(r);
  close(w);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(0);
  console.log(
    `\nwrite → pollAsync settled, ${rounds} rounds: p50 ${at(0.5)} µs, p99 ${at(0.99)} µs`,
  );
}

await wakeLatency(300);
