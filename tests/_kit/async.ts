/**
 * Shared by the async wait tests: the waiting thread's idle state, and timers that
 * show the event loop kept running.
 *
 * @module
 */
import assert from "node:assert/strict";
import process from "node:process";
import { waiterState } from "../../_wait/waiter.ts";
import { isOpen, openFds } from "./fds.ts";
import { eventually } from "./time.ts";

export const isLinux = process.platform === "linux";
export const byte = new Uint8Array([1]);

/** The open fds of 0–4095, the waiter's own (its wake-up fd and epoll fd, kept open between waits) left out. */
export function openFdCount(): number {
  const own = new Set(waiterState().ownFds);
  return openFds().filter((fd) => !own.has(fd)).length;
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
  await eventually(() => openFdCount() === baseline && idle());
  assert.equal(openFdCount(), baseline);
  const { pending, calling, wakeFd } = waiterState();
  assert.deepEqual({ pending, calling }, { pending: 0, calling: false });
  if (wakeFd >= 0) assert.ok(isOpen(wakeFd), "the wake-up fd stays open");
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

/**
 * Asserts that the wait `start` begins resolves to `[]` no earlier than `ms`, with
 * timers firing meanwhile (the event loop was not blocked).
 */
export async function assertIdleTimeout(start: () => Promise<unknown>, ms: number): Promise<void> {
  const begun = performance.now();
  const [result, ticks] = await ticksDuring(start());
  const elapsed = performance.now() - begun;
  assert.deepEqual(result, []);
  assert.ok(elapsed >= ms, `returned after ${elapsed} ms`);
  assert.ok(ticks >= 3, `only ${ticks} timer ticks during a ${ms} ms wait`);
}
