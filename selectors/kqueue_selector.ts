/**
 * {@linkcode KqueueSelector} (macOS, FreeBSD; Linux with libkqueue; reference §6.7).
 *
 * @module
 */
import { InterruptedError, OSError } from "../errors.ts";
import type { FileLike } from "../_py/convert.ts";
import { pollInto } from "../select/_internal.ts";
import { KEvent } from "../select/kevent.ts";
import { Kqueue, nativeKqueue } from "../select/kqueue.ts";
import {
  KQ_EV_ADD,
  KQ_EV_DELETE,
  KQ_FILTER_READ,
  KQ_FILTER_WRITE,
} from "../select/kq_constants.ts";
import { readinessFd, waitSeconds } from "./_select_async.ts";
import { parseKqueueTimeout, secondsToWait, selectSelectorTimeout } from "../_py/timeout.ts";
import { BaseSelectorImpl } from "./impl.ts";
import { EVENT_READ, EVENT_WRITE, type SelectorKey } from "./key.ts";

const NO_RESULTS: [never, number][] = Object.freeze([]) as unknown as [never, number][];

/**
 * A selector on `kqueue(2)`: the kernel keeps the interest set, one filter per
 * direction. Python's `selectors.KqueueSelector`, and `DefaultSelector` on macOS
 * and FreeBSD. On Linux it needs `IOMUX_KQUEUE_LIB` naming a libkqueue shared
 * library; without one the constructor throws `OSError` (ENOSYS).
 *
 * As in CPython:
 * - `register` adds a `KQ_FILTER_READ` and/or a `KQ_FILTER_WRITE` filter; a bad
 *   fd fails with `OSError` (EBADF) and nothing stays registered;
 * - `unregister` deletes the filters, ignoring `OSError` (an fd closed since);
 * - `modify` of the events unregisters and registers again (invalid events lose
 *   the key);
 * - `select` asks for one event per registered filter (at least 1, because
 *   `kevent` ignores the timeout when asked for none), so an fd that is both
 *   readable and writable comes back as two entries, `EVENT_READ` and
 *   `EVENT_WRITE`, with the same key;
 * - a negative timeout polls once (`max(timeout, 0)`).
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example
 * ```ts
 * import { EVENT_READ, KqueueSelector, OSError } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * let sel: KqueueSelector | undefined;
 * try {
 *   sel = new KqueueSelector();
 * } catch (e) {
 *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // Linux, no libkqueue
 * }
 * if (sel) {
 *   const [r, w] = pipe();
 *   sel.register(r, EVENT_READ);
 *   write(w, new Uint8Array([1]));
 *   console.log(sel.select(1).map(([key, events]) => [key.fd === r, events])); // [ [ true, 1 ] ]
 *   sel.close();
 *   close(r);
 *   close(w);
 * }
 * ```
 */
export class KqueueSelector<T = unknown> extends BaseSelectorImpl<T> {
  readonly #kqueue: Kqueue;
  /** Filters registered in the kernel: what `select` sizes its event list by. */
  #maxEvents = 0;
  #ready: [SelectorKey<T>, number][] = NO_RESULTS;
  readonly #sink = (fd: number, filter: number): void => {
    const key = this.fdToKey.get(fd);
    if (key === undefined) return;
    const events = (filter === KQ_FILTER_READ ? EVENT_READ : 0) |
      (filter === KQ_FILTER_WRITE ? EVENT_WRITE : 0);
    this.#ready.push([key, events & key.events]);
  };

  /**
   * Makes a selector with a new kqueue.
   *
   * @throws {OSError} ENOSYS where there is no kqueue (Linux without
   *   `IOMUX_KQUEUE_LIB`), or the error of `kqueue(2)`.
   */
  constructor() {
    super();
    this.#kqueue = new Kqueue();
  }

  /**
   * The kqueue fd.
   *
   * @returns The fd.
   * @throws {ValueError} The selector is closed.
   *
   * @example
   * ```ts
   * import { KqueueSelector, OSError } from "@iomux/iomux/selectors";
   * try {
   *   using sel = new KqueueSelector();
   *   console.log(sel.fileno() >= 0); // true
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
   * ```
   */
  fileno(): number {
    return this.#kqueue.fileno();
  }

  /**
   * @ignore What `selectAsync` waits on: a kernel kqueue fd is readable while
   * events are pending; libkqueue's is not, so there the registered fds are watched.
   */
  [readinessFd](): number | null {
    return nativeKqueue ? this.fileno() : null;
  }

  /**
   * Registers and adds one kernel filter per requested direction.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Anything to attach.
   * @returns The new key.
   * @throws {OSError} The kernel refused the fd (EBADF for a closed one); the key
   *   is then removed again.
   * @throws {ValueError} Invalid events or file object, or a closed selector.
   * @throws {KeyError} Already registered.
   *
   * @example
   * ```ts
   * import { EVENT_WRITE, KqueueSelector, OSError } from "@iomux/iomux/selectors";
   * try {
   *   using sel = new KqueueSelector();
   *   console.log(sel.register(1, EVENT_WRITE).events); // 2
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
   * ```
   */
  override register(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    const key = super.register(fileobj, events, data);
    try {
      // As CPython, a READ filter added before a failing WRITE one stays in the
      // kernel and keeps its count: harmless, since its events find no key.
      if (key.events & EVENT_READ) {
        this.#kqueue.control([new KEvent(key.fd, KQ_FILTER_READ, KQ_EV_ADD)], 0, 0);
        this.#maxEvents++;
      }
      if (key.events & EVENT_WRITE) {
        this.#kqueue.control([new KEvent(key.fd, KQ_FILTER_WRITE, KQ_EV_ADD)], 0, 0);
        this.#maxEvents++;
      }
    } catch (error) {
      super.unregister(fileobj);
      throw error;
    }
    return key;
  }

  /**
   * Unregisters and deletes the kernel filters, ignoring `OSError` (the fd may
   * have been closed since, which already removed them).
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The removed key.
   * @throws {KeyError} Not registered.
   *
   * @example
   * ```ts
   * import { EVENT_READ, KqueueSelector, OSError } from "@iomux/iomux/selectors";
   * import { close, pipe } from "@iomux/iomux/os";
   * const [r, w] = pipe();
   * try {
   *   using sel = new KqueueSelector();
   *   sel.register(r, EVENT_READ);
   *   console.log(sel.unregister(r).fd === r); // true
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * } finally {
   *   close(r);
   *   close(w);
   * }
   * ```
   */
  override unregister(fileobj: FileLike): SelectorKey<T> {
    const key = super.unregister(fileobj);
    if (key.events & EVENT_READ) {
      this.#maxEvents--;
      this.#delete(key.fd, KQ_FILTER_READ);
    }
    if (key.events & EVENT_WRITE) {
      this.#maxEvents--;
      this.#delete(key.fd, KQ_FILTER_WRITE);
    }
    return key;
  }

  /**
   * @ignore The checks `select(timeout)` makes before it waits, for `selectAsync`.
   */
  [waitSeconds](timeout: number | null | undefined): number {
    return secondsToWait(parseKqueueTimeout(selectSelectorTimeout(timeout)));
  }

  /**
   * Waits until registered file objects are ready.
   *
   * @param timeout Seconds; `undefined`/`null` blocks, a negative value polls once.
   * @returns `[key, events]` pairs in the kernel's order; READ and WRITE of one fd
   *   come as two entries.
   * @throws {ValueError} The selector is closed.
   * @throws {TypeError} The timeout is not a number (or is NaN or too large).
   *
   * @example
   * ```ts
   * import { EVENT_WRITE, KqueueSelector, OSError } from "@iomux/iomux/selectors";
   * try {
   *   using sel = new KqueueSelector();
   *   sel.register(1, EVENT_WRITE);
   *   console.log(sel.select(0).length <= 1); // true
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
   * ```
   */
  select(timeout?: number | null): [SelectorKey<T>, number][] {
    const t = selectSelectorTimeout(timeout);
    const ready: [SelectorKey<T>, number][] = [];
    this.#ready = ready;
    try {
      this.#kqueue[pollInto](t as number | null, this.#maxEvents || 1, this.#sink);
    } catch (error) {
      if (error instanceof InterruptedError) return [];
      throw error;
    } finally {
      this.#ready = NO_RESULTS;
    }
    return ready;
  }

  /**
   * Closes the kqueue, then forgets every key. Idempotent.
   *
   * @example
   * ```ts
   * import { KqueueSelector, OSError } from "@iomux/iomux/selectors";
   * try {
   *   const sel = new KqueueSelector();
   *   sel.close();
   *   sel.close();
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
   * ```
   */
  override close(): void {
    try {
      this.#kqueue.close();
    } finally {
      super.close();
    }
  }

  #delete(fd: number, filter: number): void {
    try {
      this.#kqueue.control([new KEvent(fd, filter, KQ_EV_DELETE)], 0, 0);
    } catch (error) {
      if (!(error instanceof OSError)) throw error;
    }
  }
}
