/**
 * What `Poll.pollAsync`, `Epoll.pollAsync` and `BaseSelector.selectAsync` share.
 * Each first makes its own zero-timeout call on the JS thread (the fast path, no
 * thread hop, no allocation here); only when that finds nothing does it call
 * {@linkcode waitAsync}, which waits on the shared waiting thread.
 *
 * @module
 */
import { monotonicMs } from "../_py/timeout.ts";
import { type Interests, waitFor } from "./waiter.ts";

export { endWaits, refreshWaits } from "./waiter.ts";
export type { Interests } from "./waiter.ts";

/**
 * Options of the waits that run beside the event loop (`pollAsync`,
 * `selectAsync`).
 *
 * @example Give up a wait after 10 ms
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AsyncWaitOptions, poll } from "@iomux/iomux/select";
 *
 * const options: AsyncWaitOptions = { signal: AbortSignal.timeout(10) };
 * const p = poll();
 * await assert.rejects(p.pollAsync(null, options), { name: "TimeoutError" });
 * ```
 */
export interface AsyncWaitOptions {
  /** Aborting it ends the wait at once; the Promise rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/** How long fast-path answers may run on microtasks alone before one yields a turn. */
const TURN_BUDGET_MS = 10;
/** Fast-path answers between clock reads. */
const ANSWERS_PER_CLOCK_READ = 16;
let answers = 0;
let lastTurn = 0;

interface TimerGlobals {
  setImmediate?: (callback: () => void) => unknown;
}
const g = globalThis as TimerGlobals;
/** A macrotask: `setImmediate` where it exists (setTimeout(0) is clamped to ~1–4 ms). */
const nextTurn: (callback: () => void) => unknown = typeof g.setImmediate === "function"
  ? g.setImmediate
  : (callback) => setTimeout(callback, 0);

/**
 * The fast path's answer: `ready` at once or, when fast-path answers have kept the
 * event loop from turning for {@linkcode TURN_BUDGET_MS}, the same `ready` after one
 * macrotask. A loop over fds that are always ready would otherwise run on
 * microtasks alone and starve timers and I/O (an `await` of a settled Promise
 * never lets them run). The answer is never asked for again after the turn: the
 * owner may have closed meanwhile (a fresh wait on a closed selector's empty set
 * would never end), and an edge-triggered epoll has already handed over its events.
 */
export function answer<R>(ready: R[]): Promise<R[]> {
  if (++answers % ANSWERS_PER_CLOCK_READ === 0) {
    const now = monotonicMs();
    if (now - lastTurn >= TURN_BUDGET_MS) {
      lastTurn = now;
      return new Promise<R[]>((resolve) => nextTurn(() => resolve(ready)));
    }
  }
  return Promise.resolve(ready);
}

/** One object's side of an async wait. */
export interface AsyncWaitPlan<R> {
  /** The object, for `refreshWaits`/`endWaits`. */
  readonly owner: object;
  /** The blocking twin with a zero timeout. */
  check(): R[];
  /** The fds and `POLL*` masks that make `check` worth calling. */
  interests(): Interests;
  /** Monotonic ms; `undefined` waits with no limit. */
  readonly deadline: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called with `true` while waiting off the thread, `false` around each `check`. */
  hold?(waiting: boolean): void;
}

/**
 * The slow path of an async wait, once the owner's own zero-timeout call (the
 * fast path, no thread hop) found nothing: waits for readiness on the shared
 * thread and checks again until there are results, the deadline passes, or the
 * owner closes (which gives `[]`).
 */
export async function waitAsync<R>(plan: AsyncWaitPlan<R>): Promise<R[]> {
  const { signal, deadline } = plan;
  for (;;) {
    plan.hold?.(true);
    let outcome;
    try {
      outcome = await waitFor(plan.owner, () => plan.interests(), deadline, signal);
    } finally {
      plan.hold?.(false);
    }
    lastTurn = monotonicMs();
    if (outcome === "ended") return [];
    const results = plan.check();
    if (results.length > 0 || outcome === "timeout") return results;
    // Ready but nothing to report (someone else consumed it): wait for the rest.
    if (deadline !== undefined && deadline <= monotonicMs()) return results;
  }
}
