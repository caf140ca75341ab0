/**
 * Reading, writing and closing raw fds, as Python's `os.read`, `os.write` and
 * `os.close`.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { byteLengthOf, plainLength } from "../ffi/bytes.ts";
import { lastOsError, osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { pyTypeName } from "../_py/convert.ts";
import { bytePaths, bytesOf, fdArgument, MAX_RW, retrying } from "./_fd.ts";

/**
 * Reads at most `n` bytes from `fd`, as Python's `os.read`. An empty array means
 * end of file. Interrupted reads are retried (PEP 475).
 *
 * @param fd An open fd.
 * @param n The most bytes to read (capped at 0x7ffff000, as Linux caps it).
 * @returns The bytes read, a new array of exactly their length.
 * @throws {BlockingIOError} `fd` is non-blocking and has nothing to read.
 * @throws {OSError} EINVAL for a negative `n`, EBADF for a closed fd, and so on.
 *
 * @example Read what was written, then end of file
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * write(w, new TextEncoder().encode("hello"));
 * assert.equal(new TextDecoder().decode(read(r, 100)), "hello");
 * close(w);
 * assert.equal(read(r, 100).length, 0); // end of file
 * close(r);
 * ```
 */
export function read(fd: number, n: number): Uint8Array {
  const target = fdArgument(fd);
  const count = ssize(n);
  if (count < 0) throw osError(abi.errno.EINVAL);
  const size = Math.min(count, MAX_RW);
  const c = libc();
  // The common case in one system call: at most 64 KiB, read into one reused buffer
  // and copied out (a fresh zeroed array of `n` bytes would cost more than the copy).
  // EINTR (PEP 475's retry) takes the full path below.
  if (size > 0 && size <= scratch.length) {
    const got = c.read(target, scratch, size);
    if (got >= 0 || c.errno() !== EINTR) {
      bytePaths.read++;
      return scratch.slice(0, check(got));
    }
  }
  bytePaths.readFallback++;
  return readFull(target, size);
}

/**
 * The full paths, in functions of their own: a closure in `read` or `write` would
 * make every call allocate a context for the variables it captures.
 */
function readFull(fd: number, size: number): Uint8Array {
  const c = libc();
  const buffer = new Uint8Array(size);
  const got = retrying(() => c.read(fd, buffer, size));
  return got === size ? buffer : buffer.slice(0, got);
}

function writeFull(fd: number, data: ArrayBufferView | ArrayBuffer): number {
  const c = libc();
  const bytes = bytesOf(data);
  const size = Math.min(byteLengthOf(bytes), MAX_RW);
  return retrying(() => c.write(fd, bytes, size));
}

/** Where `read` reads up to 64 KiB; nothing runs between the call and the copy. */
const scratch = new Uint8Array(65536);
const { EINTR } = abi.errno;

/** The result of a fast path's one call, or the `OSError` of its errno. */
function check(result: number): number {
  if (result < 0) throw lastOsError();
  return result;
}

/** Python's `Py_ssize_t` converter: an integral number or BigInt within 64 bits. */
function ssize(n: unknown): number {
  if (typeof n === "bigint") {
    if (n >= 2n ** 63n || n < -(2n ** 63n)) {
      throw new RangeError("Python int too large to convert to C ssize_t");
    }
    return Number(n);
  }
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new TypeError(`'${pyTypeName(n)}' object cannot be interpreted as an integer`);
  }
  if (n >= 2 ** 63 || n < -(2 ** 63)) {
    throw new RangeError("Python int too large to convert to C ssize_t");
  }
  return n;
}

/**
 * Writes bytes to `fd`, as Python's `os.write`: one `write(2)`, which may write
 * fewer bytes than given. Interrupted writes are retried (PEP 475).
 *
 * @param fd An open fd.
 * @param data The bytes (any `ArrayBufferView` or `ArrayBuffer`).
 * @returns How many bytes were written.
 * @throws {TypeError} `data` is not bytes-like (a string, for example).
 * @throws {ValueError} The buffer of `data` is detached.
 * @throws {BlockingIOError} `fd` is non-blocking and full.
 * @throws {BrokenPipeError} The reading end is closed.
 *
 * @example Write bytes to a pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * assert.equal(write(w, new Uint8Array([1, 2, 3])), 3);
 * close(r);
 * close(w);
 * ```
 */
export function write(fd: number, data: ArrayBufferView | ArrayBuffer): number {
  const target = fdArgument(fd);
  const c = libc();
  // The common case in one system call: a plain Uint8Array, its extent read through
  // the engine's own getters. EINTR (PEP 475's retry) takes the full path below.
  const length = plainLength(data);
  if (length > 0) {
    const got = c.write(target, data as Uint8Array, Math.min(length, MAX_RW));
    if (got >= 0 || c.errno() !== EINTR) {
      bytePaths.write++;
      return check(got);
    }
  }
  bytePaths.writeFallback++;
  return writeFull(target, data);
}

/**
 * Closes `fd`, as Python's `os.close` (which does not retry on EINTR).
 *
 * @param fd An open fd.
 * @throws {OSError} EBADF if `fd` is not open.
 *
 * @example Close both ends of a pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError } from "@iomux/iomux";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * close(r);
 * close(w);
 * assert.throws(() => close(r), (e) => e instanceof OSError && e.code === "EBADF"); // already closed
 * ```
 */
export function close(fd: number): void {
  const target = fdArgument(fd);
  if (libc().close(target) < 0) throw lastOsError();
}
