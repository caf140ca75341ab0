/**
 * {@linkcode PollSelector}, Python's `selectors.PollSelector`.
 *
 * @module
 */
import { POLLIN, POLLOUT } from "../select/constants.ts";
import { fastPaths, pollInto, readyBuffer, waitNow } from "../select/_internal.ts";
import { type Poll, poll } from "../select/poll.ts";
import { parsePollTimeout, pollSelectorTimeout, secondsToWait } from "../_py/timeout.ts";
import { EVENT_READ, EVENT_WRITE, type SelectorKey } from "./key.ts";
import type { KeyTable } from "./_key_table.ts";
import { PollLikeSelector } from "./poll_like.ts";

/**
 * A selector on `poll(2)`: any number of fds, any fd value. Python's
 * `selectors.PollSelector`.
 *
 * `register` makes no system call, so a closed fd is accepted and later reported
 * ready (as `POLLNVAL`, which maps to READ and WRITE). `select(timeout)` waits
 * `Math.ceil(timeout * 1000)` milliseconds.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example Nothing to read, then one byte
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, PollSelector } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new PollSelector();
 * const key = sel.register(r, EVENT_READ);
 * assert.deepEqual(sel.select(0), []);
 * write(w, new Uint8Array([1]));
 * assert.deepEqual(sel.select(0), [[key, EVENT_READ]]);
 * close(r);
 * close(w);
 * ```
 */
export class PollSelector<T = unknown> extends PollLikeSelector<T> {
  readonly #poll: Poll;

  /** Makes a selector with an empty `poll` set. */
  constructor() {
    const primitive = poll();
    super(primitive, POLLIN, POLLOUT);
    this.#poll = primitive;
  }

  /**
   * Waits for I/O events and returns the ready keys (Python's
   * `_PollLikeSelector.select`). A timeout of 0 or less, or none, makes one
   * `poll(2)` and reads its records straight into the result; any other timeout,
   * and any failure of that call, takes the full path (rounding, PEP 475
   * retries, CPython's errors).
   *
   * @param timeout Seconds; `undefined`/`null` blocks, 0 or less polls once.
   * @returns `[key, events]` pairs in registration order, a new array each call.
   *
   * @example A writable pipe is ready at once
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using sel = new PollSelector();
   * const key = sel.register(w, EVENT_WRITE);
   * assert.deepEqual(sel.select(0), [[key, EVENT_WRITE]]);
   * close(r);
   * close(w);
   * ```
   */
  override select(timeout?: number | null): [SelectorKey<T>, number][] {
    const block = timeout === undefined || timeout === null;
    if (block || (typeof timeout === "number" && timeout <= 0)) {
      const n = this.#poll[waitNow](block ? -1 : 0);
      if (n >= 0) {
        fastPaths.selector++;
        return n === 0 ? [] : this.#readyKeys(n);
      }
      fastPaths.selectorFallback++;
    }
    return this.collect(timeout);
  }

  /** The keys of the `n` ready records, as `_PollLikeSelector.select` maps them. */
  #readyKeys(n: number): [SelectorKey<T>, number][] {
    const { pollfds, count } = this.#poll[readyBuffer]();
    const keys = this.fdToKey as KeyTable<T>;
    const byFd = keys.byFd;
    const ready: [SelectorKey<T>, number][] = new Array(n);
    let k = 0;
    for (let i = 0, seen = 0; i < count && seen < n; i++) {
      const native = pollfds.revents(i);
      if (native === 0) continue;
      seen++;
      const fd = pollfds.fd(i);
      let key = byFd[fd];
      if (key === undefined && keys.unindexed !== 0) key = keys.get(fd);
      if (key !== undefined) {
        // Any bit but IN means WRITE, any bit but OUT means READ (so ERR/HUP/NVAL wake both).
        const events = (native & ~POLLIN ? EVENT_WRITE : 0) | (native & ~POLLOUT ? EVENT_READ : 0);
        ready[k++] = [key, events & key.events];
      }
    }
    if (k < n) ready.length = k;
    return ready;
  }

  /** `select(timeout)`'s checks for `selectAsync`: whole milliseconds, then `poll.poll`'s. */
  protected override waitSeconds(timeout: number | null | undefined): number {
    return secondsToWait(parsePollTimeout(pollSelectorTimeout(timeout)));
  }

  /**
   * Python's `_PollLikeSelector.select` timeout, then `poll`.
   *
   * @param timeout Seconds, or `undefined`/`null` to block.
   */
  protected override wait(timeout: number | null | undefined): void {
    this.#poll[pollInto](pollSelectorTimeout(timeout), this.sink);
  }
}
