// Helpers shared by the async wait tests: pipes that are always closed, fd counting,
// and the waiting thread's idle state.
import assert from "node:assert/strict";
import process from "node:process";
import { close, getBlocking, pipe } from "../os/mod.ts";
import { waiterState } from "../_wait/waiter.ts";

export const isLinux = process.platform === "linux";
export const byte = new Uint8Array([1]);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A generous bound for "promptly" on a loaded 2-core machine. */
export const PROMPT_MS = 2000;

export type Pipe = [readEnd: number, writeEnd: number];
/** `count` pipes; typed as at least three so that tests can destructure the first ones. */
export type Pipes = [Pipe, Pipe, Pipe, ...Pipe[]];

/** Runs `body` with `count` fresh pipes, closing them whatever happens. */
export async function withPipes<T>(count: number, body: (pipes: Pipes) => Promise<T>): Promise<T> {
  const pipes: Pipe[] = [];
  try {
    for (let i = 0; i < count; i++) pipes.push(pipe());
    return await body(pipes as Pipes);
  } finally {
    for (const [r, w] of pipes) {
      close(r);
      close(w);
    }
  }
}

/**
 * How many of fds 0–4095 are open, the waiter's own (its wake-up fd and epoll fd,
 * kept open between waits) left out.
 */
export function openFdCount(): number {
  const own = new Set(waiterState().ownFds);
  let open = 0;
  for (let fd = 0; fd < 4096; fd++) {
    if (own.has(fd)) continue;
    try {
      getBlocking(fd);
      open++;
    } catch {
      // EBADF: not open.
    }
  }
  return open;
}

/**
 * Waits until the open-fd count is back to `baseline` and the waiting thread is idle:
 * an ended wait's call returns a moment later. The waiter's own fds stay open for
 * the next wait.
 */
export async function assertAllReleased(baseline: number): Promise<void> {
  const idle = () => {
    const state = waiterState();
    return state.pending === 0 && !state.calling;
  };
  const until = performance.now() + PROMPT_MS;
  while ((openFdCount() !== baseline || !idle()) && performance.now() < until) await sleep(5);
  assert.equal(openFdCount(), baseline);
  const { pending, calling, wakeFd } = waiterState();
  assert.deepEqual({ pending, calling }, { pending: 0, calling: false });
  if (wakeFd >= 0) assert.ok(getBlocking(wakeFd) === false, "the wake-up fd stays open");
}

/** Counts the timer callbacks that run while `work` is pending. */
export async function ticksDuring<T>(work: Promise<T>): Promise<[T, number]> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    const result = await work;
    return [result, ticks];
  } finally {
    clearInterval(timer);
  }
}
