/**
 * The one PEP 475 loop that every waiting system call goes through (`select`,
 * `poll`, `epoll_wait`, `kevent`, and the readiness wait of a socket with a timeout):
 * make the call; when a signal interrupts it, make it again with the time left until
 * a monotonic deadline fixed before the first attempt; once that deadline has passed,
 * report that nothing is ready. It is the loop of CPython's `Modules/selectmodule.c`
 * (`select_select_impl`, `select_poll_poll_impl`, `select_epoll_poll_impl`,
 * `select_kqueue_control_impl`) and `Modules/socketmodule.c` (`sock_call_ex`), with
 * `_PyDeadline_Init` and `_PyDeadline_Get` (`Python/pytime.c`).
 *
 * CPython calls `PyErr_CheckSignals()` before each retry so that a Python signal
 * handler can raise. A JavaScript signal listener runs on the event loop, never in the
 * middle of a synchronous call, so there is nothing to check here: the wait resumes.
 *
 * @module
 */
import { osError, waitInterrupted } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { deadlineAfter, type Ns, nsLeft } from "./timeout.ts";

/**
 * One waiting system call and its arguments, as the loop drives it. Each primitive
 * keeps its own (one per object, or per module for `select` and the socket waits) and
 * sets the arguments before each wait, so that waiting allocates nothing.
 */
export interface InterruptibleWait {
  /** Makes the next attempts wait with no time limit. */
  block(): void;
  /**
   * Makes the next attempts wait at most `ns` nanoseconds (never negative), rounded
   * up to the system call's unit (`_PyTime_ROUND_CEILING`).
   */
  limit(ns: Ns): void;
  /** Makes the system call once: its result, or a negative number with errno set. */
  attempt(): number;
}

/**
 * The timeout of `poll(2)` and `epoll_wait(2)`: whole milliseconds in a C `int`, -1
 * to block. Subclasses make the call in {@linkcode MillisecondWait.attempt}.
 */
export abstract class MillisecondWait implements InterruptibleWait {
  /** The timeout of the next attempt, in milliseconds; -1 blocks. */
  ms = -1;

  block(): void {
    // -1 exactly, as the BSDs insist on INFTIM for "forever" (bpo-31334).
    this.ms = -1;
  }

  limit(ns: Ns): void {
    // Exact: below 2^31 ms, a float quotient never rounds down onto an integer.
    this.ms = Math.ceil(Number(ns) / 1e6);
  }

  abstract attempt(): number;
}

/**
 * How many times the loop has retried a system call that a signal interrupted, since
 * the module loaded: what tests read to prove that a signal really interrupted a wait
 * (the premise of every EINTR test), at the cost of one increment on a path that only
 * a signal takes.
 */
export const interruptions: { count: number } = { count: 0 };

/**
 * Waits for `timeout`, as a primitive's timeout parser returns it (`_py/timeout.ts`:
 * nanoseconds, or `null` for no limit).
 *
 * @returns The system call's result; 0 when the deadline passed while interrupted.
 * @throws {OSError} The system call failed other than by an interruption.
 */
export function waitFor(wait: InterruptibleWait, timeout: Ns | null): number {
  if (timeout === null) {
    wait.block();
    return waitUntil(wait, undefined);
  }
  wait.limit(timeout);
  return waitUntil(wait, deadlineAfter(timeout));
}

/**
 * The loop, for a wait whose first time limit is set already: `deadline` is in
 * monotonic milliseconds (`monotonicMs`), `undefined` for none. A socket operation
 * keeps one deadline across several waits.
 *
 * @returns The system call's result; 0 when the deadline passed while interrupted.
 * @throws {OSError} The system call failed other than by an interruption.
 */
export function waitUntil(wait: InterruptibleWait, deadline: number | undefined): number {
  for (;;) {
    const n = wait.attempt();
    if (n >= 0) return n;
    const errno = libc().errno();
    if (!waitInterrupted(errno)) throw osError(errno);
    interruptions.count++;
    if (deadline !== undefined) {
      const left = nsLeft(deadline);
      if (left < 0) return 0;
      wait.limit(left);
    }
  }
}
