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
