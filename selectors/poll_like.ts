/**
 * {@linkcode PollLikeSelector}: what `PollSelector` and `EpollSelector` share,
 * Python's `_PollLikeSelector` (reference §6.6).
 *
 * @module
 */
import { InterruptedError, OSError } from "../errors.ts";
import type { FileLike } from "../select/_convert.ts";
import { refreshWaits } from "../_wait/async_wait.ts";
import { eventBits, sameEvents } from "./_fileobj.ts";
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

const NO_RESULTS: [never, number][] = Object.freeze([]) as unknown as [never, number][];

/**
 * The shared part of the selectors built on a `poll`-style primitive: the
 * primitive is told about every `register`/`modify`/`unregister`, and its
 * results are mapped to keys. A concrete selector passes its primitive and its
 * read/write bits to the constructor and implements {@linkcode PollLikeSelector.wait}.
 *
 * Behaviours of CPython kept here:
 * - a `register` the primitive refuses (epoll: a regular file, a closed fd) leaves
 *   nothing registered;
 * - `unregister` ignores the primitive's `OSError` (an fd closed since);
 * - `modify` does not validate events (0 and 7 are stored as given) and drops the
 *   key when the primitive's `modify` throws;
 * - any reported bit other than "in" means WRITE, any bit other than "out" means
 *   READ (so ERR/HUP wake both), masked by the key's events.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example
 * ```ts
 * import { PollLikeSelector, PollSelector } from "@iomux/iomux/selectors";
 * console.log(new PollSelector() instanceof PollLikeSelector); // true
 * ```
 */
export abstract class PollLikeSelector<T = unknown> extends BaseSelectorImpl<T> {
  /** The primitive (Python's `_selector`). */
  protected readonly poller: Poller;
  readonly #in: number;
  readonly #out: number;
  #ready: [SelectorKey<T>, number][] = NO_RESULTS;
  /** Receives the primitive's results straight from its buffer. */
  readonly #sink = (fd: number, event: number): void => {
    const key = this.fdToKey.get(fd);
    if (key !== undefined) {
      const events = (event & ~this.#in ? EVENT_WRITE : 0) | (event & ~this.#out ? EVENT_READ : 0);
      this.#ready.push([key, events & key.events]);
    }
  };

  /**
   * Wraps a primitive.
   *
   * @param poller The primitive.
   * @param eventIn Its "readable" bit (`POLLIN`, `EPOLLIN`).
   * @param eventOut Its "writable" bit (`POLLOUT`, `EPOLLOUT`).
   */
  constructor(poller: Poller, eventIn: number, eventOut: number) {
    super();
    this.poller = poller;
    this.#in = eventIn;
    this.#out = eventOut;
  }

  /**
   * Registers with the map, then with the primitive; if the primitive refuses,
   * the key is removed again and the error propagates.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Anything to attach.
   * @returns The new key.
   * @throws {OSError} The primitive refused the fd.
   *
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * console.log(sel.register(1, EVENT_WRITE).events); // 2
   * ```
   */
  override register(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    const key = super.register(fileobj, events, data);
    try {
      this.poller.register(key.fd, this.#mask(key.events));
    } catch (error) {
      super.unregister(fileobj);
      throw error;
    }
    return key;
  }

  /**
   * Unregisters from the map and from the primitive, ignoring the primitive's
   * `OSError` (the fd may have been closed since it was registered).
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The removed key.
   *
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log(sel.unregister(1).fd); // 1
   * ```
   */
  override unregister(fileobj: FileLike): SelectorKey<T> {
    const key = super.unregister(fileobj);
    try {
      this.poller.unregister(key.fd);
    } catch (error) {
      if (!(error instanceof OSError)) throw error;
    }
    return key;
  }

  /**
   * Changes the events (through the primitive's `modify`) and/or the data. The
   * events are not validated, as in CPython; if the primitive throws, the key is
   * dropped and the error propagates.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events The new events.
   * @param data The new data (`undefined` when omitted).
   * @returns The key now stored; the same object when nothing changed.
   *
   * @example
   * ```ts
   * import { EVENT_READ, EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log(sel.modify(1, EVENT_READ).events); // 1
   * ```
   */
  override modify(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    let key = this.lookupKey(fileobj);
    let changed = false;
    let bits = key.events;
    if (!sameEvents(events, key.events)) {
      bits = eventBits(events);
      try {
        this.poller.modify(key.fd, this.#mask(bits));
      } catch (error) {
        super.unregister(fileobj);
        throw error;
      }
      // A pending selectAsync watching the map must see the new events.
      refreshWaits(this);
      changed = true;
    }
    if (data !== key.data) changed = true;
    if (changed) {
      key = new SelectorKey(key.fileobj, key.fd, bits, data as T);
      this.fdToKey.set(key.fd, key);
    }
    return key;
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * const key = sel.register(1, EVENT_WRITE);
   * console.log(sel.select(0).length <= 1); // true
   * ```
   */
  select(timeout?: number | null): [SelectorKey<T>, number][] {
    const ready: [SelectorKey<T>, number][] = [];
    this.#ready = ready;
    try {
      this.wait(timeout, this.#sink);
    } catch (error) {
      if (error instanceof InterruptedError) return [];
      throw error;
    } finally {
      this.#ready = NO_RESULTS;
    }
    return ready;
  }

  /**
   * Converts `timeout` as the mechanism's selector does and waits, handing each
   * ready `(fd, events)` to `sink`.
   *
   * @param timeout The caller's timeout in seconds.
   * @param sink Receives each ready fd and its events.
   */
  protected abstract wait(
    timeout: number | null | undefined,
    sink: (fd: number, events: number) => void,
  ): void;

  #mask(events: number): number {
    return (events & EVENT_READ ? this.#in : 0) | (events & EVENT_WRITE ? this.#out : 0);
  }
}
