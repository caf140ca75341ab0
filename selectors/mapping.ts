/**
 * {@linkcode SelectorMapping}: what `getMap()` returns, `_SelectorMapping` of
 * `Lib/selectors.py`.
 *
 * @module
 */
import type { FileLike } from "../_py/convert.ts";
import type { SelectorKey } from "./key.ts";

/**
 * A live, read-only view of a selector's registrations, keyed by fd: Python's
 * `_SelectorMapping`. Lookups accept an fd or any object with the same fd (or the
 * registered object itself, found by identity once its `fileno()` fails), and
 * iteration yields the **fds**, in registration order.
 *
 * `get` and `has` throw `ValueError` for an invalid object that is not registered
 * (`get(-1)`), as Python's `m[-1]` and `-1 in m` do. Python's `m[fileobj]`
 * (KeyError when missing) is `selector.getKey(fileobj)`. After the selector is
 * closed the view stays usable and is empty.
 *
 * @typeParam T The type of the keys' data.
 *
 * @example A live view of the registrations
 * ```ts
 * import assert from "node:assert/strict";
 * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new DefaultSelector();
 * const map = sel.getMap();
 * const key = sel.register(r, EVENT_READ);
 * assert.equal(map.size, 1); // registered after the view was taken
 * assert.deepEqual([...map], [r]);
 * assert.equal(map.get(r), key);
 * close(r);
 * close(w);
 * ```
 */
export class SelectorMapping<T = unknown> implements Iterable<number> {
  readonly #fdToKey: ReadonlyMap<number, SelectorKey<T>>;
  readonly #lookup: (fileobj: FileLike) => number;

  /**
   * A view over a selector's fd table. Selectors make their own; `getMap()`
   * returns it.
   *
   * @param fdToKey The selector's live fd → key table.
   * @param lookup The selector's `fileobj → fd` lookup (throws ValueError for an
   *   invalid object that is not registered).
   */
  constructor(fdToKey: ReadonlyMap<number, SelectorKey<T>>, lookup: (fileobj: FileLike) => number) {
    this.#fdToKey = fdToKey;
    this.#lookup = lookup;
  }

  /**
   * How many file objects are registered (Python's `len(m)`).
   *
   * @example Empty at first
   * ```ts
   * import assert from "node:assert/strict";
   * import { DefaultSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new DefaultSelector();
   * assert.equal(sel.getMap().size, 0);
   * ```
   */
  get size(): number {
    return this.#fdToKey.size;
  }

  /**
   * The key of `fileobj`, or `defaultValue` when it is not registered (Python
   * 3.13's `m.get(fileobj, default=None)`).
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param defaultValue What to return when it is not registered.
   * @returns The key, or `defaultValue`.
   * @throws {ValueError} `fileobj` is invalid and not registered by identity.
   *
   * @example A default for what is not registered
   * ```ts
   * import assert from "node:assert/strict";
   * import { DefaultSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new DefaultSelector();
   * assert.equal(sel.getMap().get(0), undefined);
   * assert.equal(sel.getMap().get(0, "none"), "none");
   * ```
   */
  get<D = undefined>(fileobj: FileLike, defaultValue?: D): SelectorKey<T> | D {
    const key = this.#fdToKey.get(this.#lookup(fileobj));
    return key === undefined ? defaultValue as D : key;
  }

  /**
   * Whether `fileobj` is registered (Python's `fileobj in m`).
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns `true` when registered.
   * @throws {ValueError} `fileobj` is invalid and not registered by identity.
   *
   * @example Registered or not
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * assert.equal(sel.getMap().has(1), true);
   * assert.equal(sel.getMap().has(2), false);
   * ```
   */
  has(fileobj: FileLike): boolean {
    return this.#fdToKey.has(this.#lookup(fileobj));
  }

  /**
   * The registered fds, in registration order.
   *
   * @returns An iterator over the fds.
   *
   * @example The registered fds
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * assert.deepEqual([...sel.getMap().keys()], [1]);
   * ```
   */
  keys(): MapIterator<number> {
    return this.#fdToKey.keys();
  }

  /**
   * The keys, in registration order.
   *
   * @returns An iterator over the {@linkcode SelectorKey}s.
   *
   * @example The keys
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE, "out");
   * assert.deepEqual([...sel.getMap().values()].map((k) => k.data), ["out"]);
   * ```
   */
  values(): MapIterator<SelectorKey<T>> {
    return this.#fdToKey.values();
  }

  /**
   * `[fd, key]` pairs, in registration order (Python's `items()`).
   *
   * @returns An iterator over the pairs.
   *
   * @example Each fd with its key
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * assert.deepEqual([...sel.getMap().entries()].map(([fd, key]) => [fd, key.events]), [[1, 2]]);
   * ```
   */
  entries(): MapIterator<[number, SelectorKey<T>]> {
    return this.#fdToKey.entries();
  }

  /**
   * Iterates the registered fds, as Python's `iter(m)`.
   *
   * @returns An iterator over the fds.
   *
   * @example Iterating gives the fds
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * assert.deepEqual([...sel.getMap()], [1]);
   * ```
   */
  [Symbol.iterator](): MapIterator<number> {
    return this.#fdToKey.keys();
  }
}
