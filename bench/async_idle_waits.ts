/**
 * The cost of one event while other waits sit idle: one `Poll.pollAsync` on a pipe
 * that a timer makes ready, with 0, 1,000 and 5,000 other waits pending on pipes that
 * never become ready. Prints the median milliseconds from the write to the wait's
 * Promise settling, per event. With a waiter that rebuilds and re-polls the union of
 * all waits on every wake, this grows with the idle waits; with one kept up to date
 * as waits start and end (epoll on Linux) it does not.
 *
 * Then the same for one `PollSelector` over 10 and 1,000 registered fds, one of them
 * made ready per event: a loop of `selectAsync` on a large set should cost what its
 * own `select()` costs, not a re-registration of every fd per wait.
 *
 * Run: `deno run --allow-ffi --allow-read bench/async_idle_waits.ts`
 *
 * @module
 */
import { poll, POLLIN } from "../select/mod.ts";
import { EVENT_READ, PollSelector } from "../selectors/mod.ts";
import { close, pipe, read, write } from "../os/mod.ts";

const byte = new Uint8Array([1]);
const EVENTS = 200;

/**
 * The median milliseconds, over `EVENTS` events, from a timer's write of one byte to
 * `w` to the settling of `wait()`, which must wake on `r` becoming readable.
 */
async function medianMsPerEvent(
  r: number,
  w: number,
  wait: () => Promise<unknown>,
): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    let written = 0;
    setTimeout(() => {
      written = performance.now();
      write(w, byte);
    }, 0);
    await wait();
    samples.push(performance.now() - written);
    read(r, 1);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

async function msPerEvent(idle: number): Promise<number> {
  const pipes: [number, number][] = [];
  const controller = new AbortController();
  try {
    for (let i = 0; i < idle + 1; i++) pipes.push(pipe());
    const waits = pipes.slice(1).map(([r]) => {
      const p = poll();
      p.register(r, POLLIN);
      return p.pollAsync(null, { signal: controller.signal }).catch(() => {});
    });
    const [r, w] = pipes[0]!;
    const active = poll();
    active.register(r, POLLIN);
    const ms = await medianMsPerEvent(r, w, () => active.pollAsync());
    controller.abort();
    await Promise.all(waits);
    return ms;
  } finally {
    for (const [r, w] of pipes) {
      close(r);
      close(w);
    }
  }
}

for (const idle of [0, 1000, 5000]) {
  const ms = await msPerEvent(idle);
  console.log(`${String(idle).padStart(5)} idle waits: ${ms.toFixed(3)} ms per event (median)`);
}

async function selectorMsPerEvent(fds: number): Promise<number> {
  const pipes = Array.from({ length: fds }, () => pipe());
  try {
    using sel = new PollSelector();
    for (const [r] of pipes) sel.register(r, EVENT_READ);
    const [r, w] = pipes[0]!;
    return await medianMsPerEvent(r, w, () => sel.selectAsync());
  } finally {
    for (const [r, w] of pipes) {
      close(r);
      close(w);
    }
  }
}

for (const fds of [10, 1000]) {
  const ms = await selectorMsPerEvent(fds);
  console.log(
    `PollSelector, ${String(fds).padStart(4)} fds: ${ms.toFixed(3)} ms per event (median)`,
  );
}
