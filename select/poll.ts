/**
 * `select.poll()` objects: a registration table in insertion order and the
 * `poll(2)` call over it (`Modules/selectmodule.c`, `select_poll_*`).
 *
 * @module
 */
import { KeyError, RuntimeError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { libc, type Nfds, toNfds } from "../ffi/libc.ts";
import { Pollfds } from "../ffi/pollfd.ts";
import { fildes, type FileLike, ushort } from "../_py/convert.ts";
import { deadlineAfter, parsePollTimeout } from "../_py/timeout.ts";
import { waitFor } from "../_py/wait_loop.ts";
import { answer, type AsyncWaitOptions, refreshWaits, waitAsync } from "../_wait/async_wait.ts";
import { type EventSink, fastPaths, pollInto, readyBuffer, waitNow, WINDOWS } from "./_internal.ts";
import { PollCall, WSAPOLL_EVENTS } from "./_poll_call.ts";

const { ENOENT } = abi.errno;
const { POLLIN, POLLPRI, POLLOUT } = abi.poll;

/** Set only while {@linkcode poll} constructs: `new Poll()` is refused otherwise. */
let constructing = false;

/**
 * A `poll(2)` registration set, as Python's `select.poll` object. Make one with
 * {@linkcode poll}; the class itself cannot be instantiated, as in CPython.
 *
 * Results come back in registration order; registering an fd again keeps its
 * place, unregistering and registering it again moves it to the end. A closed fd
 * is reported as `POLLNVAL` rather than raising.
 *
 * @example Both ends of a pipe, before and after a write
 * ```ts
 * import assert from "node:assert/strict";
 * import { poll, POLLIN, POLLOUT } from "@iomux/iomux/select";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const p = poll();
 * p.register(r, POLLIN);
 * p.register(w, POLLOUT);
 * assert.deepEqual(p.poll(0), [[w, POLLOUT]]);
 * write(w, new Uint8Array([1]));
 * assert.deepEqual(p.poll(0), [[r, POLLIN], [w, POLLOUT]]);
 * close(r);
 * close(w);
 * ```
 */
export class Poll {
  #masks = new Map<number, number>();
  #stale = true;
  #running = false;
  #pollfds = new Pollfds(0);
  #count = 0;
  #nfds: Nfds = toNfds(0);
  readonly #call = new PollCall();
  readonly #poll = libc().poll;
  /** What {@linkcode readyBuffer} returns, kept current by `#rebuild`. */
  readonly #ready: { pollfds: Pollfds; count: number } = { pollfds: this.#pollfds, count: 0 };

  /**
   * Not for use: call {@linkcode poll}. Throws
   * `TypeError("cannot create 'select.poll' instances")`, as CPython does.
   */
  constructor() {
    if (!constructing) throw new TypeError("cannot create 'select.poll' instances");
  }

  /**
   * Registers `fd` (or updates its mask, keeping its place).
   *
   * @param fd An fd or an object with `fileno()`. It is not checked against the
   *   kernel: a closed fd is later reported as `POLLNVAL`.
   * @param eventmask `POLL*` bits, 0–65535; defaults to `POLLIN | POLLPRI | POLLOUT`.
   * @throws {TypeError} `fd` is not an fd, or the mask is not an integer.
   * @throws {ValueError} A negative fd or mask.
   * @throws {RangeError} A mask above 65535.
   *
   * @example Watch a pipe's read end for input
   * ```ts
   * import assert from "node:assert/strict";
   * import { poll, POLLIN } from "@iomux/iomux/select";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * const p = poll();
   * p.register(r, POLLIN);
   * write(w, new Uint8Array([1]));
   * assert.deepEqual(p.poll(0), [[r, POLLIN]]);
   * close(r);
   * close(w);
   * ```
   */
  register(fd: FileLike, eventmask?: number): void {
    if (arguments.length < 1 || arguments.length > 2) {
      throw new TypeError(
        arguments.length < 1
          ? "register expected at least 1 argument, got 0"
          : `register expected at most 2 arguments, got ${arguments.length}`,
      );
    }
    const key = fildes(fd);
    const mask = eventmask === undefined ? POLLIN | POLLPRI | POLLOUT : ushort(eventmask);
    this.#masks.set(key, mask);
    this.#stale = true;
    refreshWaits(this);
  }

  /**
   * Changes the mask of a registered fd.
   *
   * @param fd An fd or an object with `fileno()`.
   * @param eventmask The new `POLL*` bits.
   * @throws {FileNotFoundError} `fd` is not registered (ENOENT, as CPython).
   * @throws {TypeError} `eventmask` is missing or not an integer.
   *
   * @example Change what is watched
   * ```ts
   * import assert from "node:assert/strict";
   * import { poll, POLLIN, POLLOUT } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * const p = poll();
   * p.register(w, POLLIN); // a write end never becomes readable
   * assert.deepEqual(p.poll(0), []);
   * p.modify(w, POLLIN | POLLOUT);
   * assert.deepEqual(p.poll(0), [[w, POLLOUT]]);
   * close(r);
   * close(w);
   * ```
   */
  modify(fd: FileLike, eventmask: number): void {
    if (arguments.length !== 2) {
      throw new TypeError(`modify expected 2 arguments, got ${arguments.length}`);
    }
    const key = fildes(fd);
    const mask = ushort(eventmask);
    if (!this.#masks.has(key)) throw osError(ENOENT);
    this.#masks.set(key, mask);
    this.#stale = true;
    refreshWaits(this);
  }

  /**
   * Removes `fd` from the set.
   *
   * @param fd An fd or an object with `fileno()`.
   * @throws {KeyError} `fd` is not registered (`key` is the fd).
   *
   * @example Stop watching an fd
   * ```ts
   * import assert from "node:assert/strict";
   * import { KeyError } from "@iomux/iomux";
   * import { poll } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * const p = poll();
   * p.register(w);
   * p.unregister(w);
   * assert.deepEqual(p.poll(0), []);
   * assert.throws(() => p.unregister(w), KeyError); // no longer registered
   * close(r);
   * close(w);
   * ```
   */
  unregister(fd: FileLike): void {
    if (arguments.length !== 1) {
      throw new TypeError(
        `poll.unregister() takes exactly one argument (${arguments.length} given)`,
      );
    }
    const key = fildes(fd);
    if (!this.#masks.delete(key)) throw new KeyError(key);
    this.#stale = true;
    refreshWaits(this);
  }

  /**
   * Waits for events on the registered fds.
   *
   * @param timeout **Milliseconds**, rounded away from zero (0.1 waits 1 ms);
   *   `undefined`, `null` or any negative value waits with no limit.
   * @returns `[fd, revents]` pairs for every fd with events, in registration order.
   * @throws {TypeError} The timeout is not a number.
   * @throws {RangeError} The timeout does not fit a C `int` of milliseconds.
   * @throws {RuntimeError} Another `poll` on this object is still waiting.
   * @throws {OSError} The system call failed.
   *
   * @example A writable pipe is ready at once
   * ```ts
   * import assert from "node:assert/strict";
   * import { poll, POLLOUT } from "@iomux/iomux/select";
   * import { close, pipe } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * const p = poll();
   * p.register(w); // POLLIN | POLLPRI | POLLOUT by default
   * assert.deepEqual(p.poll(10), [[w, POLLOUT]]); // milliseconds, as in Python
   * close(r);
   * close(w);
   * ```
   */
  poll(timeout?: number | null): [fd: number, events: number][] {
    if (arguments.length > 1) {
      throw new TypeError(`poll expected at most 1 argument, got ${arguments.length}`);
    }
    if (timeout === 0 || timeout === undefined || timeout === null) {
      // The usual call: 0 ms or blocking needs none of the timeout's checks.
      const n = this[waitNow](timeout === 0 ? 0 : -1);
      if (n >= 0) {
        fastPaths.pollPoll++;
        return this.#results(n);
      }
      fastPaths.pollPollFallback++;
    }
    return this.#results(this.#wait(timeout));
  }

  /**
   * @ignore One `poll(2)` over the set with `ms` = 0 or -1, or -1 during a
   * `pollAsync` wait or when the call failed: the caller then takes the full path.
   */
  [waitNow](ms: 0 | -1): number {
    if (this.#running) return -1;
    if (this.#stale) this.#rebuild();
    const poll = this.#poll;
    return poll(this.#pollfds.bytes, this.#nfds, ms);
  }

  /** @ignore The records of the last wait and how many of them are in use. */
  [readyBuffer](): { pollfds: Pollfds; count: number } {
    return this.#ready;
  }

  /**
   * @ignore `poll(timeout)` handing each `(fd, revents)` to `sink` instead of
   * building pairs: the allocation-free path of the selectors.
   */
  [pollInto](timeout: number | bigint | null | undefined, sink: EventSink): void {
    const n = this.#wait(timeout as number | null | undefined);
    const pollfds = this.#pollfds;
    for (let i = 0, seen = 0; i < this.#count && seen < n; i++) {
      const revents = pollfds.revents(i);
      if (revents !== 0) {
        seen++;
        sink(pollfds.fd(i), revents);
      }
    }
  }

  /** The checks of `poll`, then the wait; the number of ready fds. */
  #wait(timeout: number | null | undefined): number {
    const ns = parsePollTimeout(timeout);
    if (this.#running) throw new RuntimeError("concurrent poll() invocation");
    if (this.#stale) this.#rebuild();
    this.#running = true;
    try {
      const call = this.#call;
      call.pollfds = this.#pollfds.bytes;
      call.table = this.#pollfds;
      call.nfds = this.#nfds;
      return waitFor(call, ns);
    } finally {
      this.#running = false;
    }
  }

  /**
   * {@linkcode Poll.poll} without blocking the event loop: what is ready now comes
   * back at once; otherwise the wait runs off the JS thread (one shared thread for
   * all waits) while timers and I/O go on. `register`, `modify` and `unregister`
   * during the wait take effect in it. While it is pending, `poll` and `pollAsync`
   * throw `RuntimeError("concurrent poll() invocation")`.
   * A pending wait keeps the process alive, as a pending read does: end it with a
   * timeout or an abort when the program should be able to exit.
   *
   * @param timeout **Milliseconds**, as for `poll`; `undefined`, `null` or negative
   *   waits with no limit.
   * @param options `signal`: aborting it rejects the Promise with `signal.reason`.
   * @returns The same `[fd, revents]` pairs `poll` would return.
   * @throws {RuntimeError} Another `poll`/`pollAsync` on this object is pending.
   * @throws {TypeError} The timeout is not a number.
   * @throws {RangeError} The timeout does not fit a C `int` of milliseconds.
   *
   * @example Wait while timers keep running
   * ```ts
   * import assert from "node:assert/strict";
   * import { poll, POLLIN } from "@iomux/iomux/select";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * const p = poll();
   * p.register(r, POLLIN);
   * setTimeout(() => write(w, new Uint8Array([1])), 5); // the timer fires during the wait
   * assert.deepEqual(await p.pollAsync(), [[r, POLLIN]]);
   * close(r);
   * close(w);
   * ```
   */
  pollAsync(
    timeout?: number | null,
    options?: AsyncWaitOptions,
  ): Promise<[fd: number, events: number][]> {
    try {
      const ns = parsePollTimeout(timeout);
      if (this.#running) throw new RuntimeError("concurrent poll() invocation");
      options?.signal?.throwIfAborted();
      const ready = this.poll(0);
      if (ready.length > 0 || ns === 0) {
        return answer(ready);
      }
      return waitAsync({
        owner: this,
        check: () => this.poll(0),
        interests: () => this.#masks,
        deadline: ns === null ? undefined : deadlineAfter(ns),
        signal: options?.signal,
        hold: (waiting) => {
          this.#running = waiting;
        },
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #rebuild(): void {
    const count = this.#masks.size;
    if (this.#pollfds.capacity < count || this.#pollfds.capacity === 0) {
      this.#pollfds = new Pollfds(Math.max(count, 4));
    }
    const pollfds = this.#pollfds;
    let i = 0;
    for (const [fd, mask] of this.#masks) {
      pollfds.set(i++, fd, WINDOWS ? mask & WSAPOLL_EVENTS : mask);
    }
    this.#count = count;
    this.#ready.pollfds = pollfds;
    this.#ready.count = count;
    this.#nfds = toNfds(count);
    this.#stale = false;
  }

  #results(n: number): [number, number][] {
    // Exactly n records have revents set (poll(2)'s count), in registration order.
    const result: [number, number][] = new Array(n);
    const pollfds = this.#pollfds;
    const count = this.#count;
    let k = 0;
    for (let i = 0; i < count && k < n; i++) {
      const revents = pollfds.revents(i);
      if (revents !== 0) result[k++] = [pollfds.fd(i), revents];
    }
    if (k < n) result.length = k;
    return result;
  }
}

/**
 * Makes a {@linkcode Poll} object, as Python's `select.poll()`.
 *
 * @returns An empty registration set.
 *
 * @example A poll object with nothing registered
 * ```ts
 * import assert from "node:assert/strict";
 * import { poll } from "@iomux/iomux/select";
 *
 * const p = poll();
 * assert.deepEqual(p.poll(0), []);
 * ```
 */
export function poll(): Poll {
  if (arguments.length > 0) {
    throw new TypeError(`select.poll() takes no arguments (${arguments.length} given)`);
  }
  constructing = true;
  try {
    return new Poll();
  } finally {
    constructing = false;
  }
}
