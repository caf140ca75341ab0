/**
 * The evidence the EINTR suites read (see `eintr.ts`): a count of the libc calls that
 * came back with EINTR, taken on the real call's way back, and per selector class
 * which call it waits in and which libc function brings its EINTR back.
 *
 * @module
 */
import process from "node:process";
import { libc } from "../../ffi/libc.ts";
import { interruptions } from "../../_py/wait_loop.ts";
import { interruptedErrno, type Wait } from "./js_thread.ts";

/** The libc functions a blocking wait may come back from with EINTR. */
export type Interruptible =
  | "select"
  | "poll"
  | "epoll_wait"
  | "read"
  | "recv"
  | "recvfrom"
  | "recvmsg"
  | "accept"
  | "accept4";

/**
 * Counts the calls of `names` that return -1 with errno EINTR (or EAGAIN, see
 * `interruptedErrno`), until `restore`. The real function runs; the count is taken on
 * its way back (errno is left as it was for the caller, which reads it next).
 */
export function countEintr(
  ...names: Interruptible[]
): { count(): number; failures(): number[]; restore(): void } {
  const c = libc();
  // The waits that keep their symbol (select, poll, epoll_wait, kevent) are seen by the
  // wait loop's own count; the spy below sees the calls made through the table.
  const loopStart = interruptions.count;
  const table = c as unknown as Record<Interruptible, ((...args: unknown[]) => number) | null>;
  const originals = new Map<Interruptible, (...args: unknown[]) => number>();
  let count = 0;
  const failures: number[] = [];
  for (const name of names) {
    const real = table[name];
    if (real === null || originals.has(name)) continue;
    originals.set(name, real);
    table[name] = (...args: unknown[]) => {
      const n = real(...args);
      if (n === -1) {
        const errno = c.errno();
        failures.push(errno);
        if (interruptedErrno(errno)) count++;
      }
      return n;
    };
  }
  return {
    count: () => count + interruptions.count - loopStart,
    failures: () => failures,
    restore() {
      for (const [name, real] of originals) table[name] = real;
    },
  };
}

/**
 * What each selector class waits in, and the libc call that brings its EINTR back
 * (Lib/selectors.py: SelectSelector calls select.select, PollSelector select.poll,
 * EpollSelector select.epoll, KqueueSelector select.kqueue).
 */
export function selectorPremise(name: string): Premise {
  switch (name) {
    case "SelectSelector":
      return { waits: ["select"], counted: ["select"] };
    case "PollSelector":
      return { waits: ["poll"], counted: ["poll"] };
    case "KqueueSelector":
      // libkqueue's kevent (not a libc function) waits in epoll_wait on Linux.
      return { waits: ["epoll"], counted: [], blockedSuffices: true };
    default: // EpollSelector, and DefaultSelector where epoll exists
      return process.platform === "linux"
        ? { waits: ["epoll"], counted: ["epoll_wait"] }
        : { waits: [], counted: [] };
  }
}

/**
 * What shows that a signal interrupted a wait: one of the `counted` libc calls came
 * back with EINTR, or (`blockedSuffices`: a call the kernel may restart under SA_RESTART,
 * or one whose EINTR comes back through no libc function, libkqueue's kevent)
 * the thread was blocked in one of `waits` when a signal came.
 */
export interface Premise {
  readonly waits: readonly Wait[];
  readonly counted: readonly Interruptible[];
  readonly blockedSuffices?: boolean;
}
