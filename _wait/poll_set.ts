/**
 * The portable ready set, where there is no epoll: one `poll(2)` array over the
 * union of every pending wait's fds plus the wake-up fd, rebuilt when the set
 * changed (which wakes the pending round).
 *
 * `poll(2)` reports `POLLHUP`, `POLLERR` and `POLLNVAL` whatever the mask asked for,
 * so an fd that reports only bits no wait counts (a pipe read end a `select()`
 * owner watches for writing after its writer closed) would end every round at
 * once. Such an fd is left out of the next rounds ("parked") until the set changes
 * or another fd ends a round: the busy loop becomes one extra round per event.
 *
 * When `poll(2)` refuses the union (`EINVAL` when it holds more fds than
 * `RLIMIT_NOFILE`, say), each wait's own fds are polled alone: only the waits
 * whose own set fails see the error.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { osError, waitInterrupted } from "../ffi/errno.ts";
import { libc, toNfds } from "../ffi/libc.ts";
import { Pollfds } from "../ffi/pollfd.ts";
import {
  closeWake,
  drainWake,
  openWake,
  type ReadySet,
  type Round,
  signalWake,
  type WakeFd,
  type Watch,
} from "./ready_set.ts";

const { POLLIN } = abi.poll;

/** A `poll(2)` array over the pending waits' fds. */
export class PollSet implements ReadySet {
  readonly #wake: WakeFd;
  readonly #watches = new Set<Watch>();
  readonly #parked = new Set<number>();
  #pollfds = new Pollfds(16);
  #calling = false;
  changed = false;
  /** Array rebuilds made so far (tests count them). */
  rebuilds = 0;
  readonly ownFds: readonly number[];
  interrupted = 0;

  constructor() {
    this.#wake = openWake();
    this.ownFds = this.#wake.read === this.#wake.write
      ? [this.#wake.read]
      : [this.#wake.read, this.#wake.write];
  }

  add(watch: Watch): boolean {
    this.#watches.add(watch);
    this.#touch();
    return false;
  }

  remove(watch: Watch): void {
    if (this.#watches.delete(watch)) this.#touch();
  }

  forget(_owner: object): void {}

  drop(_owner: object): void {}

  async round(timeout: number): Promise<Round> {
    const c = libc();
    const { count, slots } = this.#rebuild();
    const set = this.#pollfds;
    const nfds = toNfds(count);
    this.changed = false;
    this.#calling = true;
    let n: number;
    try {
      n = await c.poll_async!(set.bytes, nfds, timeout);
    } finally {
      this.#calling = false;
    }
    if (n < 0) this.interrupted++;
    // Ask again without waiting: on -1 errno stayed on the worker thread; otherwise
    // what became ready during the hop back is settled in this round.
    const now = this.pollNow(set, count);
    const ready = new Set<Watch>();
    const failed = new Map<Watch, unknown>();
    if (now < 0 && n < 0) {
      const errno = c.errno();
      if (!waitInterrupted(errno)) this.#isolate(errno, ready, failed);
      return { ready, failed };
    }
    const woken = set.revents(count - 1) !== 0;
    if (woken) drainWake(this.#wake);
    const reported: number[] = [];
    for (const watch of this.#watches) {
      const flat = watch.interests;
      for (let i = 0; i < flat.length; i += 3) {
        const slot = slots.get(flat[i]!);
        if (slot === undefined) continue;
        const revents = set.revents(slot);
        if (revents !== 0) reported.push(flat[i]!);
        if ((revents & flat[i + 2]!) !== 0) {
          ready.add(watch);
          break;
        }
      }
    }
    this.#parked.clear();
    if (ready.size === 0 && !woken) { for (const fd of reported) this.#parked.add(fd); }
    return { ready, failed };
  }

  wake(): void {
    if (this.#calling) signalWake(this.#wake);
  }

  close(): void {
    closeWake(this.#wake);
  }

  /** The `events` bits `fd`'s record asks for, given the union of the waits' masks. */
  protected events(mask: number): number {
    return mask;
  }

  /** One `poll(2)` over the first `count` records, not waiting: `poll(2)`'s result. */
  protected pollNow(pollfds: Pollfds, count: number): number {
    return libc().poll(pollfds.bytes, toNfds(count), 0);
  }

  #touch(): void {
    this.#parked.clear();
    if (!this.changed) {
      this.changed = true;
      this.wake();
    }
  }

  /** Polls each wait's own fds alone: the waits whose set fails get the error. */
  #isolate(sharedErrno: number, ready: Set<Watch>, failed: Map<Watch, unknown>): void {
    const c = libc();
    for (const watch of this.#watches) {
      const flat = watch.interests;
      const count = flat.length / 3;
      const own = new Pollfds(Math.max(count, 1));
      for (let i = 0, j = 0; i < flat.length; i += 3, j++) {
        own.set(j, flat[i]!, this.events(flat[i + 1]!));
      }
      // No fds: nothing to fail (WSAPoll would refuse an empty array).
      const n = count === 0 ? 0 : this.pollNow(own, count);
      if (n < 0) failed.set(watch, osError(c.errno()));
      else if (n > 0) ready.add(watch);
    }
    if (ready.size === 0 && failed.size === 0) throw osError(sharedErrno);
  }

  /** Writes the union of every watch's fds, parked ones left out, the wake-up fd last. */
  #rebuild(): { count: number; slots: Map<number, number> } {
    this.rebuilds++;
    const slots = new Map<number, number>();
    const masks: number[] = [];
    for (const watch of this.#watches) {
      const flat = watch.interests;
      for (let i = 0; i < flat.length; i += 3) {
        const fd = flat[i]!;
        if (this.#parked.has(fd)) continue;
        const slot = slots.get(fd);
        if (slot === undefined) {
          slots.set(fd, masks.length);
          masks.push(flat[i + 1]!);
        } else masks[slot]! |= flat[i + 1]!;
      }
    }
    const count = masks.length + 1;
    if (this.#pollfds.capacity < count) {
      this.#pollfds = new Pollfds(Math.max(count, this.#pollfds.capacity * 2));
    }
    const pollfds = this.#pollfds;
    for (const [fd, slot] of slots) pollfds.set(slot, fd, this.events(masks[slot]!));
    pollfds.set(count - 1, this.#wake.read, POLLIN);
    return { count, slots };
  }
}
