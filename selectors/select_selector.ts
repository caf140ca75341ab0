/**
 * {@linkcode SelectSelector} (reference §6.5).
 *
 * @module
 */
import { InterruptedError } from "../errors.ts";
import type { FileLike } from "../select/_convert.ts";
import { select } from "../select/select.ts";
import { selectTimeout, selectWaitSeconds } from "./_timeout.ts";
import { selectSemantics, waitSeconds } from "./_select_async.ts";
import { BaseSelectorImpl } from "./impl.ts";
import { EVENT_READ, EVENT_WRITE, type SelectorKey } from "./key.ts";

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
 * @example
 * ```ts
 * import { EVENT_READ, EVENT_WRITE, SelectSelector } from "@iomux/iomux/selectors";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new SelectSelector();
 * sel.register(r, EVENT_READ);
 * const wKey = sel.register(w, EVENT_WRITE);
 * const ready = sel.select(0);
 * console.log(ready.length, ready[0]![0] === wKey, ready[0]![1]); // 1 true 2
 * close(r);
 * close(w);
 * ```
 */
export class SelectSelector<T = unknown> extends BaseSelectorImpl<T> {
  readonly #readers = new Set<number>();
  readonly #writers = new Set<number>();
  /** @ignore Its async waits wake on what `select(2)` reports (see `_select_async.ts`). */
  readonly [selectSemantics] = true;

  /**
   * Registers and adds the fd to the read and/or write set.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Anything to attach.
   * @returns The new key.
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * console.log(sel.register(5000, EVENT_READ).fd); // 5000: checked only by select()
   * ```
   */
  override register(fileobj: FileLike, events: number, data?: T): SelectorKey<T> {
    const key = super.register(fileobj, events, data);
    if (key.events & EVENT_READ) this.#readers.add(key.fd);
    if (key.events & EVENT_WRITE) this.#writers.add(key.fd);
    return key;
  }

  /**
   * Unregisters and removes the fd from both sets.
   *
   * @param fileobj An fd or an object with `fileno()`.
   * @returns The removed key.
   *
   * @example
   * ```ts
   * import { EVENT_READ, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * sel.register(0, EVENT_READ);
   * console.log(sel.unregister(0).events); // 1
   * ```
   */
  override unregister(fileobj: FileLike): SelectorKey<T> {
    const key = super.unregister(fileobj);
    this.#readers.delete(key.fd);
    this.#writers.delete(key.fd);
    return key;
  }

  /**
   * @ignore The checks `select(timeout)` makes before it waits, for `selectAsync`.
   */
  [waitSeconds](timeout: number | null | undefined): number {
    return selectWaitSeconds(timeout);
  }

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
   * @example
   * ```ts
   * import { EVENT_WRITE, SelectSelector } from "@iomux/iomux/selectors";
   * using sel = new SelectSelector();
   * sel.register(1, EVENT_WRITE);
   * console.log(sel.select(0).length <= 1); // true
   * ```
   */
  select(timeout?: number | null): [SelectorKey<T>, number][] {
    const t = selectTimeout(timeout);
    let readable: number[];
    let writable: number[];
    try {
      [readable, writable] = select(this.#readers, this.#writers, [], t as number | null);
    } catch (error) {
      if (error instanceof InterruptedError) return [];
      throw error;
    }
    const ready: [SelectorKey<T>, number][] = [];
    // One entry per fd: an fd both readable and writable is reported once, with
    // both bits (CPython walks `set(r) | set(w)`; its order is unspecified).
    const both = writable.length > 0 ? new Set(writable) : undefined;
    for (const fd of readable) {
      const key = this.fdToKey.get(fd);
      const events = EVENT_READ | (both?.delete(fd) ? EVENT_WRITE : 0);
      if (key !== undefined) ready.push([key, events & key.events]);
    }
    if (both !== undefined) {
      for (const fd of both) {
        const key = this.fdToKey.get(fd);
        if (key !== undefined) ready.push([key, EVENT_WRITE & key.events]);
      }
    }
    return ready;
  }
}
