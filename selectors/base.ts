/**
 * {@linkcode BaseSelector}: the abstract selector of `selectors.py` (reference
 * §6.4), plus `selectAsync` and `[Symbol.dispose]`.
 *
 * @module
 */
import { KeyError, RuntimeError } from "../errors.ts";
import type { FileLike } from "../select/_convert.ts";
import type { AsyncWaitOptions } from "../_wait/async_wait.ts";
import { pyRepr } from "./_repr.ts";
import { selectAsync } from "./_select_async.ts";
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
 * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * {
 *   using sel = new DefaultSelector<string>();
 *   sel.register(r, EVENT_READ, "pipe");
 *   write(w, new TextEncoder().encode("hi"));
 *   for (const [key, events] of sel.select(1)) {
 *     console.log(key.data, events, read(key.fd, 10).length); // "pipe" 1 2
 *   }
 * }
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
   * @example
   * ```ts
   * import { EVENT_READ, EVENT_WRITE, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log(sel.modify(1, EVENT_READ | EVENT_WRITE).events); // 3
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
   * @param timeout Seconds, as for `select`.
   * @param options `signal`: aborting it rejects the Promise with `signal.reason`.
   * @returns The same pairs `select` would return.
   *
   * @example
   * ```ts
   * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using sel = new DefaultSelector();
   * sel.register(r, EVENT_READ);
   * setTimeout(() => write(w, new Uint8Array([1])), 5);
   * const ready = await sel.selectAsync(5);
   * console.log(ready.length, ready[0]![1]); // 1 1
   * close(r);
   * close(w);
   * ```
   */
  selectAsync(
    timeout?: number | null,
    options?: AsyncWaitOptions,
  ): Promise<[SelectorKey<T>, number][]> {
    return selectAsync(this, timeout, options);
  }

  /**
   * Releases the selector's resources. This default does nothing.
   *
   * @example
   * ```ts
   * import { PollSelector } from "@iomux/iomux/selectors";
   * const sel = new PollSelector();
   * sel.close();
   * sel.close(); // idempotent
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
   * @example
   * ```ts
   * import { EVENT_WRITE, PollSelector } from "@iomux/iomux/selectors";
   * using sel = new PollSelector();
   * sel.register(1, EVENT_WRITE, "stdout");
   * console.log(sel.getKey(1).data); // "stdout"
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
