/**
 * {@linkcode BaseSelectorImpl}: the fd table every concrete selector shares and
 * the one place that turns a primitive's ready fds into keys, Python's
 * `_BaseSelectorImpl` (`Lib/selectors.py`).
 *
 * @module
 */
import { InterruptedError, KeyError, RuntimeError } from "../errors.ts";
import type { FileLike } from "../_py/convert.ts";
import { endWaits, refreshWaits } from "../_wait/async_wait.ts";
import { checkEvents, fileobjLookup, sameEvents } from "./_fileobj.ts";
import { pyRepr } from "./_repr.ts";
import { BaseSelector } from "./base.ts";
import { EVENT_READ, EVENT_WRITE, SelectorKey } from "./key.ts";
import { KeyTable } from "./_key_table.ts";
import { SelectorMapping } from "./mapping.ts";

const NO_RESULTS: [never, number][] = Object.freeze([]) as unknown as [never, number][];

/**
 * The shared part of the concrete selectors: an insertion-ordered fd → key
 * table, CPython's lookup rules and error messages, the data-only `modify`
 * shortcut, `close`, and the collection of ready keys.
 *
 * A mechanism extends it (or {@linkcode PollLikeSelector}) and provides only
 * its system calls, as protected methods that `register`, `unregister`,
 * `modify`, `close` and `select` call in CPython's order:
 * - `watch(key)` / `unwatch(key)`: tell the primitive about a new or removed key
 *   (a `watch` that throws leaves nothing registered);
 * - `changeEvents(...)`: optional, an events change (default: unregister and
 *   register again, as `_BaseSelectorImpl.modify`);
 * - `release()`: optional, close the primitive;
 * - `wait(timeout)`: wait, handing each ready fd to `sink` with the primitive's
 *   bits, whose "readable" and "writable" ones the constructor takes;
 * - `select(timeout)` itself, which is `collect(timeout)` (CPython's
 *   `_BaseSelectorImpl` leaves `select` abstract, and so does this class);
 * - and, for `selectAsync`, `waitSeconds` and `readinessFd` (see
 *   {@linkcode BaseSelector}).
 *
 * The pending `selectAsync` waits of a selector follow its registrations because
 * this class tells them after every change (`refreshWaits`) and on `close`
 * (`endWaits`): a mechanism has nothing to call.
 *
 * After `close()`, `getKey` throws `RuntimeError("Selector is closed")` and
 * `getMap()` returns the same mapping, now empty (Python returns `None`).
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example Every concrete selector builds on it
 * ```ts
 * import assert from "node:assert/strict";
 * import { BaseSelectorImpl, SelectSelector } from "@iomux/iomux/selectors";
 *
 * using sel = new SelectSelector();
 * assert.ok(sel instanceof BaseSelectorImpl);
 * ```
 */
export abstract class BaseSelectorImpl<T = unknown> extends BaseSelector<T> {
  /**
   * fd → key, in registration order (Python's `_fd_to_key`). It is a `KeyTable`
   * (`_key_table.ts`), which keeps an fd-indexed array of the same keys for the fast
   * paths of `select`.
   */
  protected readonly fdToKey: Map<number, SelectorKey<T>> = new KeyTable<T>();
  readonly #map: SelectorMapping<T> = new SelectorMapping(
    this.fdToKey,
    (fileobj) => this.fileobjLookup(fileobj),
  );
  #closed = false;
  /** The result of the `select` in progress, filled by {@linkcode BaseSelectorImpl.sink}. */
  #ready: [SelectorKey<T>, number][] = NO_RESULTS;

  /** The primitive's "readable" bit (Python's `_EVENT_READ` of `_PollLikeSelector`). */
  protected readonly eventIn: number;
  /** The primitive's "writable" bit. */
  protected readonly eventOut: number;

  /**
   * Receives the primitive's results straight from its buffer: the key of `fd`,
   * with the ready events it asked for. Any bit but `eventIn` means WRITE and any
   * bit but `eventOut` means READ (`_PollLikeSelector.select`, so ERR/HUP wake
   * both); with the default bits that is `EVENT_*` as given. Made once, so
   * `select` makes no closure.
   */
  protected readonly sink: (fd: number, native: number) => void = (
    fd: number,
    native: number,
  ): void => {
    const key = this.fdToKey.get(fd);
    if (key !== undefined) {
      const events = (native & ~this.eventIn ? EVENT_WRITE : 0) |
        (native & ~this.eventOut ? EVENT_READ : 0);
      this.#ready.push([key, events & key.events]);
    }
  };

  /**
   * Makes an empty selector.
   *
   * @param eventIn The primitive's "readable" bit (`POLLIN`, `EPOLLIN`); by
   *   default `EVENT_READ`, for a `wait` that hands `EVENT_*` bits to the sink.
   * @param eventOut The primitive's "writable" bit; by default `EVENT_WRITE`.
   */
  constructor(eventIn: number = EVENT_READ, eventOut: number = EVENT_WRITE) {
    super();
    this.eventIn = eventIn;
    this.eventOut = eventOut;
  }

  /**
   * `_fileobj_lookup`: the fd of `fileobj`; when that fails with ValueError (a
   * closed object), the fd of a key holding this very object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The fd.
   * @throws {ValueError} Invalid and not registered by identity.
   */
  protected fileobjLookup(fileobj: FileLike): number {
    return fileobjLookup(fileobj, this.fdToKey);
  }

  /**
   * Records the key, then tells the primitive (`watch`); if the primitive
   * refuses, the key is removed again and the error propagates. Events are
   * checked before the file object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Anything to attach.
   * @returns The new key.
   * @throws {ValueError} `"Invalid events: <repr>"`, `"Invalid file object: <repr>"`
   *   or `"Invalid file descriptor: N"`.
   * @throws {KeyError} `"<repr> (FD n) is already registered"`.
   * @throws {TypeError} `events` is not an integer.
   * @throws {OSError} The primitive refused the fd (epoll: a regular file, a
   *   closed fd).
   *
   * @example Register an fd and get its key
   * ```ts
   * import assert from "node:assert/strict";
   * import { KeyError } from "@iomux/iomux";
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new SelectSelector();
   * assert.equal(sel.register(0, EVENT_READ).fd, 0);
   * assert.throws(() => sel.register(0, EVENT_READ), new KeyError("0 (FD 0) is already registered"));
   * ```
   */
  register(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    const bits = checkEvents(events);
    const fd = this.fileobjLookup(fileobj);
    if (this.fdToKey.has(fd)) {
      throw new KeyError(`${pyRepr(fileobj)} (FD ${fd}) is already registered`);
    }
    const key = new SelectorKey(fileobj, fd, bits, data as T);
    this.fdToKey.set(fd, key);
    try {
      this.watch(key);
    } catch (error) {
      // CPython's `super().unregister(fileobj)`: the map only, not the primitive.
      this.fdToKey.delete(fd);
      throw error;
    }
    refreshWaits(this);
    return key;
  }

  /**
   * Forgets the key of `fileobj`, then tells the primitive (`unwatch`).
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The removed key.
   * @throws {KeyError} `"<repr> is not registered"`.
   * @throws {ValueError} Invalid and not registered by identity.
   *
   * @example Unregister returns the key it removes
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new SelectSelector();
   * const key = sel.register(0, EVENT_READ);
   * assert.equal(sel.unregister(0), key);
   * assert.equal(sel.getMap().size, 0);
   * ```
   */
  unregister(fileobj: FileLike): SelectorKey<T> {
    const fd = this.fileobjLookup(fileobj);
    const key = this.fdToKey.get(fd);
    if (key === undefined) throw new KeyError(`${pyRepr(fileobj)} is not registered`);
    this.fdToKey.delete(fd);
    try {
      this.unwatch(key);
    } finally {
      refreshWaits(this);
    }
    return key;
  }

  /**
   * Changes the events (through `changeEvents`: by default unregistering and
   * registering again) or only the data (replacing the key, with no
   * unregister/register). Data is compared with `!==`: Python compares with
   * `==`, so an equal but distinct object replaces the data here where Python
   * would keep the old one.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events The new events.
   * @param data The new data (`undefined` when omitted).
   * @returns The key now stored; the same object when nothing changed.
   * @throws {KeyError} `"<repr> is not registered"`.
   * @throws {ValueError} Invalid events, after the old key was removed (CPython).
   *
   * @example Replace the data, keep the events
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new SelectSelector<string>();
   * sel.register(0, EVENT_READ, "a");
   * assert.equal(sel.modify(0, EVENT_READ, "b").data, "b");
   * assert.equal(sel.getKey(0).data, "b");
   * ```
   */
  override modify(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    let key = this.lookupKey(fileobj);
    if (!sameEvents(events, key.events)) {
      try {
        return this.changeEvents(fileobj, key, events, data);
      } finally {
        refreshWaits(this);
      }
    }
    if (data !== key.data) {
      key = new SelectorKey(key.fileobj, key.fd, key.events, data as T);
      this.fdToKey.set(key.fd, key);
    }
    return key;
  }

  /**
   * The key of `fileobj` for `modify`: `KeyError` when it is not registered.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The stored key.
   */
  protected lookupKey(fileobj: FileLike): SelectorKey<T> {
    const key = this.fdToKey.get(this.fileobjLookup(fileobj));
    if (key === undefined) throw new KeyError(`${pyRepr(fileobj)} is not registered`);
    return key;
  }

  /**
   * Releases the primitive (`release`), forgets every key and ends pending
   * `selectAsync` waits. Idempotent.
   *
   * @example Closing forgets every registration
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   *
   * const sel = new SelectSelector();
   * sel.register(0, EVENT_READ);
   * sel.close();
   * assert.equal(sel.getMap().size, 0);
   * ```
   */
  override close(): void {
    try {
      this.release();
    } finally {
      this.fdToKey.clear();
      this.#closed = true;
      endWaits(this);
    }
  }

  /**
   * The key of a registered file object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns Its key.
   * @throws {RuntimeError} `"Selector is closed"`.
   * @throws {KeyError} `"<repr> is not registered"`.
   *
   * @example No keys once closed
   * ```ts
   * import assert from "node:assert/strict";
   * import { RuntimeError } from "@iomux/iomux";
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   *
   * const sel = new SelectSelector();
   * sel.register(0, EVENT_READ);
   * sel.close();
   * assert.throws(() => sel.getKey(0), new RuntimeError("Selector is closed"));
   * ```
   */
  override getKey(fileobj: FileLike): SelectorKey<T> {
    if (this.#closed) throw new RuntimeError("Selector is closed");
    return super.getKey(fileobj);
  }

  /**
   * The live, read-only view of the registrations.
   *
   * @returns The same mapping on every call, empty after `close()`.
   *
   * @example The same live mapping every time
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new SelectSelector();
   * assert.equal(sel.getMap(), sel.getMap());
   * ```
   */
  getMap(): SelectorMapping<T> {
    return this.#map;
  }

  /**
   * What every mechanism's `select` does: `wait`, with the ready keys collected
   * by {@linkcode BaseSelectorImpl.sink}. A wait interrupted by a signal is
   * retried with the time left by the primitive (PEP 475); an
   * `InterruptedError` that still comes through gives `[]`, as CPython's
   * selectors do.
   *
   * @param timeout The caller's timeout, in seconds.
   * @returns `[key, events]` pairs in the primitive's order.
   */
  protected collect(timeout: number | null | undefined): [SelectorKey<T>, number][] {
    const ready: [SelectorKey<T>, number][] = [];
    this.#ready = ready;
    try {
      this.wait!(timeout);
    } catch (error) {
      if (error instanceof InterruptedError) return [];
      throw error;
    } finally {
      this.#ready = NO_RESULTS;
    }
    return ready;
  }

  /**
   * Tells the primitive about a new key (`key.events` are valid `EVENT_*` bits).
   * Throwing refuses the registration: the key is removed from the map again.
   * This default tells nothing, which is right for a mechanism that reads the
   * map when it waits.
   *
   * @param _key The key just added to the map.
   */
  protected watch(_key: SelectorKey<T>): void {}

  /**
   * Tells the primitive that a key is gone (already removed from the map). The
   * fd may have been closed since it was registered. This default tells nothing.
   *
   * @param _key The removed key.
   */
  protected unwatch(_key: SelectorKey<T>): void {}

  /**
   * Changes the events of a registered key; `modify` calls it only when they
   * differ. This default is `_BaseSelectorImpl.modify`'s: `unregister`, then
   * `register` (so invalid events lose the key, as in CPython).
   *
   * @param fileobj The caller's file object.
   * @param _key Its current key.
   * @param events The new events, not yet validated.
   * @param data The new data.
   * @returns The key now stored.
   */
  protected changeEvents(
    fileobj: FileLike,
    _key: SelectorKey<T>,
    events: number,
    data: T | undefined,
  ): SelectorKey<T> {
    this.unregister(fileobj);
    return this.register(fileobj, events, data);
  }

  /**
   * Closes the primitive. `close()` calls it on every call, so it must be
   * idempotent. This default has no primitive to close.
   */
  protected release(): void {}

  /**
   * Converts `timeout` as the mechanism's selector does and waits, handing each ready
   * fd and the primitive's event bits for it to {@linkcode BaseSelectorImpl.sink}.
   * Every mechanism whose `select` is {@linkcode BaseSelectorImpl.collect} defines it.
   * (It is an optional member, not an abstract one, so that the type of
   * `DefaultSelector`, which extends this class, can be subclassed.)
   *
   * @param timeout The caller's timeout in seconds.
   */
  protected wait?(timeout: number | null | undefined): void;
}
