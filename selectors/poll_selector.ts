/**
 * {@linkcode PollSelector} (reference §6.6).
 *
 * @module
 */
import { POLLIN, POLLOUT } from "../select/constants.ts";
import { pollInto } from "../select/_internal.ts";
import { type Poll, poll } from "../select/poll.ts";
import { parsePollTimeout, pollSelectorTimeout, secondsToWait } from "../_py/timeout.ts";
import { waitSeconds } from "./_select_async.ts";
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
 * @example
 * ```ts
 * import { EVENT_READ, PollSelector } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new PollSelector();
 * sel.register(r, EVENT_READ);
 * console.log(sel.select(0)); // []
 * write(w, new Uint8Array([1]));
 * console.log(sel.select(0).length); // 1
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
   * @ignore The checks `select(timeout)` makes before it waits, for `selectAsync`.
   */
  [waitSeconds](timeout: number | null | undefined): number {
    return secondsToWait(parsePollTimeout(pollSelectorTimeout(timeout)));
  }

  /**
   * Python's `_PollLikeSelector.select` timeout, then `poll`.
   *
   * @param timeout Seconds, or `undefined`/`null` to block.
   * @param sink Receives each ready fd and its events.
   */
  protected wait(
    timeout: number | null | undefined,
    sink: (fd: number, events: number) => void,
  ): void {
    this.#poll[pollInto](pollSelectorTimeout(timeout), sink);
  }
}
