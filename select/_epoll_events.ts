/**
 * The `epoll_event` array an `Epoll` waits into and the `epoll_wait(2)`
 * call over it: the buffer's cap and growth, the fast wait, the wait the PEP 475 loop
 * drives, and the reading of its records. Separate from `epoll.ts`, which keeps
 * CPython's argument checks and their order (`Modules/selectmodule.c`
 * `select_epoll_poll_impl`): nothing here checks an argument or raises but the
 * kernel's error.
 *
 * @module
 */
import { libc } from "../ffi/libc.ts";
import { EPOLL_DATA_WORD, EPOLL_EVENT_SIZE, EPOLL_EVENT_WORDS } from "../ffi/structs.ts";
import type { Ns } from "../_py/timeout.ts";
import { MillisecondWait, waitFor } from "../_py/wait_loop.ts";
import type { EventSink } from "./_internal.ts";

/**
 * The most events one `poll()` asks the kernel for. CPython allocates `maxevents`
 * entries whatever their number; iomux caps the buffer (12 MiB on x86_64) and lets
 * further ready fds come in the next call, which level-triggered epoll guarantees.
 */
const MAX_EVENT_BUFFER = 1 << 20;

/** `epoll_wait(2)` into an event buffer, as the wait loop drives it. */
class EpollWaitCall extends MillisecondWait {
  epfd = -1;
  events: Uint8Array = new Uint8Array(0);
  maxevents = 0;

  /** The symbol, called as a plain function: 10–20 ns cheaper than a method call on `libc()`. */
  readonly #epollWait = libc().epoll_wait!;

  attempt(): number {
    const wait = this.#epollWait;
    return wait(this.epfd, this.events, this.maxevents, this.ms);
  }
}

/** One epoll instance's event buffer and the waits that fill it. */
export class EpollEvents {
  #events = new Uint8Array(0);
  /** The `epoll_event` words of the last wait (`EPOLL_EVENT_WORDS` per event). */
  words: Uint32Array = new Uint32Array(0);
  readonly #call = new EpollWaitCall();
  /** `epoll_wait`, bound once (null off Linux, where no instance can be made). */
  readonly #epollWait = libc().epoll_wait!;

  /**
   * One `epoll_wait(epfd, ms)` for at most `maxevents` (≥ 1) events, with no other
   * check: the kernel's count, or -1 when the call failed.
   */
  now(epfd: number, ms: 0 | -1, maxevents: number): number {
    const max = maxevents < MAX_EVENT_BUFFER ? maxevents : MAX_EVENT_BUFFER;
    if (this.#events.byteLength < max * EPOLL_EVENT_SIZE) this.#grow(max);
    const wait = this.#epollWait;
    return wait(epfd, this.#events, max, ms);
  }

  /**
   * The wait of `poll`, once its arguments are checked: at most `maxevents` (≥ 1)
   * events within `ns` (`null`: no limit), retried on EINTR; the number of events.
   */
  wait(epfd: number, maxevents: number, ns: Ns | null): number {
    const max = Math.min(maxevents, MAX_EVENT_BUFFER);
    if (this.#events.byteLength < max * EPOLL_EVENT_SIZE) this.#grow(max);
    const call = this.#call;
    call.epfd = epfd;
    call.events = this.#events;
    call.maxevents = max;
    return waitFor(call, ns);
  }

  /** The first `n` events as `[fd, events]` pairs, in the kernel's order. */
  pairs(n: number): [fd: number, events: number][] {
    const words = this.words;
    const result: [number, number][] = new Array(n);
    for (let i = 0, at = 0; i < n; i++, at += EPOLL_EVENT_WORDS) {
      result[i] = [words[at + EPOLL_DATA_WORD]! | 0, words[at]!];
    }
    return result;
  }

  /** Hands the first `n` events' `(fd, events)` to `sink`, in the kernel's order. */
  forEach(n: number, sink: EventSink): void {
    const words = this.words;
    for (let i = 0, at = 0; i < n; i++, at += EPOLL_EVENT_WORDS) {
      sink(words[at + EPOLL_DATA_WORD]! | 0, words[at]!);
    }
  }

  #grow(max: number): void {
    this.#events = new Uint8Array(max * EPOLL_EVENT_SIZE);
    this.words = new Uint32Array(this.#events.buffer);
  }
}
