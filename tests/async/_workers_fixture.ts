// Run by workers_test.ts in a child process: four Workers (Deno Web Workers, or
// node:worker_threads) each with a wait that nothing ends. Meanwhile the main
// thread's file reads and its own waits must go on (no runtime thread pool may be
// held by the waits), terminate() must resolve, no thread may stay blocked in a
// terminated Worker's wait, and the process must exit on its own. Prints what it saw.
// With the argument "watch", each Worker also has a watcher open and a stream read
// pending, and the main thread's own watcher must work after the Workers are gone.
import process from "node:process";
import { readFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import { poll, POLLIN } from "../../select/mod.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { EVENT_READ, watch } from "../../watch/mod.ts";
import { startWorker, type TestWorker, workerUrl } from "../_kit/workers.ts";

const WORKERS = 4;
const WITH_WATCHERS = process.argv.at(-1) === "watch";
// Read by each Worker (Node copies the environment into a Worker as it starts).
if (WITH_WATCHERS) process.env.IOMUX_TEST_WORKER_WATCH = "1";
const LIMIT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `work`'s value, or `fallback` once `LIMIT_MS` has passed. */
async function within<T, F>(work: Promise<T>, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<F>((resolve) => timer = setTimeout(() => resolve(fallback), LIMIT_MS));
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts one worker; resolves with it and the epoll fd its waiter blocks on. */
async function start(): Promise<[TestWorker, number]> {
  const worker = startWorker(workerUrl("./_worker_wait_worker", import.meta.url));
  const { epfd } = await worker.next() as { epfd: number };
  return [worker, epfd];
}

/** Threads of this process blocked with `epfd` as their system call's first argument. */
function blockedOn(epfds: number[]): number {
  let count = 0;
  const wanted = new Set(epfds.filter((fd) => fd >= 0).map((fd) => `0x${fd.toString(16)}`));
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const syscall = readFileSync(`/proc/${process.pid}/task/${tid}/syscall`, "utf8");
      if (wanted.has(syscall.split(" ")[1]!)) count++;
    } catch {
      // the thread ended meanwhile
    }
  }
  return count;
}

const started = await Promise.all(Array.from({ length: WORKERS }, start));
const epfds = started.map(([, epfd]) => epfd);
// Their blocking calls start a moment after the waits (a thread is started first).
const blockedUntil = performance.now() + LIMIT_MS;
while (blockedOn(epfds) < WORKERS && performance.now() < blockedUntil) await sleep(20);
const blockedDuring = blockedOn(epfds);
const source = await within(readFile(new URL(import.meta.url)).then(() => "read"), "starved");
const [r, w] = pipe();
const p = poll();
p.register(r, POLLIN);
setTimeout(() => write(w, new Uint8Array([1])), 20);
const ownWait = await within(p.pollAsync(LIMIT_MS).then((ready) => ready.length), "starved");
close(r);
close(w);
const terminated = await within(
  Promise.all(started.map(([worker]) => worker.terminate())).then(() => "terminated"),
  "stuck",
);
// A thread still blocked in a terminated Worker's call would be parked for good.
const until = performance.now() + LIMIT_MS;
while (blockedOn(epfds) > 0 && performance.now() < until) await sleep(20);
const blockedAfter = blockedOn(epfds);
const seen = { blockedDuring, source, ownWait, terminated, blockedAfter };
if (WITH_WATCHERS) {
  // The main thread's own waits after the Workers are gone: a wait and a watcher.
  const [r2, w2] = pipe();
  const p2 = poll();
  p2.register(r2, POLLIN);
  setTimeout(() => write(w2, new Uint8Array([1])), 20);
  const ownWaitAfter = await within(p2.pollAsync(LIMIT_MS).then((ready) => ready.length), 0);
  const watched = await within(
    new Promise<number>((resolve) => {
      const watcher = watch(r2, EVENT_READ, (events) => {
        watcher.close();
        resolve(events);
      });
    }),
    0,
  );
  close(r2);
  close(w2);
  Object.assign(seen, { ownWaitAfter, watched });
}
console.log(JSON.stringify(seen));
