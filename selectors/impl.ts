/**
 * {@linkcode BaseSelectorImpl}: the fd table every concrete selector shares,
 * Python's `_BaseSelectorImpl` (reference §6.4).
 *
 * @module
 */
import { KeyError, RuntimeError, ValueError } from "../errors.ts";
import type { FileLike } from "../select/_convert.ts";
import { endWaits, refreshWaits } from "../_wait/async_wait.ts";
import { checkEvents, fileobjToFd, sameEvents } from "./_fileobj.ts";
import { pyRepr } from "./_repr.ts";
import { BaseSelector } from "./base.ts";
import { SelectorKey } from "./key.ts";
import { SelectorMapping } from "./mapping.ts";

/**
 * The shared part of the concrete selectors: an insertion-ordered fd → key
 * table, CPython's lookup rules and error messages, the data-only `modify`
 * shortcut and `close`. A new mechanism extends it (or
 * {@linkcode PollLikeSelector}) and adds the system calls.
 *
 * After `close()`, `getKey` throws `RuntimeError("Selector is closed")` and
 * `getMap()` returns the same mapping, now empty (Python returns `None`).
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example
 * ```ts
 * import { BaseSelectorImpl, SelectSelector } from "@iomux/iomux/selectors";
 * console.log(new SelectSelector() instanceof BaseSelectorImpl); // true
 * ```
 */
export abstract class BaseSelectorImpl<T = unknown> extends BaseSelector<T> {
  /** fd → key, in registration order (Python's `_fd_to_key`). */
  protected readonly fdToKey: Map<number, SelectorKey<T>> = new Map();
  readonly #map: SelectorMapping<T> = new SelectorMapping(
    this.fdToKey,
    (fileobj) => this.fileobjLookup(fileobj),
  );
  #closed = false;

  /**
   * `_fileobj_lookup`: the fd of `fileobj`; when that fails with ValueError (a
   * closed object), the fd of a key holding this very object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The fd.
   * @throws {ValueError} Invalid and not registered by identity.
   */
  protected fileobjLookup(fileobj: FileLike): number {
    try {
      return fileobjToFd(fileobj);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      for (const key of this.fdToKey.values()) {
        if (key.fileobj === fileobj) return key.fd;
      }
      throw error;
    }
  }

  /**
   * Records the key. Events are checked before the file object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Anything to attach.
   * @returns The new key.
   * @throws {ValueError} `"Invalid events: <repr>"`, `"Invalid file object: <repr>"`
   *   or `"Invalid file descriptor: N"`.
   * @throws {KeyError} `"<repr> (FD n) is already registered"`.
   * @throws {TypeError} `events` is not an integer.
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * console.log(sel.register(0, EVENT_READ).fd); // 0
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
    refreshWaits(this);
    return key;
  }

  /**
   * Forgets the key of `fileobj`.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The removed key.
   * @throws {KeyError} `"<repr> is not registered"`.
   * @throws {ValueError} Invalid and not registered by identity.
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * sel.register(0, EVENT_READ);
   * console.log(sel.unregister(0).fd); // 0
   * ```
   */
  unregister(fileobj: FileLike): SelectorKey<T> {
    const fd = this.fileobjLookup(fileobj);
    const key = this.fdToKey.get(fd);
    if (key === undefined) throw new KeyError(`${pyRepr(fileobj)} is not registered`);
    this.fdToKey.delete(fd);
    refreshWaits(this);
    return key;
  }

  /**
   * Changes events (by unregistering and registering again) or only the data
   * (replacing the key, with no unregister/register). Data is compared with
   * `!==`: Python compares with `==`, so an equal but distinct object replaces
   * the data here where Python would keep the old one.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events The new events.
   * @param data The new data (`undefined` when omitted).
   * @returns The key now stored; the same object when nothing changed.
   * @throws {KeyError} `"<repr> is not registered"`.
   * @throws {ValueError} Invalid events, after the old key was removed (CPython).
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector<string>();
   * sel.register(0, EVENT_READ, "a");
   * console.log(sel.modify(0, EVENT_READ, "b").data); // "b"
   * ```
   */
  override modify(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    let key = this.lookupKey(fileobj);
    if (!sameEvents(events, key.events)) {
      this.unregister(fileobj);
      return this.register(fileobj, events, data);
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
   * Forgets every key and ends pending `selectAsync` waits. Idempotent.
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * const sel = new SelectSelector();
   * sel.register(0, EVENT_READ);
   * sel.close();
   * console.log(sel.getMap().size); // 0
   * ```
   */
  override close(): void {
    this.fdToKey.clear();
    this.#closed = true;
    endWaits(this);
  }

  /**
   * The key of a registered file object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns Its key.
   * @throws {RuntimeError} `"Selector is closed"`.
   * @throws {KeyError} `"<repr> is not registered"`.
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * const sel = new SelectSelector();
   * sel.register(0, EVENT_READ);
   * sel.close();
   * try {
   *   sel.getKey(0);
   * } catch (e) {
   *   console.log((e as Error).message); // "Selector is closed"
   * }
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
   * @example
   * ```ts
   * import { SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * console.log(sel.getMap() === sel.getMap()); // true
   * ```
   */
  getMap(): SelectorMapping<T> {
    return this.#map;
  }
}
