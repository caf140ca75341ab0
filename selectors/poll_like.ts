/**
 * {@linkcode PollLikeSelector}: what `PollSelector` and `EpollSelector` share,
 * Python's `_PollLikeSelector` (`Lib/selectors.py`).
 *
 * @module
 */
import { OSError } from "../errors.ts";
import type { FileLike } from "../_py/convert.ts";
import { eventBits } from "./_fileobj.ts";
import { BaseSelectorImpl } from "./impl.ts";
import { EVENT_READ, EVENT_WRITE, SelectorKey } from "./key.ts";

/** The primitive a poll-like selector drives: a `Poll` or an `Epoll`. */
export interface Poller {
  /** Starts watching `fd` for `mask`. */
  register(fd: number, mask: number): void;
  /** Changes the mask of `fd`. */
  modify(fd: number, mask: number): void;
  /** Stops watching `fd`. */
  unregister(fd: number): void;
}

/**
 * The shared part of the selectors built on a `poll`-style primitive: the
 * primitive is told about every `register`/`modify`/`unregister`, and its
 * results are mapped to keys. A concrete selector passes its primitive and its
 * read/write bits to the constructor and implements `wait` (and, for
 * `selectAsync`, `waitSeconds`), as CPython's `PollSelector` and
 * `EpollSelector` set three class attributes.
 *
 * Behaviours of CPython kept here:
 * - a `register` the primitive refuses (epoll: a regular file, a closed fd) leaves
 *   nothing registered;
 * - `unregister` ignores the primitive's `OSError` (an fd closed since);
 * - `modify` does not validate events (0 and 7 are stored as given) and drops the
 *   key when the primitive's `modify` throws (bpo-30014);
 * - any reported bit other than "in" means WRITE, any bit other than "out" means
 *   READ (so ERR/HUP wake both), masked by the key's events.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example The base of the poll and epoll selectors
 * ```ts
 * import assert from "node:assert/strict";
 * import { PollLikeSelector, PollSelector } from "@iomux/iomux/selectors";
 *
 * using sel = new PollSelector();
 * assert.ok(sel instanceof PollLikeSelector);
 * ```
 */
export abstract class PollLikeSelector<T = unknown> extends BaseSelectorImpl<T> {
  /** The primitive (Python's `_selector`). */
  protected readonly poller: Poller;

  /**
   * Wraps a primitive.
   *
   * @param poller The primitive.
   * @param eventIn Its "readable" bit (`POLLIN`, `EPOLLIN`).
   * @param eventOut Its "writable" bit (`POLLOUT`, `EPOLLOUT`).
   */
  constructor(poller: Poller, eventIn: number, eventOut: number) {
    super(eventIn, eventOut);
    this.poller = poller;
  }

  /**
   * Waits with the primitive and returns the ready keys. A wait interrupted by a
   * signal is retried with the time left (PEP 475); an `InterruptedError` that
   * still comes through gives `[]`.
   *
   * @param timeout Seconds; `undefined`/`null` blocks, 0 or less polls once.
   * @returns `[key, events]` pairs in the primitive's order.
   * @throws {TypeError} The timeout is not a number.
   * @throws {RangeError} An infinite or too large timeout.
   * @throws {ValueError} A NaN timeout.
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
  select(timeout?: number | null): [SelectorKey<T>, number][] {
    return this.collect(timeout);
  }

  /** Registers `key.fd` with the primitive. */
  protected override watch(key: SelectorKey<T>): void {
    this.poller.register(key.fd, this.#mask(key.events));
  }

  /** Unregisters `key.fd` from the primitive, ignoring its `OSError` (an fd closed since). */
  protected override unwatch(key: SelectorKey<T>): void {
    try {
      this.poller.unregister(key.fd);
    } catch (error) {
      if (!(error instanceof OSError)) throw error;
    }
  }

  /**
   * `_PollLikeSelector.modify`: the primitive's `modify`, with the events stored
   * as given; if the primitive throws, the key leaves the map and the error
   * propagates.
   */
  protected override changeEvents(
    _fileobj: FileLike,
    key: SelectorKey<T>,
    events: number,
    data: T | undefined,
  ): SelectorKey<T> {
    const bits = eventBits(events);
    try {
      this.poller.modify(key.fd, this.#mask(bits));
    } catch (error) {
      this.fdToKey.delete(key.fd);
      throw error;
    }
    const changed = new SelectorKey(key.fileobj, key.fd, bits, data as T);
    this.fdToKey.set(key.fd, changed);
    return changed;
  }

  #mask(events: number): number {
    return (events & EVENT_READ ? this.eventIn : 0) | (events & EVENT_WRITE ? this.eventOut : 0);
  }
}
