/**
 * A portable waker, as mio's `Waker` and polling's `notify()`: an fd that any thread
 * can make readable, to end a blocking `select()` or a pending async wait.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { cInt } from "../_py/convert.ts";
import { ValueError } from "../_plain_errors.ts";
import { FD_IO, openSocketPair, SOCKET_IO } from "../_wait/socket_wake.ts";

const { O_NONBLOCK, O_CLOEXEC, F_GETFL, F_SETFL, F_SETFD, FD_CLOEXEC } = abi.fcntl;
const { EAGAIN } = abi.errno;

/** One wake: eventfd's 8-byte counter increment, which a pipe or a socket takes as 8 bytes. */
const WAKE = new Uint8Array(new BigUint64Array([1n]).buffer);

/**
 * On Windows the waker is a loopback socket pair (`_wait/socket_wake.ts`): only
 * sockets can be selected there. Its ends are read, written and closed as sockets.
 */
const WINDOWS = abi.winsock !== undefined;
const IO = WINDOWS ? SOCKET_IO : FD_IO;

function writeWake(fd: number): void {
  const c = libc();
  for (;;) {
    if (IO.write(fd, WAKE, 8) >= 0) return;
    const errno = c.errno();
    // Full (a pipe with 64 KiB of wakes, an eventfd at 2^64-2): already readable.
    if (errno === EAGAIN) return;
    if (errno !== abi.errno.EINTR) throw lastOsError();
  }
}

function openPipe(): [number, number] {
  const c = libc();
  const ends = new Int32Array(2);
  if (c.pipe(ends) < 0) throw lastOsError();
  for (const fd of ends) {
    const flags = c.fcntl(fd, F_GETFL, 0);
    if (
      flags < 0 || c.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
      c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0
    ) {
      const error = lastOsError();
      c.close(ends[0]!);
      c.close(ends[1]!);
      throw error;
    }
  }
  return [ends[0]!, ends[1]!];
}

/**
 * An fd that turns readable when {@linkcode Waker.wake} is called, from this thread or
 * another (a Worker given {@linkcode Waker.wakeFd} calls the static
 * {@linkcode Waker.wake}). It stays readable until {@linkcode Waker.drain}, which the
 * wait it ended calls. An eventfd on Linux, a non-blocking pipe elsewhere; both
 * close-on-exec. On Windows, a non-blocking, non-inheritable loopback socket pair.
 *
 * @example End a blocking select() with a wake
 * ```ts
 * import assert from "node:assert/strict";
 * import { Waker } from "@iomux/iomux/watch";
 * import { select } from "@iomux/iomux/select";
 *
 * using waker = new Waker();
 * waker.wake();
 * assert.deepEqual(select([waker], [], [], 10)[0], [waker]); // returns at once
 * assert.equal(waker.drain(), true);
 * assert.deepEqual(select([waker], [], [], 0)[0], []);
 * ```
 */
export class Waker {
  #read: number;
  #write: number;
  readonly #buffer = new Uint8Array(64);

  /** Opens the waker's fd (or pipe). */
  constructor() {
    const c = libc();
    if (WINDOWS) {
      [this.#read, this.#write] = openSocketPair();
    } else if (c.eventfd !== null) {
      const fd = c.eventfd(0, O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) throw lastOsError();
      this.#read = this.#write = fd;
    } else {
      [this.#read, this.#write] = openPipe();
    }
  }

  /**
   * The fd to wait on for reading.
   *
   * @throws {ValueError} The waker is closed.
   */
  fileno(): number {
    if (this.#read < 0) throw new ValueError("I/O operation on closed waker");
    return this.#read;
  }

  /** The fd that {@linkcode Waker.wake} writes to (the same as `fileno()` for an eventfd). */
  get wakeFd(): number {
    return this.#write;
  }

  /** Whether {@linkcode Waker.close} was called. */
  get closed(): boolean {
    return this.#read < 0;
  }

  /**
   * Makes the waker readable. Safe to call any number of times; cheap when it already is.
   *
   * @throws {ValueError} The waker is closed.
   *
   * @example Wake twice, drain once
   * ```ts
   * import assert from "node:assert/strict";
   * import { Waker } from "@iomux/iomux/watch";
   *
   * using waker = new Waker();
   * waker.wake();
   * waker.wake();
   * assert.equal(waker.drain(), true);
   * assert.equal(waker.drain(), false);
   * ```
   */
  wake(): void {
    if (this.#write < 0) throw new ValueError("I/O operation on closed waker");
    writeWake(this.#write);
  }

  /**
   * Wakes the waker whose {@linkcode Waker.wakeFd} is `fd`, from any thread.
   *
   * @param fd The waker's write fd.
   *
   * @example Wake by fd number, as a Worker does
   * ```ts
   * import assert from "node:assert/strict";
   * import { Waker } from "@iomux/iomux/watch";
   * import { select } from "@iomux/iomux/select";
   *
   * using waker = new Waker();
   * Waker.wake(waker.wakeFd);
   * assert.equal(select([waker], [], [], 10)[0].length, 1);
   * ```
   */
  static wake(fd: number): void {
    writeWake(cInt(fd));
  }

  /**
   * Empties the waker, so that it is not readable until the next wake.
   *
   * @returns Whether it had been woken.
   * @throws {ValueError} The waker is closed.
   */
  drain(): boolean {
    const fd = this.fileno();
    const c = libc();
    let woken = false;
    const size = this.#read === this.#write ? 8 : this.#buffer.length;
    for (;;) {
      const got = IO.read(fd, this.#buffer, size);
      if (got > 0) {
        woken = true;
        if (size === 8) return true;
        continue;
      }
      if (got === 0) return woken;
      const errno = c.errno();
      if (errno === EAGAIN) return woken;
      if (errno !== abi.errno.EINTR) throw lastOsError();
    }
  }

  /** Closes the waker's fds; closing twice does nothing. */
  close(): void {
    if (this.#read < 0) return;
    IO.close(this.#read);
    if (this.#write !== this.#read) IO.close(this.#write);
    this.#read = this.#write = -1;
  }

  /** Same as {@linkcode Waker.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
