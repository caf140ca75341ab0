/**
 * {@linkcode PollSelector}, Python's `selectors.PollSelector`.
 *
 * @module
 */
import { POLLIN, POLLOUT } from "../select/constants.ts";
import { pollInto } from "../select/_internal.ts";
import { type Poll, poll } from "../select/poll.ts";
import { parsePollTimeout, pollSelectorTimeout, secondsToWait } from "../_py/timeout.ts";
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
