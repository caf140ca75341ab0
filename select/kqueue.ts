/**
 * `select.kqueue` (macOS, FreeBSD; Linux with libkqueue): a kernel event queue
 * with CPython's argument checks, timeout rules and EINTR handling
 * (`Modules/selectmodule.c`, `newKqueue_Object`, `select_kqueue_control_impl`).
 *
 * @module
 */
import { closedByOwner } from "../_py/resource_warning.ts";
import { Adoption } from "./_adopt.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { type KqueueBinding, kqueueBinding } from "../ffi/kqueue_lib.ts";
import { libc } from "../ffi/libc.ts";
import { cInt } from "../_py/convert.ts";
import { parseKqueueTimeout } from "../_py/timeout.ts";
import type { KEvent } from "./kevent.ts";
import { pollInto, readyBuffer, waitNow } from "./_internal.ts";
import { answer, type AsyncWaitOptions, endWaits, waitAsync } from "../_wait/async_wait.ts";
import { deadlineAfter } from "../_py/timeout.ts";
import { POLLIN } from "./constants.ts";
import { forgetQueue, trackedInterests } from "./_kqueue_interest.ts";
import { KeventChanges } from "./_kqueue_changes.ts";
import { KqueueEvents, type ReadyKevents } from "./_kqueue_events.ts";

const { F_SETFD, FD_CLOEXEC } = abi.fcntl;

/** Set by `Kqueue.fromFd` to adopt an fd instead of creating a queue. */
const adoption = new Adoption();

function create(binding: KqueueBinding): number {
  const fd = binding.kqueue();
  if (fd < 0) throw lastOsError();
  // CPython makes the fd non-inheritable (`newKqueue_Object`, PEP 446).
  const c = libc();
  if (c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
    const error = lastOsError();
    c.close(fd);
    throw error;
  }
  return fd;
}

/**
 * A kernel event queue, as Python's `select.kqueue`. Create one with
 * `new Kqueue()` or {@linkcode kqueue}; close it with `close()` or a `using`
 * declaration.
 *
 * On Linux there is no kernel kqueue: set `IOMUX_KQUEUE_LIB` to a libkqueue shared
 * library to use one (Deno then needs `--allow-env` to read it, and `--allow-ffi`).
 *
 * CPython marks every kqueue closed in a forked child (gh-110395); JavaScript
 * runtimes never fork a running process, so there is nothing to match.
 *
 * @example Waiting for a pipe to become readable
 * ```ts
 * import assert from "node:assert/strict";
 * import { kevent, KQ_FILTER_READ, Kqueue, OSError } from "@iomux/iomux/select";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * function openKqueue(): Kqueue | null {
 *   try {
 *     return new Kqueue();
 *   } catch (e) {
 *     // Linux without IOMUX_KQUEUE_LIB has no kqueue: this example then checks nothing.
 *     if (e instanceof OSError && e.code === "ENOSYS") return null;
 *     throw e;
 *   }
 * }
 *
 * const kq = openKqueue();
 * if (kq) {
 *   const [r, w] = pipe();
 *   kq.control([kevent(r, KQ_FILTER_READ)], 0);
 *   write(w, new Uint8Array([1, 2, 3]));
 *   const [ev, ...more] = kq.control(null, 1, 1);
 *   assert.equal(more.length, 0);
 *   assert.equal(ev?.ident, r);
 *   assert.equal(ev?.data, 3); // bytes ready to read
 *   kq.close();
 *   close(r);
 *   close(w);
 * }
 * ```
 */
export class Kqueue {
  #fd: number;
  readonly #binding: KqueueBinding;
  readonly #changes = new KeventChanges();
  readonly #events: KqueueEvents;

  /**
   * Creates a kqueue. Its fd is close-on-exec (never inherited by child processes).
   *
   * @throws {OSError} ENOSYS where there is no kqueue (Linux without
   *   `IOMUX_KQUEUE_LIB`), or the error of `kqueue(2)`.
   * @throws {TypeError} Any argument (`kqueue()` takes none).
   */
  constructor() {
    if (arguments.length > 0) throw new TypeError("kqueue() takes no positional arguments");
    this.#binding = kqueueBinding();
    this.#events = new KqueueEvents(this.#binding);
    const adopted = adoption.take(this);
    this.#fd = adopted ?? adoption.own(this, create(this.#binding));
  }

  /**
   * Wraps an existing kqueue fd, which the new object then owns and closes. As in
   * CPython, the fd is not validated, and -1 creates a new queue.
   *
   * @param fd A kqueue fd.
   * @returns A `Kqueue` that owns `fd`.
   * @throws {OSError} `fd` is below -1 (EBADF), or kqueue is unavailable (ENOSYS).
   *
   * @example Wrap a kqueue fd in a second object
   * ```ts
   * import assert from "node:assert/strict";
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   *
   * try {
   *   const kq = new Kqueue();
   *   const same = Kqueue.fromFd(kq.fileno());
   *   assert.equal(same.fileno(), kq.fileno());
   *   same.close(); // closes the shared fd
   *   kq.close();
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * ```
   */
  static fromFd(fd: number): Kqueue {
    return adoption.from(fd, () => new Kqueue());
  }

  /**
   * Whether `close()` has been called.
   *
   * @example Closed after `close()`
   * ```ts
   * import assert from "node:assert/strict";
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   *
   * try {
   *   const kq = new Kqueue();
   *   assert.equal(kq.closed, false);
   *   kq.close();
   *   assert.equal(kq.closed, true);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * ```
   */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * The kqueue fd.
   *
   * @returns The fd.
   * @throws {ValueError} The object is closed.
   *
   * @example The kqueue fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   *
   * try {
   *   using kq = new Kqueue();
   *   assert.ok(Number.isInteger(kq.fileno()) && kq.fileno() >= 0);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * ```
   */
  fileno(): number {
    return this.#open();
  }

  /**
   * Closes the kqueue fd. Idempotent; errors from `close(2)` are ignored, as in
   * CPython.
   *
   * @example Closing twice is allowed
   * ```ts
   * import assert from "node:assert/strict";
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   *
   * try {
   *   const kq = new Kqueue();
   *   kq.close();
   *   kq.close(); // a no-op, as in Python
   *   assert.equal(kq.closed, true);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * ```
   */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    closedByOwner(this);
    libc().close(fd);
    endWaits(this);
    forgetQueue(this);
  }

  /** Closes the queue at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Applies `changelist`, then waits for up to `maxevents` events: Python's
   * `kqueue.control(changelist, maxevents, timeout=None)`.
   *
   * A change that fails is reported as an event with `KQ_EV_ERROR` in `flags` and
   * the errno in `data` when there is room in the result, and fails the whole call
   * otherwise. With `maxevents` 0 the call returns at once, whatever the timeout.
   *
   * @param changelist `KEvent`s to apply (any iterable), or `null`/`undefined`.
   * @param maxevents The most events to return (0 or more).
   * @param timeout **Seconds** (fractions allowed); `undefined` or `null` waits with
   *   no limit. Interrupted waits resume with the time left.
   * @returns New `KEvent`s copied from the kernel's results.
   * @throws {ValueError} The object is closed, `maxevents` is negative, or the
   *   timeout is negative ("timeout must be positive or None").
   * @throws {TypeError} The timeout is not a usable number (NaN, infinite, too
   *   large or not a number), `changelist` is not iterable or holds a non-`KEvent`.
   * @throws {OSError} The system call failed (EBADF for a closed fd in a change
   *   when there is no room to report it, and so on).
   *
   * @example Add a filter, then collect what is ready without waiting
   * ```ts
   * import assert from "node:assert/strict";
   * import { kevent, KQ_FILTER_WRITE, Kqueue, OSError } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * try {
   *   using kq = new Kqueue();
   *   kq.control([kevent(w, KQ_FILTER_WRITE)], 0); // changes only: nothing is collected
   *   const ready = kq.control(null, 4, 0);
   *   assert.deepEqual(ready.map((ev) => [ev.ident, ev.filter]), [[w, KQ_FILTER_WRITE]]);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * close(r);
   * close(w);
   * ```
   */
  control(
    changelist: Iterable<KEvent> | null | undefined,
    maxevents: number,
    timeout?: number | null,
  ): KEvent[] {
    if (arguments.length < 2) {
      throw new TypeError(`control expected at least 2 arguments, got ${arguments.length}`);
    }
    if (arguments.length > 3) {
      throw new TypeError(`control expected at most 3 arguments, got ${arguments.length}`);
    }
    return this.#events.kevents(this.#control(changelist, maxevents, timeout));
  }

  /**
   * `control()` beside the event loop: applies `changelist` at once, then resolves
   * with up to `maxevents` events as `control(null, maxevents, timeout)` would,
   * while timers and I/O keep running. The same checks, in the same order, as
   * `control`. An aborted `signal` rejects with `signal.reason`; `close()` during
   * the wait resolves `[]`. With libkqueue (Linux) only read and write filters are
   * watched off the thread.
   *
   * @param changelist Changes to apply first, or `null`.
   * @param maxevents The most events to return (0 or more).
   * @param timeout Seconds; `null`/`undefined` waits with no limit.
   * @param options `signal`.
   * @returns The events, as `control` returns them.
   * @throws {ValueError} The object is closed, or `maxevents` or the timeout is negative.
   *
   * @example Wait for a pipe without blocking timers
   * ```ts
   * import assert from "node:assert/strict";
   * import { kevent, KQ_FILTER_READ, Kqueue, OSError } from "@iomux/iomux/select";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * try {
   *   using kq = new Kqueue();
   *   setTimeout(() => write(w, new Uint8Array([1])), 5);
   *   const [ev] = await kq.controlAsync([kevent(r, KQ_FILTER_READ)], 1, 10);
   *   assert.equal(ev?.ident, r);
   * } catch (e) {
   *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
   * }
   * close(r);
   * close(w);
   * ```
   */
  controlAsync(
    changelist: Iterable<KEvent> | null | undefined,
    maxevents: number,
    timeout?: number | null,
    options?: AsyncWaitOptions,
  ): Promise<KEvent[]> {
    try {
      const nevents = cInt(maxevents);
      this.#open();
      if (nevents < 0) {
        throw new ValueError(`Length of eventlist must be 0 or positive, got ${nevents}`);
      }
      const ns = parseKqueueTimeout(timeout);
      options?.signal?.throwIfAborted();
      const ready = this.control(changelist, nevents, 0);
      if (ready.length > 0 || ns === 0 || nevents === 0) return answer(ready);
      const fd = this.#fd;
      return waitAsync({
        owner: this,
        check: () => this.control(null, nevents, 0),
        interests: nativeKqueue ? () => [[fd, POLLIN]] : () => trackedInterests(this),
        deadline: ns === null ? undefined : deadlineAfter(ns),
        signal: options?.signal,
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * @ignore `control(null, maxevents, timeout)` handing each event's `(ident,
   * filter)` to `sink` instead of building `KEvent`s: the selectors' path.
   */
  [pollInto](
    timeout: number | null | undefined,
    maxevents: number,
    sink: (fd: number, filter: number) => void,
  ): void {
    this.#events.forEach(this.#control(null, maxevents, timeout), sink);
  }

  /**
   * @ignore One `kevent(kq, NULL, 0, events, maxevents, block ? NULL : &zero)`, or -1
   * when closed or the call failed: the caller then takes the full path.
   */
  [waitNow](block: boolean, maxevents: number): number {
    const kq = this.#fd;
    if (kq < 0) return -1;
    return this.#events.now(kq, block, maxevents);
  }

  /** @ignore The event list of the last wait, with the offsets of `ident` and `filter`. */
  [readyBuffer](): ReadyKevents {
    return this.#events.ready();
  }

  /** The checks of `control`, in CPython's order, then the wait; the number of events. */
  #control(
    changelist: Iterable<KEvent> | null | undefined,
    maxevents: number,
    timeout: number | null | undefined,
  ): number {
    const nevents = cInt(maxevents);
    const kq = this.#open();
    if (nevents < 0) {
      throw new ValueError(`Length of eventlist must be 0 or positive, got ${nevents}`);
    }
    const ns = parseKqueueTimeout(timeout);
    const changes = this.#changes.encode(
      changelist,
      this.#binding.layout,
      nativeKqueue ? null : this,
    );
    return this.#events.wait(kq, changes, nevents, ns);
  }

  #open(): number {
    if (this.#fd < 0) throw new ValueError("I/O operation on closed kqueue object");
    return this.#fd;
  }
}

/**
 * Creates a {@linkcode Kqueue}, as Python's `select.kqueue()`.
 *
 * @returns A new kqueue.
 * @throws {OSError} ENOSYS where kqueue is unavailable (Linux without
 *   `IOMUX_KQUEUE_LIB`).
 *
 * @example A new kqueue is open
 * ```ts
 * import assert from "node:assert/strict";
 * import { kqueue, OSError } from "@iomux/iomux/select";
 *
 * try {
 *   using kq = kqueue();
 *   assert.equal(kq.closed, false);
 * } catch (e) {
 *   // Linux without IOMUX_KQUEUE_LIB has no kqueue.
 *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e;
 * }
 * ```
 */
export function kqueue(): Kqueue {
  if (arguments.length > 0) throw new TypeError("kqueue() takes no positional arguments");
  return new Kqueue();
}

/**
 * Whether kqueue is the operating system's own (macOS, FreeBSD) rather than an
 * emulation loaded from `IOMUX_KQUEUE_LIB`. Not exported from any entry point:
 * `DefaultSelector` uses it so that Linux keeps epoll even when libkqueue is set.
 */
export const nativeKqueue: boolean = abi.kevent !== null;
