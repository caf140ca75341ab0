/**
 * `EVENT_READ`, `EVENT_WRITE` and {@linkcode SelectorKey}, as in `Lib/selectors.py`.
 *
 * @module
 */
import type { FileLike } from "../_py/convert.ts";
import { pyRepr } from "./_repr.ts";

/**
 * Wait until the file object is readable (`1`).
 *
 * @example Combine the event bits
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, EVENT_WRITE } from "@iomux/iomux/selectors";
 *
 * assert.equal(EVENT_READ, 1);
 * assert.equal(EVENT_READ | EVENT_WRITE, 3);
 * ```
 */
export const EVENT_READ = 1;

/**
 * Wait until the file object is writable (`2`).
 *
 * @example Python's value
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_WRITE } from "@iomux/iomux/selectors";
 *
 * assert.equal(EVENT_WRITE, 2);
 * ```
 */
export const EVENT_WRITE = 2;

/**
 * What a selector keeps for one registered file object: the object, its fd, the
 * events waited for and the caller's data. Python's `SelectorKey` namedtuple, as a
 * frozen object.
 *
 * Equality: Python compares keys as tuples. Here a selector hands out the very
 * object it stores, so `register`, `modify` (when nothing changed), `getKey`,
 * the map and `select` all return the same key until a `modify` replaces it;
 * `===` between them is what Python's `==` would say. Keys made separately with
 * equal fields are distinct objects: compare their fields.
 *
 * @typeParam T The type of the attached data.
 *
 * @example The key that `register` returns
 * ```ts
 * import assert from "node:assert/strict";
 * import { DefaultSelector, EVENT_READ, SelectorKey } from "@iomux/iomux/selectors";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new DefaultSelector<string>();
 * const key = sel.register(r, EVENT_READ, "reader");
 * assert.ok(key instanceof SelectorKey);
 * assert.deepEqual([key.fileobj, key.fd, key.events, key.data], [r, r, EVENT_READ, "reader"]);
 * assert.ok(Object.isFrozen(key));
 * assert.equal(sel.getKey(r), key);
 * close(r);
 * close(w);
 * ```
 */
export class SelectorKey<T = unknown> {
  /** The file object registered: an fd or an object with `fileno()`. */
  readonly fileobj: FileLike;
  /** Its file descriptor. */
  readonly fd: number;
  /** The events waited for: `EVENT_READ`, `EVENT_WRITE` or both. */
  readonly events: number;
  /** The caller's data (`undefined` when none was given, Python's `None`). */
  readonly data: T;

  /**
   * Makes a frozen key. Selectors make their own; this is public for backends
   * and tests, as Python's namedtuple is.
   *
   * @param fileobj The file object.
   * @param fd Its fd.
   * @param events The events waited for.
   * @param data The attached data.
   */
  constructor(fileobj: FileLike, fd: number, events: number, data: T) {
    this.fileobj = fileobj;
    this.fd = fd;
    this.events = events;
    this.data = data;
    Object.freeze(this);
  }

  /**
   * Python's repr: `SelectorKey(fileobj=5, fd=5, events=1, data=None)`.
   *
   * @returns The repr.
   *
   * @example Python's repr
   * ```ts
   * import assert from "node:assert/strict";
   * import { SelectorKey } from "@iomux/iomux/selectors";
   *
   * assert.equal(
   *   String(new SelectorKey(5, 5, 1, undefined)),
   *   "SelectorKey(fileobj=5, fd=5, events=1, data=None)",
   * );
   * ```
   */
  toString(): string {
    return `SelectorKey(fileobj=${
      pyRepr(this.fileobj)
    }, fd=${this.fd}, events=${this.events}, data=${pyRepr(this.data)})`;
  }
}
