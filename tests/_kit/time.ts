/**
 * Waiting in tests without blocking the event loop.
 *
 * @module
 */
import process from "node:process";

/**
 * How many times slower than a native run this one is: 1, or the number in
 * `IOMUX_TEST_SLOWDOWN` (scripts/qemu_arm64.sh sets it: under qemu-user emulation code
 * runs 20-40x slower, and code run for the first time slower still). Only bounds on
 * promptness scale with it; a timeout under test never does.
 */
export const SLOWDOWN: number = Math.max(1, Number(process.env.IOMUX_TEST_SLOWDOWN ?? "1") || 1);

/** A generous bound for "promptly" on a loaded 2-core machine. */
export const PROMPT_MS: number = 2000 * SLOWDOWN;

/** Waits for `ms` milliseconds without blocking the event loop. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `done` every few milliseconds until it holds or `withinMs` has passed;
 * returns its last answer (the caller asserts it), so that a test waits for a state,
 * not for a guessed length of time.
 */
export async function eventually(done: () => boolean, withinMs = PROMPT_MS): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (!done() && performance.now() < until) await sleep(5);
  return done();
}
