/**
 * `select.epoll` (Linux): an epoll instance with CPython's argument checks, errno
 * mapping, closed-object errors and timeout rounding (`Modules/selectmodule.c`,
 * `select_epoll_*`).
 *
 * @module
 */
import { closedByOwner } from "../_py/resource_warning.ts";
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { FD_SETSIZE } from "../ffi/structs.ts";
import { cInt, fildes, type FileLike, uintBitwise } from "../_py/convert.ts";
import { deadlineAfter, parseEpollTimeout } from "../_py/timeout.ts";
import { EPOLL_CLOEXEC, EPOLLIN, EPOLLOUT, EPOLLPRI, POLLIN } from "./constants.ts";
import { answer, type AsyncWaitOptions, endWaits, waitAsync } from "../_wait/async_wait.ts";
import { libc } from "../ffi/libc.ts";
import { Adoption } from "./_adopt.ts";
import { EpollEvents } from "./_epoll_events.ts";
import {
  createEpoll,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EpollCtl,
  requireEpoll,
} from "./_epoll_fd.ts";
import { type EventSink, fastPaths, pollInto, readyBuffer, waitNow } from "./_internal.ts";

/** Set by `Epoll.fromFd` to adopt an fd instead of creating an instance. */
const adoption = new Adoption();

/**
 * An epoll instance, as Python's `select.epoll`. Create one with `new Epoll()` or
 * {@linkcode epoll}; close it with `close()` or a `using` declaration.
 *
 * @example Edge-triggered readiness of a pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { Epoll, EPOLLET, EPOLLIN } from "@iomux/iomux/select";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using ep = new Epoll();
 * ep.register(r, EPOLLIN | EPOLLET);
 * write(w, new Uint8Array([42]));
 * assert.deepEqual(ep.poll(1), [[r, EPOLLIN]]);
 * assert.deepEqual(ep.poll(0), []); // edge-triggered: nothing new
 * close(r);
 * close(w);
 * ```
 */
export class Epoll {
  #fd: number;
  readonly #events = new EpollEvents();
  readonly #ctlEvent = new EpollCtl();

  /**
   * Creates an epoll instance (`epoll_create1(EPOLL_CLOEXEC)`: never inherited by
   * child processes).
   *
   * @param sizehint Ignored, as in CPython, but checked: -1 (the default) or positive.
   * @param flags 0 or `EPOLL_CLOEXEC` (the fd is close-on-exec either way).
   * @throws {ValueError} `sizehint` is 0 or below -1 ("negative sizehint").
   * @throws {OSError} Other `flags` ("invalid flags", errno `null`), or the kernel refused.
   * @throws {TypeError} A non-integer argument.
   */
  constructor(sizehint?: number, flags?: number) {
    if (arguments.length > 2) {
      throw new TypeError(`epoll() takes at most 2 arguments (${arguments.length} given)`);
    }
    const adopted = adoption.take(this);
    if (adopted !== undefined) {
      this.#fd = adopted;
      return;
    }
    const hint = sizehint === undefined ? -1 : cInt(sizehint);
    const flagBits = flags === undefined ? 0 : cInt(flags);
    if (hint !== -1 && hint <= 0) throw new ValueError("negative sizehint");
    if (flagBits !== 0 && flagBits !== EPOLL_CLOEXEC) throw new OSError("invalid flags");
    this.#fd = adoption.own(this, createEpoll());
  }

  /**
   * Wraps an existing epoll fd, which the new object then owns and closes. As in
   * CPython, the fd is not validated, and -1 creates a new instance.
   *
   * @param fd An epoll fd.
   * @returns An `Epoll` that owns `fd`.
   * @throws {OSError} `fd` is below -1 (EBADF).
   *
   * @example Wrap an epoll fd in a second object
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll } from "@iomux/iomux/select";
   *
   * const ep = new Epoll();
   * const same = Epoll.fromFd(ep.fileno());
   * assert.equal(same.fileno(), ep.fileno());
   * same.close(); // closes the shared fd
   * ep.close();
   * ```
   */
  static fromFd(fd: number): Epoll {
    if (arguments.length !== 1) {
      throw new TypeError(
        `epoll.fromfd() takes exactly one argument (${arguments.length} given)`,
      );
    }
    return adoption.from(fd, () => new Epoll(), requireEpoll);
  }

  /**
   * Whether `close()` has been called.
   *
   * @example Closed after `close()`
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll } from "@iomux/iomux/select";
   *
   * const ep = new Epoll();
   * assert.equal(ep.closed, false);
   * ep.close();
   * assert.equal(ep.closed, true);
   * ```
   */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * The epoll fd.
   *
   * @returns The fd.
   * @throws {ValueError} The object is closed.
   *
   * @example The epoll fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll } from "@iomux/iomux/select";
   *
   * using ep = new Epoll();
   * assert.ok(Number.isInteger(ep.fileno()) && ep.fileno() >= 0);
   * ```
   */
  fileno(): number {
    return this.#open();
  }

  /**
   * Closes the epoll fd. Idempotent; errors from `close(2)` are ignored, as in CPython.
   *
   * @example Closing twice is allowed
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll } from "@iomux/iomux/select";
   *
   * const ep = new Epoll();
   * ep.close();
   * ep.close(); // a no-op, as in Python
   * assert.equal(ep.closed, true);
   * ```
   */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    closedByOwner(this);
    endWaits(this);
    libc().close(fd);
  }

  /** Closes the instance at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Starts watching `fd` (`EPOLL_CTL_ADD`).
   *
   * @param fd An fd or an object with `fileno()`.
   * @param eventmask `EPOLL*` bits (truncated to 32 bits); defaults to
   *   `EPOLLIN | EPOLLPRI | EPOLLOUT`.
   * @throws {FileExistsError} `fd` is already registered.
   * @throws {PermissionError} `fd` does not support epoll (a regular file).
   * @throws {OSError} `fd` is closed (EBADF), or another kernel error.
   * @throws {ValueError} The object is closed, or `fd` is negative.
   *
   * @example Watch a pipe's write end
   * ```ts
   * import assert from "node:assert/strict";
   * import { FileExistsError } from "@iomux/iomux";
   * import { Epoll, EPOLLOUT } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using ep = new Epoll();
   * ep.register(w, EPOLLOUT);
   * assert.deepEqual(ep.poll(0), [[w, EPOLLOUT]]);
   * assert.throws(() => ep.register(w, EPOLLOUT), FileExistsError); // EEXIST
   * close(r);
   * close(w);
   * ```
   */
  register(fd: FileLike, eventmask?: number): void {
    if (arguments.length < 1) {
      throw new TypeError("register() missing required argument 'fd' (pos 1)");
    }
    if (arguments.length > 2) {
      throw new TypeError(`register() takes at most 2 arguments (${arguments.length} given)`);
    }
    const target = fildes(fd);
    const mask = eventmask === undefined ? EPOLLIN | EPOLLPRI | EPOLLOUT : uintBitwise(eventmask);
    this.#ctl(EPOLL_CTL_ADD, target, mask);
  }

  /**
   * Changes the events watched on a registered fd (`EPOLL_CTL_MOD`).
   *
   * @param fd An fd or an object with `fileno()`.
   * @param eventmask The new `EPOLL*` bits.
   * @throws {FileNotFoundError} `fd` is not registered.
   * @throws {ValueError} The object is closed.
   *
   * @example Change what is watched
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll, EPOLLIN, EPOLLOUT } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using ep = new Epoll();
   * ep.register(w, EPOLLIN); // a write end never becomes readable
   * assert.deepEqual(ep.poll(0), []);
   * ep.modify(w, EPOLLIN | EPOLLOUT);
   * assert.deepEqual(ep.poll(0), [[w, EPOLLOUT]]);
   * close(r);
   * close(w);
   * ```
   */
  modify(fd: FileLike, eventmask: number): void {
    if (arguments.length < 1) {
      throw new TypeError("modify() missing required argument 'fd' (pos 1)");
    }
    if (arguments.length < 2) {
      throw new TypeError("modify() missing required argument 'eventmask' (pos 2)");
    }
    if (arguments.length > 2) {
      throw new TypeError(`modify() takes at most 2 arguments (${arguments.length} given)`);
    }
    const target = fildes(fd);
    this.#ctl(EPOLL_CTL_MOD, target, uintBitwise(eventmask));
  }

  /**
   * Stops watching `fd` (`EPOLL_CTL_DEL`).
   *
   * @param fd An fd or an object with `fileno()`.
   * @throws {FileNotFoundError} `fd` is not registered.
   * @throws {OSError} `fd` has been closed since (EBADF).
   * @throws {ValueError} The object is closed.
   *
   * @example Stop watching an fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { FileNotFoundError } from "@iomux/iomux";
   * import { Epoll } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using ep = new Epoll();
   * ep.register(r);
   * ep.unregister(r);
   * assert.throws(() => ep.unregister(r), FileNotFoundError); // ENOENT: no longer registered
   * close(r);
   * close(w);
   * ```
   */
  unregister(fd: FileLike): void {
    if (arguments.length < 1) {
      throw new TypeError("unregister() missing required argument 'fd' (pos 1)");
    }
    if (arguments.length > 1) {
      throw new TypeError(`unregister() takes at most 1 argument (${arguments.length} given)`);
    }
    this.#ctl(EPOLL_CTL_DEL, fildes(fd), 0);
  }

  /**
   * Waits for events.
   *
   * @param timeout **Seconds**, rounded up to the millisecond; `undefined`, `null`
   *   or a value of -0.001 or less waits with no limit (-0.0009 rounds to 0).
   * @param maxevents The most events to return; -1 (the default) means 1023.
   * @returns `[fd, events]` pairs in the kernel's order.
   * @throws {ValueError} The object is closed, or `maxevents` is 0 or below -1.
   * @throws {TypeError} The timeout is not a number.
   * @throws {RangeError} The timeout does not fit a C `int` of milliseconds.
   * @throws {OSError} The system call failed.
   *
   * @example At most `maxevents` events, without waiting
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll, EPOLLOUT } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using ep = new Epoll();
   * ep.register(w, EPOLLOUT);
   * assert.deepEqual(ep.poll(0, 10), [[w, EPOLLOUT]]); // seconds, as in Python
   * close(r);
   * close(w);
   * ```
   */
  poll(timeout?: number | null, maxevents?: number): [fd: number, events: number][] {
    if (arguments.length > 2) {
      throw new TypeError(`poll() takes at most 2 arguments (${arguments.length} given)`);
    }
    let n = -1;
    if (
      (timeout === 0 || timeout === undefined || timeout === null) &&
      (maxevents === undefined || maxevents === -1)
    ) {
      // The usual call: 0 ms or -1 ms and 1023 events need none of the checks.
      n = this[waitNow](timeout === 0 ? 0 : -1, FD_SETSIZE - 1);
      if (n >= 0) fastPaths.epollPoll++;
      else fastPaths.epollPollFallback++;
    }
    if (n < 0) n = this.#wait(timeout, maxevents);
    return this.#events.pairs(n);
  }

  /**
   * @ignore `poll(timeout, maxevents)` handing each `(fd, events)` to `sink`
   * instead of building pairs: the allocation-free path of the selectors.
   */
  [pollInto](
    timeout: number | null | undefined,
    maxevents: number | undefined,
    sink: EventSink,
  ): void {
    this.#events.forEach(this.#wait(timeout, maxevents), sink);
  }

  /**
   * @ignore One `epoll_wait(ms)` for at most `maxevents` (≥ 1) events, or -1 when
   * closed or the call failed: the caller then takes the full path.
   */
  [waitNow](ms: 0 | -1, maxevents: number): number {
    const epfd = this.#fd;
    if (epfd < 0) return -1;
    return this.#events.now(epfd, ms, maxevents);
  }

  /** @ignore The `epoll_event` words of the last wait. */
  [readyBuffer](): Uint32Array {
    return this.#events.words;
  }

  /** The checks of `poll`, in CPython's order, then the wait; the number of events. */
  #wait(timeout: number | null | undefined, maxevents: number | undefined): number {
    let max = maxevents === undefined ? -1 : cInt(maxevents);
    const epfd = this.#open();
    const ns = parseEpollTimeout(timeout);
    if (max === -1) max = FD_SETSIZE - 1;
    else if (max < 1) throw new ValueError(`maxevents must be greater than 0, got ${max}`);
    return this.#events.wait(epfd, max, ns);
  }

  /**
   * {@linkcode Epoll.poll} without blocking the event loop: what is ready now comes
   * back at once; otherwise the wait runs off the JS thread (one shared thread for
   * all waits, watching this epoll fd) while timers and I/O go on. `close()` ends a
   * pending wait, which then resolves with `[]`.
   * A pending wait keeps the process alive, as a pending read does: end it with a
   * timeout or an abort when the program should be able to exit.
   *
   * @param timeout **Seconds**, as for `poll`; `undefined`, `null` or -0.001 or
   *   less waits with no limit.
   * @param maxevents The most events to return; -1 (the default) means 1023.
   * @param options `signal`: aborting it rejects the Promise with `signal.reason`.
   * @returns The same `[fd, events]` pairs `poll` would return.
   * @throws {ValueError} The object is closed, or `maxevents` is 0 or below -1.
   * @throws {TypeError} The timeout is not a number.
   * @throws {RangeError} The timeout does not fit a C `int` of milliseconds.
   *
   * @example Wait while timers keep running
   * ```ts
   * import assert from "node:assert/strict";
   * import { Epoll, EPOLLIN } from "@iomux/iomux/select";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * using ep = new Epoll();
   * ep.register(r, EPOLLIN);
   * setTimeout(() => write(w, new Uint8Array([1])), 5); // the timer fires during the wait
   * assert.deepEqual(await ep.pollAsync(), [[r, EPOLLIN]]);
   * close(r);
   * close(w);
   * ```
   */
  pollAsync(
    timeout?: number | null,
    maxevents?: number,
    options?: AsyncWaitOptions,
  ): Promise<[fd: number, events: number][]> {
    try {
      // poll()'s order: maxevents is parsed, then the closed check, then the timeout.
      if (maxevents !== undefined) cInt(maxevents);
      this.#open();
      const ns = parseEpollTimeout(timeout);
      options?.signal?.throwIfAborted();
      const ready = this.poll(0, maxevents);
      if (ready.length > 0 || ns === 0) {
        return answer(ready);
      }
      return waitAsync({
        owner: this,
        check: () => this.poll(0, maxevents),
        interests: () => [[this.#fd, POLLIN]],
        deadline: ns === null ? undefined : deadlineAfter(ns),
        signal: options?.signal,
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #open(): number {
    if (this.#fd < 0) throw new ValueError("I/O operation on closed epoll object");
    return this.#fd;
  }

  #ctl(op: number, fd: number, events: number): void {
    this.#ctlEvent.call(this.#open(), op, fd, events);
  }
}

/**
 * Creates an {@linkcode Epoll}, as Python's `select.epoll(sizehint=-1, flags=0)`.
 *
 * @param sizehint Ignored but checked: -1 or positive.
 * @param flags 0 or `EPOLL_CLOEXEC`.
 * @returns A new epoll instance.
 *
 * @example A new epoll object is open
 * ```ts
 * import assert from "node:assert/strict";
 * import { epoll } from "@iomux/iomux/select";
 *
 * using ep = epoll();
 * assert.equal(ep.closed, false);
 * ```
 */
export function epoll(sizehint?: number, flags?: number): Epoll {
  if (arguments.length > 2) {
    throw new TypeError(`epoll() takes at most 2 arguments (${arguments.length} given)`);
  }
  return new Epoll(sizehint, flags);
}
