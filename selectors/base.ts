/**
 * {@linkcode BaseSelector}: the abstract selector of `Lib/selectors.py`, plus
 * `selectAsync` and `[Symbol.dispose]`.
 *
 * @module
 */
import { KeyError, RuntimeError, ValueError } from "../_plain_errors.ts";
import { type FileLike, pyTypeName } from "../_py/convert.ts";
import type { AsyncWaitOptions } from "../_wait/async_wait.ts";
import { pyRepr } from "./_repr.ts";
import { type AsyncSelectable, selectAsync } from "./_select_async.ts";
import type { SelectorKey } from "./key.ts";
import type { SelectorMapping } from "./mapping.ts";

/** The abstract methods, by Python name (sorted, as CPython lists them) and JS name. */
const ABSTRACT_METHODS = [
  ["get_map", "getMap"],
  ["register", "register"],
  ["select", "select"],
  ["unregister", "unregister"],
] as const;

/**
 * A selector: register file objects for `EVENT_READ`/`EVENT_WRITE`, then wait
 * until some are ready. Python's abstract `selectors.BaseSelector`; subclasses
 * implement `register`, `unregister`, `select` and `getMap`. The concrete
 * selectors ({@linkcode DefaultSelector} and the others) build on
 * {@linkcode BaseSelectorImpl}.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example Wait for a pipe, then release the selector with `using`
 * ```ts
 * import assert from "node:assert/strict";
 * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * {
 *   using sel = new DefaultSelector<string>();
 *   sel.register(r, EVENT_READ, "pipe");
 *   write(w, new TextEncoder().encode("hi"));
 *   const ready = sel.select(1);
 *   assert.deepEqual(ready.map(([key, events]) => [key.data, events]), [["pipe", EVENT_READ]]);
 *   assert.equal(read(r, 10).length, 2);
 * } // the selector is closed here; the pipe stays open
 * close(r);
 * close(w);
 * ```
 */
export abstract class BaseSelector<T = unknown> {
  /**
   * Refuses to build a selector class that leaves an abstract method
   * unimplemented, as Python's ABC machinery does for `BaseSelector()`.
   *
   * @throws {TypeError} `"Can't instantiate abstract class BaseSelector without an
   *   implementation for abstract methods 'get_map', 'register', 'select', 'unregister'"`.
   */
  constructor() {
    const missing = ABSTRACT_METHODS.filter(([, name]) =>
      typeof (this as unknown as Record<string, unknown>)[name] !== "function"
    ).map(([pythonName]) => `'${pythonName}'`);
    if (missing.length > 0) {
      throw new TypeError(
        `Can't instantiate abstract class ${new.target.name} without an implementation ` +
          `for abstract method${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
      );
    }
  }

  /**
   * Starts watching `fileobj`.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Anything to attach to the key (`undefined` when omitted).
   * @returns The new key.
   * @throws {ValueError} Invalid events or an invalid file object.
   * @throws {KeyError} `fileobj` (or its fd) is already registered.
   * @throws {OSError} The system refused the fd (epoll: a regular file, a closed fd).
   */
  abstract register(fileobj: FileLike, events: number, data?: T): SelectorKey<T>;

  /**
   * Stops watching `fileobj`. Works after the fd was closed (by fd, or by the
   * same object even when its `fileno()` now fails).
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The removed key.
   * @throws {KeyError} `fileobj` is not registered.
   * @throws {ValueError} `fileobj` is invalid and not registered by identity.
   */
  abstract unregister(fileobj: FileLike): SelectorKey<T>;

  /**
   * Changes the events or the data of a registered file object. This default
   * unregisters and registers again; the selectors override it. Omitting `data`
   * resets it to `undefined`, as Python's `data=None` does.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events The new events.
   * @param data The new data.
   * @returns The key now stored.
   * @throws {KeyError} `fileobj` is not registered.
   * @throws {ValueError} Invalid events (the registration is then gone, as in
   *   CPython) or an invalid file object.
   *
   * @example Watch for writing too
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_READ, EVENT_WRITE, SelectSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new SelectSelector();
   * sel.register(1, EVENT_WRITE);
   * const key = sel.modify(1, EVENT_READ | EVENT_WRITE);
   * assert.equal(key.events, 3);
   * assert.equal(sel.getKey(1), key);
   * ```
   */
  modify(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    this.unregister(fileobj);
    return this.register(fileobj, events, data);
  }

  /**
   * Waits until some registered file objects are ready, or the timeout passes.
   *
   * @param timeout Seconds; `undefined`/`null` waits with no limit, 0 or a
   *   negative value polls once. Rounded up to the mechanism's resolution.
   * @returns `[key, events]` pairs, `events` being the ready subset of the key's.
   */
  abstract select(timeout?: number | null): [SelectorKey<T>, number][];

  /**
   * {@linkcode BaseSelector.select} without blocking the event loop: what is ready
   * now comes back at once; otherwise the wait runs on a shared thread while
   * timers and I/O go on. `register`/`modify`/`unregister` during the wait take
   * effect in it, and `close()` ends it with `[]`.
   *
   * A subclass takes part through two protected methods:
   * {@linkcode BaseSelector.waitSeconds} (its timeout checks) and
   * {@linkcode BaseSelector.readinessFd} (what to wait on). The selectors built on
   * {@linkcode BaseSelectorImpl} tell pending waits about every registration
   * change and about `close()` themselves.
   *
   * @param timeout Seconds, as for `select`.
   * @param options `signal`: aborting it rejects the Promise with `signal.reason`.
   * @returns The same pairs `select` would return.
   *
   * @example Wait while timers keep running
   * ```ts
   * import assert from "node:assert/strict";
   * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using sel = new DefaultSelector();
   * sel.register(r, EVENT_READ);
   * setTimeout(() => write(w, new Uint8Array([1])), 5); // the timer fires during the wait
   * const ready = await sel.selectAsync(5);
   * assert.deepEqual(ready.map(([key, events]) => [key.fd, events]), [[r, EVENT_READ]]);
   * close(r);
   * close(w);
   * ```
   */
  selectAsync(
    timeout?: number | null,
    options?: AsyncWaitOptions,
  ): Promise<[SelectorKey<T>, number][]> {
    // The hooks are protected so that applications do not call them; the helper
    // is their one caller.
    return selectAsync(
      this as unknown as AsyncSelectable<[SelectorKey<T>, number]>,
      timeout,
      options,
    );
  }

  /**
   * For `selectAsync`: makes every check `select(timeout)` makes before it waits
   * (so both throw alike) and returns the seconds to wait: `Infinity` for no
   * limit, 0 or less to poll once. This default applies `PollSelector`'s checks
   * without its rounding; each concrete selector applies its own.
   *
   * @param timeout The caller's timeout, in seconds.
   * @returns The seconds to wait.
   * @throws {TypeError} The timeout is not a number.
   * @throws {ValueError} A NaN timeout.
   * @throws {RangeError} An infinite timeout.
   */
  protected waitSeconds(timeout: number | null | undefined): number {
    if (timeout === undefined || timeout === null) return Infinity;
    const t = typeof timeout === "bigint" ? Number(timeout) : timeout;
    if (typeof t !== "number") {
      throw new TypeError(
        `'<=' not supported between instances of '${pyTypeName(timeout)}' and 'int'`,
      );
    }
    if (Number.isNaN(t)) throw new ValueError("cannot convert float NaN to integer");
    if (t === Infinity) throw new RangeError("cannot convert float infinity to integer");
    return t;
  }

  /**
   * For `selectAsync`: an fd that is readable whenever `select(0)` would return
   * something (an epoll or kernel kqueue fd), or `null` to wait on the registered
   * fds themselves, read from the live map. This default is `null`.
   *
   * @returns The fd to wait on, or `null`.
   */
  protected readinessFd(): number | null {
    return null;
  }

  /**
   * Releases the selector's resources. This default does nothing.
   *
   * @example Closing twice is allowed
   * ```ts
   * import assert from "node:assert/strict";
   * import { PollSelector } from "@iomux/iomux/selectors";
   *
   * const sel = new PollSelector();
   * sel.close();
   * sel.close(); // idempotent
   * assert.equal(sel.getMap().size, 0);
   * ```
   */
  close(): void {}

  /**
   * The key of a registered file object.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns Its key.
   * @throws {KeyError} `"<repr> is not registered"`.
   * @throws {RuntimeError} `"Selector is closed"`.
   * @throws {ValueError} `fileobj` is invalid and not registered by identity.
   *
   * @example Find the key of a registered fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { KeyError } from "@iomux/iomux";
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   *
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE, "stdout");
   * assert.equal(sel.getKey(1).data, "stdout");
   * assert.throws(() => sel.getKey(2), new KeyError("2 is not registered"));
   * ```
   */
  getKey(fileobj: FileLike): SelectorKey<T> {
    const mapping: SelectorMapping<T> | null | undefined = this.getMap();
    if (mapping === null || mapping === undefined) throw new RuntimeError("Selector is closed");
    const key = mapping.get(fileobj);
    if (key === undefined) throw new KeyError(`${pyRepr(fileobj)} is not registered`);
    return key;
  }

  /**
   * The live, read-only view of the registrations, keyed by fd.
   *
   * @returns The mapping (the same object on every call, also after `close()`).
   */
  abstract getMap(): SelectorMapping<T>;

  /** Closes the selector at the end of a `using` block (Python's `with`). */
  [Symbol.dispose](): void {
    this.close();
  }
}
