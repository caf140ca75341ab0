/**
 * `select.kqueue` (macOS, FreeBSD; Linux with libkqueue): a kernel event queue
 * with CPython's argument checks, timeout rules and EINTR handling (reference
 * §4.2, §4.3).
 *
 * @module
 */
import { closedByOwner, closeOnCollection } from "../_py/resource_warning.ts";
import { ValueError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError, osError, waitInterrupted } from "../ffi/errno.ts";
import {
  decodeKevent,
  encodeKevents,
  forEachIdentFilter,
  type KeventFields,
} from "../ffi/kevent.ts";
import { type KqueueBinding, kqueueBinding } from "../ffi/kqueue_lib.ts";
import { libc } from "../ffi/libc.ts";
import { writeTime } from "../ffi/structs.ts";
import { cInt, pyTypeName } from "./_convert.ts";
import { deadlineAfter, divide, FLOOR, type Ns, nsLeft, timeoutToNs } from "./_timeout.ts";
import { type KEvent, keventFields, keventFromFields } from "./kevent.ts";
import { pollInto } from "./_internal.ts";

const { EBADF } = abi.errno;
const { F_SETFD, FD_CLOEXEC } = abi.fcntl;
const INT_MAX = 2147483647;
/**
 * The most events one `control()` asks the kernel for. CPython allocates
 * `maxevents` entries whatever their number; iomux caps the buffer (32 MiB with
 * the 32-byte layout) and lets further events come in the next call.
 */
const MAX_EVENT_BUFFER = 1 << 20;

/** Set by `Kqueue.fromFd` to adopt an fd instead of creating a queue. */
let adopting: number | undefined;

function create(binding: KqueueBinding): number {
  const fd = binding.kqueue();
  if (fd < 0) throw lastOsError();
  // CPython makes the fd non-inheritable (reference §4.2).
  const c = libc();
  if (c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
    const error = lastOsError();
    c.close(fd);
    throw error;
  }
  return fd;
}

/** Python's type name as `timeoutToNs` sees numbers: a safe integer is an `int`. */
function timeoutTypeName(value: unknown): string {
  if (typeof value === "number") return Number.isSafeInteger(value) ? "int" : "float";
  return pyTypeName(value);
}

/** Writes a non-negative nanosecond count as a `struct timespec`. */
function writeTimespec(words: Int32Array, ns: Ns): void {
  const sec = Number(divide(ns, 1e9, FLOOR));
  const nsec = typeof ns === "bigint" ? Number(ns % 1_000_000_000n) : ns % 1e9;
  writeTime(words, sec, nsec);
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
 * import { kevent, KQ_FILTER_READ, Kqueue, OSError } from "@iomux/iomux/select";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * function openKqueue(): Kqueue | null {
 *   try {
 *     return new Kqueue();
 *   } catch (e) {
 *     // Linux without IOMUX_KQUEUE_LIB has no kqueue.
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
 *   const [ev] = kq.control(null, 1, 1);
 *   console.log(ev?.ident === r, ev?.data); // true 3
 *   kq.close();
 *   close(r);
 *   close(w);
 * }
 * ```
 */
export class Kqueue {
  #fd: number;
  readonly #binding: KqueueBinding;
  #changes = new Uint8Array(0);
  #events = new Uint8Array(0);
  readonly #timespec = new Int32Array(abi.timespec.size >> 2);
  readonly #timespecBytes = new Uint8Array(this.#timespec.buffer);

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
    if (adopting !== undefined) {
      this.#fd = adopting;
      // Modules/selectmodule.c kqueue_queue_dealloc: collected while open, it is closed.
      closeOnCollection(this, adopting);
      return;
    }
    this.#fd = create(this.#binding);
    closeOnCollection(this, this.#fd);
  }

  /**
   * Wraps an existing kqueue fd, which the new object then owns and closes. As in
   * CPython, the fd is not validated, and -1 creates a new queue.
   *
   * @param fd A kqueue fd.
   * @returns A `Kqueue` that owns `fd`.
   * @throws {OSError} `fd` is below -1 (EBADF), or kqueue is unavailable (ENOSYS).
   *
   * @example
   * ```ts
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   * try {
   *   const kq = new Kqueue();
   *   const same = Kqueue.fromFd(kq.fileno());
   *   console.log(same.fileno() === kq.fileno()); // true
   *   same.close(); // closes the shared fd
   *   kq.close();
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
   * ```
   */
  static fromFd(fd: number): Kqueue {
    const n = cInt(fd);
    if (n === -1) return new Kqueue();
    if (n < 0) throw osError(EBADF);
    adopting = n;
    try {
      return new Kqueue();
    } finally {
      adopting = undefined;
    }
  }

  /**
   * Whether `close()` has been called.
   *
   * @example
   * ```ts
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   * try {
   *   const kq = new Kqueue();
   *   kq.close();
   *   console.log(kq.closed); // true
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
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
   * @example
   * ```ts
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   * try {
   *   using kq = new Kqueue();
   *   console.log(kq.fileno() > 0); // true
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
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
   * @example
   * ```ts
   * import { Kqueue, OSError } from "@iomux/iomux/select";
   * try {
   *   const kq = new Kqueue();
   *   kq.close();
   *   kq.close();
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
   * ```
   */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    closedByOwner(this);
    libc().close(fd);
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
   * @example
   * ```ts
   * import { kevent, KQ_FILTER_WRITE, Kqueue, OSError } from "@iomux/iomux/select";
   * try {
   *   using kq = new Kqueue();
   *   kq.control([kevent(1, KQ_FILTER_WRITE)], 0);
   *   console.log(kq.control(null, 4, 0).length <= 1); // true
   * } catch (e) {
   *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
   * }
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
    const n = this.#control(changelist, maxevents, timeout);
    const result: KEvent[] = new Array(n);
    for (let i = 0; i < n; i++) {
      result[i] = keventFromFields(decodeKevent(this.#events, this.#binding.layout, i));
    }
    return result;
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
    const n = this.#control(null, maxevents, timeout);
    forEachIdentFilter(this.#events, this.#binding.layout, n, sink);
  }

  /** The checks, the system call and its EINTR loop; the number of events. */
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
    let timespec: Uint8Array | null = null;
    let deadline: number | undefined;
    if (timeout !== undefined && timeout !== null) {
      let ns: Ns;
      try {
        ns = timeoutToNs(timeout, 1e9, "");
      } catch {
        // CPython replaces every conversion error, NaN and overflow included.
        throw new TypeError(
          `timeout argument must be a number or None, got ${timeoutTypeName(timeout)}`,
        );
      }
      if (ns < 0) throw new ValueError("timeout must be positive or None");
      writeTimespec(this.#timespec, ns);
      timespec = this.#timespecBytes;
      deadline = deadlineAfter(ns);
    }
    const changes = this.#encodeChanges(changelist);
    const nchanges = changes === null ? 0 : changes.byteLength / this.#binding.layout.size;
    const wanted = Math.min(nevents, MAX_EVENT_BUFFER);
    const size = this.#binding.layout.size;
    if (this.#events.byteLength < wanted * size) this.#events = new Uint8Array(wanted * size);
    const events = wanted > 0 ? this.#events : null;
    const kevent = this.#binding.kevent;
    const c = libc();
    let n: number;
    for (;;) {
      n = kevent(kq, changes, nchanges, events, wanted, timespec);
      if (n >= 0) break;
      const errno = c.errno();
      if (!waitInterrupted(errno)) throw osError(errno);
      if (deadline !== undefined) {
        const left = nsLeft(deadline);
        if (left < 0) return 0;
        writeTimespec(this.#timespec, left);
      }
    }
    return n;
  }

  /** The changelist as `struct kevent`s, or `null` for none (CPython's checks). */
  #encodeChanges(changelist: Iterable<KEvent> | null | undefined): Uint8Array | null {
    if (changelist === null || changelist === undefined) return null;
    const iterator = (changelist as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    if (typeof iterator !== "function") throw new TypeError("changelist is not iterable");
    // The length comes from the materialised list, not from the object (bpo-30058).
    const items = Array.isArray(changelist) ? changelist : Array.from(changelist);
    if (items.length === 0) return null;
    if (items.length > INT_MAX) throw new RangeError("changelist is too long");
    // The stored fields, not the getters a subclass may override (CPython copies
    // the C struct), in a list of our own that nothing can change after the check.
    const fields: KeventFields[] = [];
    for (const item of items) {
      const stored = keventFields(item);
      if (stored === undefined) {
        throw new TypeError("changelist must be an iterable of select.kevent objects");
      }
      fields.push(stored);
    }
    const layout = this.#binding.layout;
    const bytes = fields.length * layout.size;
    if (this.#changes.byteLength < bytes) this.#changes = new Uint8Array(bytes);
    const changes = this.#changes.subarray(0, bytes);
    encodeKevents(changes, layout, fields);
    return changes;
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
 * @example
 * ```ts
 * import { kqueue, OSError } from "@iomux/iomux/select";
 * try {
 *   using kq = kqueue();
 *   console.log(kq.closed); // false
 * } catch (e) {
 *   if (!(e instanceof OSError && e.code === "ENOSYS")) throw e; // no kqueue here
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
