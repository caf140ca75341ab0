/**
 * What a `Kqueue`'s `controlAsync` hands the shared waiter. A native kqueue's own fd
 * turns readable when events are pending, so the waiter watches that fd. libkqueue's
 * (Linux, `IOMUX_KQUEUE_LIB`) never does, so there the waiter watches the fds of the
 * read and write filters that the kqueue's changelists added and did not delete
 * since; other filters (timers, signals, user events) are not seen off the thread
 * there, and their events come with the next fd event or the timeout.
 *
 * @module
 */
import type { Interests } from "../_wait/waiter.ts";
import { POLLIN, POLLOUT } from "./constants.ts";
import type { KEvent } from "./kevent.ts";
import { KQ_EV_ADD, KQ_EV_DELETE, KQ_FILTER_READ, KQ_FILTER_WRITE } from "./kq_constants.ts";

const byQueue = new WeakMap<object, Map<number, number>>();

function bitOf(filter: number): number {
  return filter === KQ_FILTER_READ ? POLLIN : filter === KQ_FILTER_WRITE ? POLLOUT : 0;
}

/** Records the read/write filters that `changes` add to or delete from `queue`. */
export function noteChanges(queue: object, changes: readonly KEvent[]): void {
  let fds = byQueue.get(queue);
  for (const change of changes) {
    const bit = bitOf(change.filter);
    if (bit === 0 || typeof change.ident !== "number") continue;
    if ((change.flags & KQ_EV_DELETE) !== 0) {
      const mask = (fds?.get(change.ident) ?? 0) & ~bit;
      if (mask === 0) fds?.delete(change.ident);
      else fds!.set(change.ident, mask);
    } else if ((change.flags & KQ_EV_ADD) !== 0) {
      if (fds === undefined) byQueue.set(queue, fds = new Map());
      fds.set(change.ident, (fds.get(change.ident) ?? 0) | bit);
    }
  }
}

/** The `(fd, POLL* mask)` pairs whose readiness may give `queue` events. */
export function trackedInterests(queue: object): Interests {
  return byQueue.get(queue) ?? [];
}

/** `queue` is closed. */
export function forgetQueue(queue: object): void {
  byQueue.delete(queue);
}
