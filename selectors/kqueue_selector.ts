/**
 * {@linkcode KqueueSelector} (macOS, FreeBSD; Linux with libkqueue), Python's
 * `selectors.KqueueSelector`.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { fastPaths, pollInto, readyBuffer, waitNow } from "../select/_internal.ts";
import { KEvent } from "../select/kevent.ts";
import { Kqueue, nativeKqueue } from "../select/kqueue.ts";
import {
  KQ_EV_ADD,
  KQ_EV_DELETE,
  KQ_FILTER_READ,
  KQ_FILTER_WRITE,
} from "../select/kq_constants.ts";
import { parseKqueueTimeout, secondsToWait, selectSelectorTimeout } from "../_py/timeout.ts";
import { BaseSelectorImpl } from "./impl.ts";
import type { KeyTable } from "./_key_table.ts";
import { EVENT_READ, EVENT_WRITE, type SelectorKey } from "./key.ts";

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
 * @example Wait for a pipe with kqueue
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, KqueueSelector, OSError } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * let sel: KqueueSelector | undefined;
 * try {
 *   sel = new KqueueSelector();
 * } catch (e) {
 *   // Linux without IOMUX_KQUEUE_LIB has no kqueue: this example then checks nothing.
 *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
 * }
 * if (sel) {
 *   const [r, w] = pipe();
 *   const key = sel.register(r, EVENT_READ);
 *   write(w, new Uint8Array([1]));
 *   assert.deepEqual(sel.select(1), [[key, EVENT_READ]]);
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
  /** The kernel reports one filter per entry: READ or WRITE, as `EVENT_*` bits for the sink. */
  readonly #filterSink = (fd: number, filter: number): void => {
    this.sink(
      fd,
      filter === KQ_FILTER_READ ? EVENT_READ : filter === KQ_FILTER_WRITE ? EVENT_WRITE : 0,
    );
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
   * @example The kqueue fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { KqueueSelector, OSError } from "@iomux/iomux/selectors";
   *
   * try {
   *   using sel = new KqueueSelector();
   *   assert.ok(Number.isInteger(sel.fileno()) && sel.fileno() >= 0);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * ```
   */
  fileno(): number {
    return this.#kqueue.fileno();
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
   * @example A writable pipe is ready at once
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, KqueueSelector, OSError } from "@iomux/iomux/selectors";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * try {
   *   using sel = new KqueueSelector();
   *   const key = sel.register(w, EVENT_WRITE);
   *   assert.deepEqual(sel.select(0), [[key, EVENT_WRITE]]);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * close(r);
   * close(w);
   * ```
   */
  select(timeout?: number | null): [SelectorKey<T>, number][] {
    const block = timeout === undefined || timeout === null;
    if (block || (typeof timeout === "number" && timeout <= 0)) {
      // One kevent() with no changes; the full path on anything unusual.
      const n = this.#kqueue[waitNow](block, this.#maxEvents || 1);
      if (n >= 0) {
        fastPaths.selector++;
        return n === 0 ? [] : this.#readyKeys(n);
      }
      fastPaths.selectorFallback++;
    }
    return this.collect(timeout);
  }

  /** The keys of the `n` events in the kqueue's list, one entry per filter (CPython's). */
  #readyKeys(n: number): [SelectorKey<T>, number][] {
    const { view, size, ident, filter: filterAt } = this.#kqueue[readyBuffer]();
    const keys = this.fdToKey as KeyTable<T>;
    const ready: [SelectorKey<T>, number][] = new Array(n);
    let k = 0;
    for (let i = 0, at = 0; i < n; i++, at += size) {
      const key = keys.keyOf(view.getInt32(at + ident, true));
      if (key === undefined) continue;
      const filter = view.getInt16(at + filterAt, true);
      const events = filter === KQ_FILTER_READ
        ? EVENT_READ
        : filter === KQ_FILTER_WRITE
        ? EVENT_WRITE
        : 0;
      ready[k++] = [key, events & key.events];
    }
    if (k < n) ready.length = k;
    return ready;
  }

  /**
   * Adds one kernel filter per requested direction; a bad fd fails with
   * `OSError` (EBADF) and the key is removed again.
   */
  protected override watch(key: SelectorKey<T>): void {
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
  }

  /**
   * Deletes the kernel filters, ignoring `OSError` (the fd may have been closed
   * since, which already removed them).
   */
  protected override unwatch(key: SelectorKey<T>): void {
    if (key.events & EVENT_READ) {
      this.#maxEvents--;
      this.#delete(key.fd, KQ_FILTER_READ);
    }
    if (key.events & EVENT_WRITE) {
      this.#maxEvents--;
      this.#delete(key.fd, KQ_FILTER_WRITE);
    }
  }

  /** Closes the kqueue (`close()` then forgets every key). */
  protected override release(): void {
    this.#kqueue.close();
  }

  /** `select(timeout)`'s checks for `selectAsync`: `max(timeout, 0)`, then `kqueue.control`'s. */
  protected override waitSeconds(timeout: number | null | undefined): number {
    return secondsToWait(parseKqueueTimeout(selectSelectorTimeout(timeout)));
  }

  /**
   * A kernel kqueue fd is readable while events are pending; libkqueue's (Linux)
   * is not, so there `selectAsync` watches the registered fds.
   */
  protected override readinessFd(): number | null {
    return nativeKqueue ? this.fileno() : null;
  }

  /**
   * `max(timeout, 0)` seconds, and one event per registered filter (at least 1,
   * because `kevent` ignores the timeout when asked for none).
   *
   * @param timeout The caller's timeout in seconds.
   */
  protected override wait(timeout: number | null | undefined): void {
    const t = selectSelectorTimeout(timeout);
    this.#kqueue[pollInto](t as number | null, this.#maxEvents || 1, this.#filterSink);
  }

  #delete(fd: number, filter: number): void {
    try {
      this.#kqueue.control([new KEvent(fd, filter, KQ_EV_DELETE)], 0, 0);
    } catch (error) {
      if (!(error instanceof OSError)) throw error;
    }
  }
}
