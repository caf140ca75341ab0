/**
 * `select.poll()` objects: a registration table in insertion order and the
 * `poll(2)` call over it (reference §2).
 *
 * @module
 */
import { KeyError, RuntimeError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { osError, waitInterrupted } from "../ffi/errno.ts";
import { libc, type Nfds, toNfds } from "../ffi/libc.ts";
import { POLLFD_SIZE } from "../ffi/structs.ts";
import { fildes, type FileLike, ushort } from "./_convert.ts";
import {
  CEILING,
  deadlineAfter,
  divide,
  type Ns,
  nsLeft,
  timeoutToCInt,
  timeoutToNs,
  UP,
} from "./_timeout.ts";
import { answer, type AsyncWaitOptions, refreshWaits, waitAsync } from "../_wait/async_wait.ts";
import { type EventSink, pollInto } from "./_internal.ts";

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
 * @example
 * ```ts
 * import { poll, POLLIN, POLLOUT } from "@iomux/iomux/select";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const p = poll();
 * p.register(r, POLLIN);
 * p.register(w, POLLOUT);
 * console.log(p.poll(0)); // [ [ w, 4 ] ]
 * write(w, new Uint8Array([1]));
 * console.log(p.poll(0)); // [ [ r, 1 ], [ w, 4 ] ]
 * close(r);
 * close(w);
 * ```
 */
export class Poll {
  #masks = new Map<number, number>();
  #stale = true;
  #running = false;
  #pollfds = new Uint8Array(0);
  #fdWords = new Int32Array(0);
  #eventHalves = new Uint16Array(0);
  #count = 0;
  #nfds: Nfds = toNfds(0);

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
   * @example
   * ```ts
   * import { poll, POLLIN } from "@iomux/iomux/select";
   * const p = poll();
   * p.register(0, POLLIN);
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
   * @example
   * ```ts
   * import { poll, POLLIN, POLLOUT } from "@iomux/iomux/select";
   * const p = poll();
   * p.register(1, POLLOUT);
   * p.modify(1, POLLIN | POLLOUT);
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
   * @example
   * ```ts
   * import { poll } from "@iomux/iomux/select";
   * const p = poll();
   * p.register(1);
   * p.unregister(1);
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
   * @example
   * ```ts
   * import { poll } from "@iomux/iomux/select";
   * const p = poll();
   * p.register(1);
   * console.log(p.poll(10).length); // 1 while stdout is writable
   * ```
   */
  poll(timeout?: number | null): [fd: number, events: number][] {
    if (arguments.length > 1) {
      throw new TypeError(`poll expected at most 1 argument, got ${arguments.length}`);
    }
    return this.#results(this.#wait(timeout));
  }

  /**
   * @ignore `poll(timeout)` handing each `(fd, revents)` to `sink` instead of
   * building pairs: the allocation-free path of the selectors.
   */
  [pollInto](timeout: number | bigint | null | undefined, sink: EventSink): void {
    const n = this.#wait(timeout as number | null | undefined);
    const words = this.#fdWords;
    const halves = this.#eventHalves;
    for (let i = 0, seen = 0; i < this.#count && seen < n; i++) {
      const revents = halves[4 * i + 3]!;
      if (revents !== 0) {
        seen++;
        sink(words[2 * i]!, revents);
      }
    }
  }

  /** The checks, rounding and EINTR loop of `poll`; the number of ready fds. */
  #wait(timeout: number | null | undefined): number {
    let ms = -1;
    let deadline: number | undefined;
    if (timeout !== undefined && timeout !== null) {
      const ns: Ns = timeoutToNs(timeout, 1e6, "timeout must be an integer or None");
      ms = timeoutToCInt(divide(ns, 1_000_000, UP));
      if (ns >= 0) deadline = deadlineAfter(ns);
      // BSDs insist on exactly INFTIM (-1) for "forever" (bpo-31334).
      if (ms < 0) ms = -1;
    }
    if (this.#running) throw new RuntimeError("concurrent poll() invocation");
    if (this.#stale) this.#rebuild();
    this.#running = true;
    try {
      const c = libc();
      let n: number;
      for (;;) {
        n = c.poll(this.#pollfds, this.#nfds, ms);
        if (n >= 0) break;
        const errno = c.errno();
        if (!waitInterrupted(errno)) throw osError(errno);
        if (deadline !== undefined) {
          const left = nsLeft(deadline);
          if (left < 0) return 0;
          ms = timeoutToCInt(divide(left, 1_000_000, CEILING));
        }
      }
      return n;
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
   * @example
   * ```ts
   * import { poll, POLLIN } from "@iomux/iomux/select";
   * import { close, pipe, write } from "@iomux/iomux/os";
   *
   * const [r, w] = pipe();
   * const p = poll();
   * p.register(r, POLLIN);
   * setTimeout(() => write(w, new Uint8Array([1])), 5);
   * console.log(await p.pollAsync()); // [ [ r, 1 ] ], timers ran meanwhile
   * close(r);
   * close(w);
   * ```
   */
  pollAsync(
    timeout?: number | null,
    options?: AsyncWaitOptions,
  ): Promise<[fd: number, events: number][]> {
    try {
      let ms = -1;
      let ns: Ns = -1;
      if (timeout !== undefined && timeout !== null) {
        ns = timeoutToNs(timeout, 1e6, "timeout must be an integer or None");
        ms = timeoutToCInt(divide(ns, 1_000_000, UP));
      }
      if (this.#running) throw new RuntimeError("concurrent poll() invocation");
      options?.signal?.throwIfAborted();
      const ready = this.poll(0);
      if (ready.length > 0 || ms === 0) {
        return answer(ready);
      }
      return waitAsync({
        owner: this,
        check: () => this.poll(0),
        interests: () => this.#masks,
        deadline: ms > 0 ? deadlineAfter(ns) : undefined,
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
    if (this.#pollfds.byteLength < count * POLLFD_SIZE || this.#pollfds.byteLength === 0) {
      this.#pollfds = new Uint8Array(Math.max(count, 4) * POLLFD_SIZE);
      this.#fdWords = new Int32Array(this.#pollfds.buffer);
      this.#eventHalves = new Uint16Array(this.#pollfds.buffer);
    }
    const words = this.#fdWords;
    const halves = this.#eventHalves;
    let i = 0;
    for (const [fd, mask] of this.#masks) {
      words[2 * i] = fd;
      halves[4 * i + 2] = mask;
      halves[4 * i + 3] = 0;
      i++;
    }
    this.#count = count;
    this.#nfds = toNfds(count);
    this.#stale = false;
  }

  #results(n: number): [number, number][] {
    const result: [number, number][] = [];
    const words = this.#fdWords;
    const halves = this.#eventHalves;
    for (let i = 0; i < this.#count && result.length < n; i++) {
      const revents = halves[4 * i + 3]!;
      if (revents !== 0) result.push([words[2 * i]!, revents]);
    }
    return result;
  }
}

/**
 * Makes a {@linkcode Poll} object, as Python's `select.poll()`.
 *
 * @returns An empty registration set.
 *
 * @example
 * ```ts
 * import { poll } from "@iomux/iomux/select";
 * const p = poll();
 * console.log(p.poll(0)); // []
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
