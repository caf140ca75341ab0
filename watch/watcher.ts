/**
 * `watch()`: a callback for an fd's readiness, as asyncio's `loop.add_reader` and
 * libuv's `uv_poll_t` give one.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import type { FileLike } from "../_py/convert.ts";
import { fileobjToFd } from "../selectors/_fileobj.ts";
import { EVENT_READ, EVENT_WRITE } from "../selectors/key.ts";
import { add, type Entry, remove, setRef, update } from "./_hub.ts";

/** Options of {@linkcode watch}. */
export interface WatchOptions {
  /** Aborting it closes the watcher. */
  signal?: AbortSignal | undefined;
  /** `false` starts the watcher unref'd (see {@linkcode Watcher.unref}). Default `true`. */
  ref?: boolean | undefined;
}

/** `events` checked as `Lib/selectors.py` `_BaseSelectorImpl.register` checks it. */
export function eventMask(events: unknown): number {
  if (
    typeof events !== "number" || !Number.isInteger(events) || events === 0 ||
    (events & ~(EVENT_READ | EVENT_WRITE)) !== 0
  ) {
    // Lib/selectors.py _BaseSelectorImpl.register.
    throw new ValueError(`Invalid events: ${String(events)}`);
  }
  return events;
}

/**
 * A registered interest in one fd's readiness; made by {@linkcode watch}.
 *
 * @example Watch a pipe, then stop
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, watch } from "@iomux/iomux/watch";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * let gotFound!: (value: Uint8Array) => void;
 * const got = new Promise<Uint8Array>((resolve) => gotFound = resolve);
 * using watcher = watch(r, EVENT_READ, () => gotFound(read(r, 10)));
 * write(w, new Uint8Array([7]));
 * assert.deepEqual(await got, new Uint8Array([7]));
 * assert.equal(watcher.fd, r);
 * watcher.close();
 * assert.equal(watcher.closed, true);
 * close(r);
 * close(w);
 * ```
 */
export class Watcher {
  readonly #entry: Entry;
  readonly #detach: () => void;

  /** Use {@linkcode watch}. */
  constructor(
    fd: number,
    events: number,
    callback: (events: number) => void,
    options?: WatchOptions,
  ) {
    const signal = options?.signal;
    signal?.throwIfAborted();
    this.#entry = { fd, events, refed: options?.ref ?? true, closed: false, callback };
    add(this.#entry);
    if (signal === undefined) this.#detach = () => {};
    else {
      const onAbort = () => this.close();
      signal.addEventListener("abort", onAbort, { once: true });
      this.#detach = () => signal.removeEventListener("abort", onAbort);
    }
  }

  /** The watched fd. */
  get fd(): number {
    return this.#entry.fd;
  }

  /** The events watched for: `EVENT_READ`, `EVENT_WRITE` or both. */
  get events(): number {
    return this.#entry.events;
  }

  /** Whether {@linkcode Watcher.close} was called (or the signal aborted). */
  get closed(): boolean {
    return this.#entry.closed;
  }

  /** Whether the watcher keeps the process alive. */
  hasRef(): boolean {
    return this.#entry.refed;
  }

  /**
   * Watches for other events from now on.
   *
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @throws {ValueError} Invalid events, or the watcher is closed.
   *
   * @example From reading to writing
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_READ, EVENT_WRITE, watch } from "@iomux/iomux/watch";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * let writableFound!: (value: number) => void;
   * const writable = new Promise<number>((resolve) => writableFound = resolve);
   * using watcher = watch(w, EVENT_READ, (events) => writableFound(events));
   * watcher.modify(EVENT_WRITE);
   * assert.equal(await writable, EVENT_WRITE);
   * watcher.close();
   * close(r);
   * close(w);
   * ```
   */
  modify(events: number): void {
    const mask = eventMask(events);
    if (this.#entry.closed) throw new ValueError("I/O operation on closed watcher");
    const previous = this.#entry.events;
    this.#entry.events = mask;
    try {
      update(this.#entry);
    } catch (error) {
      this.#entry.events = previous;
      throw error;
    }
  }

  /**
   * Keeps the process alive while the watcher is open (the default), as libuv's `uv_ref`.
   *
   * @returns The watcher.
   *
   * @example Ref again after unref
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_WRITE, watch } from "@iomux/iomux/watch";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using watcher = watch(w, EVENT_WRITE, () => {}).unref();
   * assert.equal(watcher.ref().hasRef(), true);
   * watcher.close();
   * close(r);
   * close(w);
   * ```
   */
  ref(): this {
    if (!this.#entry.closed) setRef(this.#entry, true);
    return this;
  }

  /**
   * Lets the process exit while this watcher is open, as libuv's `uv_unref`. While no
   * watcher is ref'd, readiness is looked for on an unref'd timer (every 10 ms), so
   * an unref'd watcher's callback can come up to that much later.
   *
   * @returns The watcher.
   *
   * @example A watcher that does not keep the program running
   * ```ts
   * import assert from "node:assert/strict";
   * import { EVENT_READ, watch } from "@iomux/iomux/watch";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using watcher = watch(r, EVENT_READ, () => {}).unref();
   * assert.equal(watcher.hasRef(), false);
   * watcher.close();
   * close(r);
   * close(w);
   * ```
   */
  unref(): this {
    if (!this.#entry.closed) setRef(this.#entry, false);
    return this;
  }

  /** Stops watching; no callback runs after it returns. Closing twice does nothing. */
  close(): void {
    if (this.#entry.closed) return;
    this.#entry.closed = true;
    this.#detach();
    remove(this.#entry);
  }

  /** Same as {@linkcode Watcher.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Calls `callback(events)` on the JS thread whenever `fileobj` is ready for `events`,
 * until the watcher is closed: level-triggered, so an fd that stays readable is
 * reported again after the callback returns. Every watcher in the process shares
 * one wait. A callback that throws reaches the runtime as an uncaught error.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @param events `EVENT_READ`, `EVENT_WRITE` or both.
 * @param callback Gets the events that are ready (a subset of the watcher's).
 * @param options `signal` (aborting closes the watcher) and `ref`.
 * @returns The open watcher.
 * @throws {ValueError} Invalid events, or a negative fd.
 * @throws {OSError} The kernel refuses to watch the fd (EBADF for a closed one).
 *
 * @example Echo whatever arrives on a pipe until aborted
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, watch } from "@iomux/iomux/watch";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const controller = new AbortController();
 * const chunks: number[] = [];
 * const watcher = watch(r, EVENT_READ, () => {
 *   chunks.push(...read(r, 100));
 *   if (chunks.length === 3) controller.abort();
 * }, { signal: controller.signal });
 * write(w, new Uint8Array([1, 2]));
 * setTimeout(() => write(w, new Uint8Array([3])), 5);
 * await new Promise<void>((done) => controller.signal.onabort = () => done());
 * assert.deepEqual(chunks, [1, 2, 3]);
 * assert.equal(watcher.closed, true);
 * close(r);
 * close(w);
 * ```
 */
export function watch(
  fileobj: FileLike,
  events: number,
  callback: (events: number) => void,
  options?: WatchOptions,
): Watcher {
  const fd = fileobjToFd(fileobj);
  const mask = eventMask(events);
  if (typeof callback !== "function") throw new TypeError("callback must be a function");
  return new Watcher(fd, mask, callback, options);
}
