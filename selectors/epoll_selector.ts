/**
 * {@linkcode EpollSelector} (Linux), Python's `selectors.EpollSelector`.
 *
 * @module
 */
import { EPOLLIN, EPOLLOUT } from "../select/constants.ts";
import {
  EPOLL_DATA_WORD,
  EPOLL_EVENT_WORDS,
  fastPaths,
  pollInto,
  readyBuffer,
  waitNow,
} from "../select/_internal.ts";
import { Epoll } from "../select/epoll.ts";
import { epollSelectorTimeout, parseEpollTimeout, secondsToWait } from "../_py/timeout.ts";
import { EVENT_READ, EVENT_WRITE, type SelectorKey } from "./key.ts";
import type { KeyTable } from "./_key_table.ts";
import { PollLikeSelector } from "./poll_like.ts";

/**
 * A selector on Linux `epoll`: the kernel keeps the interest set, so `select`
 * costs the same with ten fds or ten thousand. Python's `selectors.EpollSelector`.
 *
 * `register` is a system call: a regular file fails with `PermissionError` and a
 * closed fd with `OSError` (EBADF), and nothing stays registered. After `close()`,
 * `register` and `select` throw `ValueError("I/O operation on closed epoll object")`.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example Wait for a pipe with epoll
 * ```ts
 * import assert from "node:assert/strict";
 * import { EpollSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new EpollSelector();
 * const key = sel.register(r, EVENT_READ);
 * write(w, new Uint8Array([1]));
 * assert.deepEqual(sel.select(1), [[key, EVENT_READ]]);
 * close(r);
 * close(w);
 * ```
 */
export class EpollSelector<T = unknown> extends PollLikeSelector<T> {
  readonly #epoll: Epoll;

  /**
   * Makes a selector with a new epoll instance.
   *
   * @throws {OSError} The kernel refused (ENOSYS off Linux, EMFILE…).
   */
  constructor() {
    const primitive = new Epoll();
    super(primitive, EPOLLIN, EPOLLOUT);
    this.#epoll = primitive;
  }

  /**
   * Waits for I/O events and returns the ready keys (Python's
   * `EpollSelector.select`). A timeout of 0 or less, or none, makes one
   * `epoll_wait` and reads the kernel's buffer straight into the result; any
   * other timeout, and any failure of that call, takes the full path (rounding,
   * PEP 475 retries, CPython's errors).
   *
   * @param timeout Seconds; `undefined`/`null` blocks, 0 or less polls once.
   * @returns `[key, events]` pairs in the kernel's order, a new array each call.
   * @throws {ValueError} The selector is closed.
   *
   * @example A writable pipe is ready at once
   * ```ts
   * import assert from "node:assert/strict";
   * import { EpollSelector, EVENT_WRITE } from "@iomux/iomux/selectors";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using sel = new EpollSelector();
   * const key = sel.register(w, EVENT_WRITE);
   * assert.deepEqual(sel.select(0), [[key, EVENT_WRITE]]);
   * close(r);
   * close(w);
   * ```
   */
  override select(timeout?: number | null): [SelectorKey<T>, number][] {
    const block = timeout === undefined || timeout === null;
    if (block || (typeof timeout === "number" && timeout <= 0)) {
      const keys = this.fdToKey as KeyTable<T>;
      const n = this.#epoll[waitNow](block ? -1 : 0, keys.size || 1);
      if (n >= 0) {
        fastPaths.selector++;
        return n === 0 ? [] : this.#readyKeys(n);
      }
      fastPaths.selectorFallback++;
    }
    return this.collect(timeout);
  }

  /** The keys of the `n` events in the epoll buffer, as `_PollLikeSelector.select` maps them. */
  #readyKeys(n: number): [SelectorKey<T>, number][] {
    const words = this.#epoll[readyBuffer]();
    const keys = this.fdToKey as KeyTable<T>;
    const byFd = keys.byFd;
    const ready: [SelectorKey<T>, number][] = new Array(n);
    let k = 0;
    for (let i = 0, at = 0; i < n; i++, at += EPOLL_EVENT_WORDS) {
      const fd = words[at + EPOLL_DATA_WORD]! | 0;
      let key = byFd[fd];
      if (key === undefined && keys.unindexed !== 0) key = keys.get(fd);
      if (key !== undefined) {
        const native = words[at]!;
        // Any bit but IN means WRITE, any bit but OUT means READ (so ERR/HUP wake both).
        const events = (native & ~EPOLLIN ? EVENT_WRITE : 0) |
          (native & ~EPOLLOUT ? EVENT_READ : 0);
        ready[k++] = [key, events & key.events];
      }
    }
    if (k < n) ready.length = k;
    return ready;
  }

  /** The closed check `epoll.poll` makes first, made once so `select` allocates no closure. */
  readonly #checkOpen = (): void => {
    this.#epoll.fileno();
  };

  /**
   * The epoll fd.
   *
   * @returns The fd.
   * @throws {ValueError} The selector is closed.
   *
   * @example The epoll fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { EpollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new EpollSelector();
   * assert.ok(Number.isInteger(sel.fileno()) && sel.fileno() >= 0);
   * ```
   */
  fileno(): number {
    return this.#epoll.fileno();
  }

  /** Closes the epoll instance (`close()` then forgets every key). */
  protected override release(): void {
    this.#epoll.close();
  }

  /** `select(timeout)`'s checks for `selectAsync`: its rounding, then `epoll.poll`'s. */
  protected override waitSeconds(timeout: number | null | undefined): number {
    return secondsToWait(parseEpollTimeout(epollSelectorTimeout(timeout, this.#checkOpen)));
  }

  /** The epoll fd: it is readable while any registered fd is ready. */
  protected override readinessFd(): number | null {
    return this.#epoll.fileno();
  }

  /**
   * `ceil(timeout * 1e3) * 1e-3` seconds, and `maxevents` = the number of keys
   * (at least 1, so that an empty selector can wait: bpo-23009).
   *
   * @param timeout Seconds, or `undefined`/`null` to block.
   */
  protected override wait(timeout: number | null | undefined): void {
    const seconds = epollSelectorTimeout(timeout, this.#checkOpen);
    this.#epoll[pollInto](seconds, this.fdToKey.size || 1, this.sink);
  }
}
