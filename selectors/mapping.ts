/**
 * {@linkcode SelectorMapping}: what `getMap()` returns (reference §6.3).
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
 * @example
 * ```ts
 * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new DefaultSelector();
 * const map = sel.getMap();
 * const key = sel.register(r, EVENT_READ);
 * console.log(map.size, [...map].includes(r), map.get(r) === key); // 1 true true
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
   * @example
   * ```ts
   * import { DefaultSelector } from "@iomux/iomux/selectors";
   * using sel = new DefaultSelector();
   * console.log(sel.getMap().size); // 0
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
   * @example
   * ```ts
   * import { DefaultSelector } from "@iomux/iomux/selectors";
   * using sel = new DefaultSelector();
   * console.log(sel.getMap().get(0), sel.getMap().get(0, "none")); // undefined none
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log(sel.getMap().has(1), sel.getMap().has(2)); // true false
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log([...sel.getMap().keys()]); // [ 1 ]
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE, "out");
   * console.log([...sel.getMap().values()].map((k) => k.data)); // [ "out" ]
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * for (const [fd, key] of sel.getMap().entries()) console.log(fd, key.events); // 1 2
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log([...sel.getMap()]); // [ 1 ]
   * ```
   */
  [Symbol.iterator](): MapIterator<number> {
    return this.#fdToKey.keys();
  }
}
