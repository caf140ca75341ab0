/**
 * {@linkcode EpollSelector} (Linux), Python's `selectors.EpollSelector`.
 *
 * @module
 */
import { EPOLLIN, EPOLLOUT } from "../select/constants.ts";
import { pollInto } from "../select/_internal.ts";
import { Epoll } from "../select/epoll.ts";
import { epollSelectorTimeout, parseEpollTimeout, secondsToWait } from "../_py/timeout.ts";
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
