/**
 * Shared argument handling for `os` functions: Python's `int fd` and `Py_ssize_t`
 * converters, and the EINTR retry loop of PEP 475.
 *
 * @module
 */
import { plainBytes } from "../ffi/bytes.ts";
import { MAX_RW_COUNT, retryOnEintr } from "../ffi/errno.ts";
import { cInt, pyTypeName } from "../_py/convert.ts";

/** An `int fd` argument: any C int (a negative one fails in the kernel with EBADF). */
export const fdArgument: (fd: unknown) => number = cInt;

/** The most bytes one read or write moves (Linux's own `MAX_RW_COUNT`). */
export const MAX_RW: number = MAX_RW_COUNT;

/** EINTR-retrying system call runner (PEP 475), shared with `socket/`. */
export const retrying: (call: () => number) => number = retryOnEintr;

/**
 * The bytes of a bytes-like object (any typed array, DataView, ArrayBuffer or
 * SharedArrayBuffer) as a plain `Uint8Array` over its real extent, read through
 * the engine's own getters (`ffi/bytes.ts`): what reaches a system call is never
 * sized by a property the caller can redefine. Call it after every other argument
 * is converted, right before the call, so that no caller code runs in between.
 *
 * @throws {TypeError} `data` is not bytes-like.
 * @throws {ValueError} Its buffer is detached.
 */
export function bytesOf(data: unknown): Uint8Array {
  const bytes = plainBytes(data);
  if (bytes === undefined) {
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
  }
  return bytes;
}

/**
 * How often each fast path of the byte calls answered in one system call, and how
 * often it handed over to the full path, since the module loaded: what tests and the
 * benchmark read to prove which path a call took (a count, never a time). One
 * increment per call. `socket/` counts its own here too (it imports this file).
 */
export const bytePaths = {
  /** `os.read` answered by its one call. */
  read: 0,
  /** `os.read` on the full path (more than 64 KiB, 0 bytes, EINTR). */
  readFallback: 0,
  /** `os.write` answered by its one call. */
  write: 0,
  /** `os.write` on the full path (not a plain `Uint8Array`, empty, EINTR). */
  writeFallback: 0,
  /** `Socket.recv` answered by its one call. */
  recv: 0,
  /** `Socket.recv` on the full path (flags, a timeout, more than 64 KiB, EINTR). */
  recvFallback: 0,
  /** `Socket.recvInto` answered by its one call. */
  recvInto: 0,
  /** `Socket.recvInto` on the full path (nbytes, flags, a timeout, another view, EINTR). */
  recvIntoFallback: 0,
  /** `Socket.send` answered by its one call. */
  send: 0,
  /** `Socket.send` on the full path (flags, a timeout, another view, EINTR). */
  sendFallback: 0,
  /** `Socket.sendAll` answered by its one call (the kernel took every byte). */
  sendAll: 0,
  /** `Socket.sendAll` in its full loop (a partial send, flags, a timeout, EINTR…). */
  sendAllFallback: 0,
};
