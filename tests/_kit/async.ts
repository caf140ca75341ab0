/**
 * Shared by the async wait tests: the waiting thread's idle state, and timers that
 * show the event loop kept running.
 *
 * @module
 */
import assert from "node:assert/strict";
import process from "node:process";
import { waiterState } from "../../select/_waiter.ts";
import { openFds } from "./fds.ts";
import { eventually } from "./time.ts";

export const isLinux = process.platform === "linux";
export const byte = new Uint8Array([1]);

/**
 * Waits until the open-fd count is back to `baseline` and the waiting thread is idle:
 * an ended wait's call returns, and the waiter closes its wake-up fd, a moment later.
 */
export async function assertAllReleased(baseline: number): Promise<void> {
  const idle = () => {
    const state = waiterState();
    return state.pending === 0 && !state.calling && state.wakeFd === -1;
  };
  await eventually(() => openFds().length === baseline && idle());
  assert.equal(openFds().length, baseline);
  const { pending, calling, wakeFd } = waiterState();
  assert.deepEqual({ pending, calling, wakeFd }, { pending: 0, calling: false, wakeFd: -1 });
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
