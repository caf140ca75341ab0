/**
 * {@linkcode SelectSelector}, Python's `selectors.SelectSelector`.
 *
 * @module
 */
import { select } from "../select/select.ts";
import { fastPaths } from "../select/_internal.ts";
import { isSet, readySets, selectNow } from "../select/_select_now.ts";
import { parseSelectTimeout, secondsToWait, selectSelectorTimeout } from "../_py/timeout.ts";
import { selectSemantics } from "./_select_async.ts";
import { BaseSelectorImpl } from "./impl.ts";
import { PySet } from "./_py_set.ts";
import type { KeyTable } from "./_key_table.ts";
import { EVENT_READ, EVENT_WRITE, type SelectorKey } from "./key.ts";
import { WINDOWS } from "../select/_internal.ts";

/**
 * Windows reports a failed non-blocking `connect` in the exceptional set, not the
 * writable one: CPython's `SelectSelector._select` on win32 passes the writers as
 * both and merges the two (`Lib/selectors.py`).
 */
function selectOnWindows(
  readers: Set<number>,
  writers: Set<number>,
  timeout: number | null,
): [number[], number[]] {
  const [r, w, x] = select(readers, writers, writers, timeout);
  return [r, x.length === 0 ? w : [...new Set([...w, ...x])]];
}

const NO_FDS: readonly number[] = Object.freeze([]);

/**
 * A selector on `select(2)`: the portable fallback, limited to fds below
 * `FD_SETSIZE` (1,024). Python's `selectors.SelectSelector`.
 *
 * `register` makes no system call, so any fd ≥ 0 is accepted; a closed fd fails
 * at `select()` time with `OSError` (EBADF) and an fd ≥ 1,024 with
 * `ValueError("filedescriptor out of range in select()")`. `modify` of the events
 * unregisters and registers again, so invalid events lose the key, as in CPython.
 * One result per fd; READ and WRITE together give `EVENT_READ | EVENT_WRITE`.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example Only the write end of a fresh pipe is ready
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, EVENT_WRITE, SelectSelector } from "@iomux/iomux/selectors";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new SelectSelector();
 * sel.register(r, EVENT_READ);
 * const wKey = sel.register(w, EVENT_WRITE);
 * assert.deepEqual(sel.select(0), [[wKey, EVENT_WRITE]]);
 * close(r);
 * close(w);
 * ```
 */
export class SelectSelector<T = unknown> extends BaseSelectorImpl<T> {
  /** Python sets: `select.select` walks them in CPython's order (`_py_set.ts`). */
  readonly #readers = new PySet();
  readonly #writers = new PySet();
  /** @ignore Its async waits wake on what `select(2)` reports (see `_select_async.ts`). */
  readonly [selectSemantics] = true;

  /**
   * `select()` on the read and write sets.
   *
   * @param timeout Seconds, rounded up to the microsecond; `undefined`/`null`
   *   blocks, a negative value polls once (`max(timeout, 0)`).
   * @returns `[key, events]` pairs, one per ready fd.
   * @throws {OSError} A registered fd is closed (EBADF).
   * @throws {ValueError} A registered fd is ≥ 1,024, or the timeout is NaN.
   * @throws {TypeError} The timeout is not a number.
   *
   * @example A writable pipe is ready at once
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, SelectSelector } from "@iomux/iomux/selectors";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using sel = new SelectSelector();
   * const key = sel.register(w, EVENT_WRITE);
   * assert.deepEqual(sel.select(0), [[key, EVENT_WRITE]]);
   * close(r);
   * close(w);
   * ```
   */
  select(timeout?: number | null): [SelectorKey<T>, number][] {
    const block = timeout === undefined || timeout === null;
    if (!WINDOWS && (block || (typeof timeout === "number" && timeout <= 0))) {
      // One select(2) on the sets as they are; the full path on anything unusual (and
      // on Windows, whose fd_set is a list of handles and whose writers are watched twice).
      const n = selectNow(this.#readers, this.#writers, NO_FDS, block);
      if (n >= 0) {
        fastPaths.selector++;
        return n === 0 ? [] : this.#readyKeys();
      }
      fastPaths.selectorFallback++;
    }
    return this.collect(timeout);
  }

  /** The keys the last fast `select(2)` reported, in the order `wait` gives them. */
  #readyKeys(): [SelectorKey<T>, number][] {
    const { r, w } = readySets;
    const keys = this.fdToKey as KeyTable<T>;
    const readers = this.#readers;
    const writers = this.#writers;
    const ready: [SelectorKey<T>, number][] = [];
    for (const fd of readers) {
      if (!isSet(r, fd)) continue;
      const key = keys.keyOf(fd);
      const events = writers.has(fd) && isSet(w, fd) ? EVENT_READ | EVENT_WRITE : EVENT_READ;
      if (key !== undefined) ready.push([key, events & key.events]);
    }
    for (const fd of writers) {
      if (!isSet(w, fd) || (readers.has(fd) && isSet(r, fd))) continue;
      const key = keys.keyOf(fd);
      if (key !== undefined) ready.push([key, EVENT_WRITE & key.events]);
    }
    return ready;
  }

  /** Adds the fd to the read and/or write set: no system call, so any fd ≥ 0 is accepted. */
  protected override watch(key: SelectorKey<T>): void {
    if (key.events & EVENT_READ) this.#readers.add(key.fd);
    if (key.events & EVENT_WRITE) this.#writers.add(key.fd);
  }

  /** Removes the fd from both sets. */
  protected override unwatch(key: SelectorKey<T>): void {
    this.#readers.delete(key.fd);
    this.#writers.delete(key.fd);
  }

  /** `select(timeout)`'s checks for `selectAsync`: `max(timeout, 0)`, then `select.select`'s. */
  protected override waitSeconds(timeout: number | null | undefined): number {
    return secondsToWait(parseSelectTimeout(selectSelectorTimeout(timeout)));
  }

  /**
   * `select.select(readers, writers, [], max(timeout, 0))`, then one entry per
   * fd: an fd both readable and writable is reported once, with both bits
   * (CPython walks `set(r) | set(w)`; its order is unspecified).
   *
   * @param timeout The caller's timeout in seconds.
   */
  protected override wait(timeout: number | null | undefined): void {
    const t = selectSelectorTimeout(timeout);
    const [readable, writable] = WINDOWS
      ? selectOnWindows(this.#readers, this.#writers, t as number | null)
      : select(this.#readers, this.#writers, [], t as number | null);
    const both = writable.length > 0 ? new Set(writable) : undefined;
    for (const fd of readable) this.sink(fd, EVENT_READ | (both?.delete(fd) ? EVENT_WRITE : 0));
    if (both !== undefined) {
      for (const fd of both) this.sink(fd, EVENT_WRITE);
    }
  }
}
