/**
 * The Linux ready set: one private epoll instance that the waiting thread blocks on
 * in `epoll_wait(2)` (or, on Node's main thread, that Node's own loop watches:
 * `loop_round.ts`), changed in place with `epoll_ctl(2)` as waits start and end.
 * A wake-up then costs the events that happened, not the number of idle waits.
 *
 * Every fd is watched edge-triggered (`EPOLLET`), and each wait that starts re-arms
 * its fds (`EPOLL_CTL_MOD` queues an fd that is ready now, see `fs/eventpoll.c`
 * `ep_modify`). Level-triggered, an fd reporting only bits that no wait counts (a
 * pipe read end watched for writing after its writer closed reports `EPOLLHUP`,
 * which `select(2)` does not report for the write set) would end every round at
 * once. Edge-triggered, it is reported again only when its wait queue is woken,
 * which is when the kernel's own `select(2)` and `poll(2)` look at it again.
 *
 * An fd the kernel will not watch behaves as `poll(2)` reports it: `EBADF` as
 * `POLLNVAL`, `EPERM` (a regular file, always ready) as readable and writable.
 * Any other refusal (`ENOMEM`, `ENOSPC` at `max_user_watches`) fails that wait only.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError, osError, waitInterrupted } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { EPOLL_DATA_WORD, EPOLL_EVENT_SIZE, EPOLL_EVENT_WORDS } from "../ffi/structs.ts";
import { LoopRound } from "./loop_round.ts";
import { loopWakeOpener } from "./loop_wake.ts";
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

const { EBADF, EPERM, ENOENT, EEXIST } = abi.errno;
const { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, POLLNVAL } = abi.poll;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
const EPOLLET = 1 << 31;
const EPOLL_CLOEXEC = 0o2000000;
/** Events one round takes; more stay queued in the kernel for the next. */
const MAX_EVENTS = 256;
/** What `poll(2)` reports for a regular file (`DEFAULT_POLLMASK`). */
const ALWAYS_READY = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

/** One watched fd: the waits on it and how many of them ask for each mask. */
interface Watched {
  readonly watches: Map<Watch, { mask: number; counts: number }>;
  readonly masks: Map<number, number>;
  /** The events it is registered with; -1 when the kernel refused it. */
  events: number;
  /** What it counts as reporting at once when the kernel refused it. */
  refused: number;
  /** Registered, and no event delivered since: a wait asking the same needs no re-arm. */
  quiet: boolean;
  /** While no wait holds it: the owner of the last one, whose next wait reuses it. */
  idleOwner: object | undefined;
  /** The owner's {@linkcode EpollSet.forget} count when it went idle. */
  idleEpoch: number;
}

/** An epoll set with a wake-up eventfd in it. */
export class EpollSet implements ReadySet {
  readonly #epfd: number;
  readonly #wake: WakeFd;
  readonly #watched = new Map<number, Watched>();
  /** Per owner, the fds that stay registered between its waits. */
  readonly #idle = new WeakMap<object, Set<number>>();
  /** Per owner, how often its set changed (see `forget`). */
  readonly #epochs = new WeakMap<object, number>();
  readonly #events = new Uint8Array(MAX_EVENTS * EPOLL_EVENT_SIZE);
  readonly #words = new Uint32Array(this.#events.buffer);
  readonly #ctlEvent = new Uint8Array(EPOLL_EVENT_SIZE);
  readonly #ctlWords = new Uint32Array(this.#ctlEvent.buffer);
  /** `epoll_ctl` calls made so far (tests count them). */
  ctlCalls = 0;
  readonly ownFds: readonly number[];
  interrupted = 0;
  /** Rounds on Node's own loop, where a poll handle can watch the set (see `loop_round.ts`). */
  #loop: LoopRound | null | undefined;

  constructor() {
    const c = libc();
    this.#epfd = c.epoll_create1!(EPOLL_CLOEXEC);
    if (this.#epfd < 0) throw lastOsError();
    try {
      this.#wake = openWake();
    } catch (error) {
      c.close(this.#epfd);
      throw error;
    }
    if (this.#ctl(EPOLL_CTL_ADD, this.#wake.read, POLLIN) !== 0) {
      const error = lastOsError();
      c.close(this.#epfd);
      c.close(this.#wake.read);
      throw error;
    }
    this.ownFds = [this.#epfd, this.#wake.read];
    this.ctlCalls = 0;
  }

  add(watch: Watch): boolean {
    const flat = watch.interests;
    let ready = false;
    for (let i = 0; i < flat.length; i += 3) {
      const fd = flat[i]!;
      let entry = this.#watched.get(fd);
      const fresh = entry === undefined;
      entry ??= {
        watches: new Map(),
        masks: new Map(),
        events: 0,
        refused: 0,
        quiet: false,
        idleOwner: undefined,
        idleEpoch: 0,
      };
      if (entry.idleOwner !== undefined) {
        this.#idle.get(entry.idleOwner)?.delete(fd);
        const epoch = this.#epochs.get(watch.owner) ?? 0;
        if (entry.idleOwner !== watch.owner || entry.idleEpoch !== epoch) entry.quiet = false;
        entry.idleOwner = undefined;
      }
      const before = entry.watches.get(watch);
      const mask = (before?.mask ?? 0) | flat[i + 1]!;
      const counts = (before?.counts ?? 0) | flat[i + 2]!;
      if (before !== undefined) unref(entry.masks, before.mask);
      entry.masks.set(mask, (entry.masks.get(mask) ?? 0) + 1);
      entry.watches.set(watch, { mask, counts });
      if (fresh) this.#watched.set(fd, entry);
      let errno: number;
      try {
        errno = this.#arm(fd, entry, fresh);
      } catch (error) {
        this.remove(watch);
        throw error;
      }
      if (errno !== 0) {
        this.remove(watch);
        throw osError(errno);
      }
      if ((entry.refused & counts) !== 0) ready = true;
    }
    return ready;
  }

  /**
   * An fd whose last wait ended stays registered (no `EPOLL_CTL_DEL`), so that a
   * loop of waits on the same set (a selector over many fds) re-arms only the fds
   * that reported since: the cost of a wait is what happened, not the set's size.
   */
  remove(watch: Watch): void {
    const flat = watch.interests;
    for (let i = 0; i < flat.length; i += 3) {
      const fd = flat[i]!;
      const entry = this.#watched.get(fd);
      const mine = entry?.watches.get(watch);
      if (entry === undefined || mine === undefined) continue;
      entry.watches.delete(watch);
      unref(entry.masks, mine.mask);
      if (entry.watches.size === 0) {
        if (entry.events < 0) {
          this.#watched.delete(fd);
          continue;
        }
        entry.idleOwner = watch.owner;
        entry.idleEpoch = this.#epochs.get(watch.owner) ?? 0;
        let idle = this.#idle.get(watch.owner);
        if (idle === undefined) this.#idle.set(watch.owner, idle = new Set());
        idle.add(fd);
      } else if (entry.events >= 0 && union(entry.masks) !== entry.events) {
        this.#arm(fd, entry, false);
      }
    }
  }

  /**
   * `owner`'s set changed (or its fds may have been closed and their numbers
   * reused): the fds kept for it are re-armed at its next wait.
   */
  forget(owner: object): void {
    this.#epochs.set(owner, (this.#epochs.get(owner) ?? 0) + 1);
  }

  /** `owner` is closed: the fds kept for it leave the set. */
  drop(owner: object): void {
    const idle = this.#idle.get(owner);
    if (idle === undefined) return;
    this.#idle.delete(owner);
    for (const fd of idle) {
      this.#watched.delete(fd);
      // ENOENT/EBADF: the fd was closed meanwhile, which already removed it.
      this.#ctl(EPOLL_CTL_DEL, fd, 0);
    }
  }

  /**
   * Waits until something is ready or `timeout` ms have passed: in `epoll_wait` on a
   * thread off the JS thread, or, where Node's own loop can watch the set's fd, on
   * that loop, and then in a zero-timeout `epoll_wait` here.
   */
  async round(timeout: number): Promise<Round> {
    const c = libc();
    const loop = this.#loopRound();
    let n: number;
    if (loop !== null) {
      await loop.wait(timeout);
      n = c.epoll_wait!(this.#epfd, this.#events, MAX_EVENTS, 0);
    } else n = await c.epoll_wait_async!(this.#epfd, this.#events, MAX_EVENTS, timeout);
    // errno of the off-thread call stayed on its thread: ask again to learn it.
    if (n < 0) {
      this.interrupted++;
      n = c.epoll_wait!(this.#epfd, this.#events, MAX_EVENTS, 0);
    }
    if (n < 0) {
      const errno = c.errno();
      if (!waitInterrupted(errno)) throw osError(errno);
      n = 0;
    }
    const ready = new Set<Watch>();
    this.#collect(n, ready);
    // What became ready during the hop back from the thread (a burst wakes it at its
    // first event) is settled in this round rather than after another hop. On the
    // loop there is no hop: the zero-timeout call above was made just now.
    if (loop === null && n < MAX_EVENTS) {
      const more = c.epoll_wait!(this.#epfd, this.#events, MAX_EVENTS, 0);
      if (more > 0) this.#collect(more, ready);
    }
    return { ready, failed: new Map() };
  }

  wake(): void {
    signalWake(this.#wake);
  }

  close(): void {
    this.#loop?.close();
    closeWake(this.#wake);
    libc().close(this.#epfd);
  }

  /** Whether the rounds wait on the runtime's own loop rather than on a thread (after the first). */
  get onLoop(): boolean {
    return this.#loop instanceof LoopRound;
  }

  /** The loop's rounds, opened at the first round; `null` where there is no such loop. */
  #loopRound(): LoopRound | null {
    if (this.#loop !== undefined) return this.#loop;
    const open = loopWakeOpener();
    try {
      return this.#loop = open === undefined ? null : new LoopRound(this.#epfd, open);
    } catch {
      // koffi without `node.poll`, or libuv's symbols missing: the thread still works.
      return this.#loop = null;
    }
  }

  #collect(n: number, ready: Set<Watch>): void {
    const words = this.#words;
    for (let i = 0; i < n; i++) {
      const revents = words[i * EPOLL_EVENT_WORDS]!;
      const fd = words[i * EPOLL_EVENT_WORDS + EPOLL_DATA_WORD]!;
      if (fd === this.#wake.read) {
        drainWake(this.#wake);
        continue;
      }
      const entry = this.#watched.get(fd);
      if (entry === undefined) continue;
      entry.quiet = false;
      for (const [watch, { counts }] of entry.watches) {
        if ((revents & counts) !== 0) ready.add(watch);
      }
    }
  }

  /**
   * Registers `fd` with the union of its masks (and queues it when it is ready
   * now); returns 0, or the errno of a refusal that only its waits may see.
   */
  #arm(fd: number, entry: Watched, fresh: boolean): number {
    const events = union(entry.masks);
    if (entry.quiet && entry.events === events) return 0;
    // Refused before: ask again, the fd may be open now.
    if (entry.events < 0) [fresh, entry.refused] = [true, 0];
    const c = libc();
    let status = this.#ctl(fresh ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, events);
    let errno = status === 0 ? 0 : c.errno();
    // The fd was closed and its number reused since it was added: epoll forgot it.
    if (errno === ENOENT) {
      status = this.#ctl(EPOLL_CTL_ADD, fd, events);
      errno = status === 0 ? 0 : c.errno();
    }
    if (errno === EEXIST) {
      status = this.#ctl(EPOLL_CTL_MOD, fd, events);
      errno = status === 0 ? 0 : c.errno();
    }
    if (errno === EBADF || errno === EPERM) {
      entry.events = -1;
      entry.quiet = false;
      entry.refused = errno === EBADF ? POLLNVAL : ALWAYS_READY;
      return 0;
    }
    if (errno !== 0) return errno;
    entry.events = events;
    entry.quiet = true;
    return 0;
  }

  #ctl(op: number, fd: number, events: number): number {
    this.ctlCalls++;
    this.#ctlWords[0] = (events & ~POLLNVAL) | (fd === this.#wake.read ? 0 : EPOLLET);
    this.#ctlWords[EPOLL_DATA_WORD] = fd;
    return libc().epoll_ctl!(this.#epfd, op, fd, this.#ctlEvent);
  }
}

function unref(masks: Map<number, number>, mask: number): void {
  const refs = masks.get(mask)! - 1;
  if (refs === 0) masks.delete(mask);
  else masks.set(mask, refs);
}

function union(masks: Map<number, number>): number {
  let events = 0;
  for (const mask of masks.keys()) events |= mask;
  return events;
}
