/**
 * What a test leaves on the event loop besides fds: timers (as the runtime reports
 * them) and Workers (as {@linkcode startWorker} counts them).
 *
 * @module
 */
import assert from "node:assert/strict";
import process from "node:process";
import { eventually } from "./time.ts";
import { liveWorkers } from "./workers.ts";

/**
 * The timers the runtime reports as active: `Timeout` entries of
 * `process.getActiveResourcesInfo()` on Node and Deno. Bun's list is always empty, so
 * there the count is always 0 and only the Worker count below is checked.
 */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

/**
 * Wraps a test body so that it fails if it leaves a timer running or a Worker
 * (started with `startWorker`) not ended. Compose it with `leakFree` for the fds.
 */
export function loopLeakFree(body: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    const timers = activeTimers();
    await body();
    assert.equal(liveWorkers(), 0, "the test left a Worker running");
    // A timer cleared by a settled wait goes a moment after the wait's promise.
    await eventually(() => activeTimers() <= timers, 1000);
    assert.ok(activeTimers() <= timers, `${activeTimers() - timers} timers left running`);
  };
}
