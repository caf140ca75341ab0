/**
 * Waiting in tests without blocking the event loop.
 *
 * @module
 */

/** A generous bound for "promptly" on a loaded 2-core machine. */
export const PROMPT_MS = 2000;

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
