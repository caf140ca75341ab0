/**
 * Shared argument handling for `os` functions: Python's `int fd` and `Py_ssize_t`
 * converters, and the EINTR retry loop of PEP 475.
 *
 * @module
 */
import { MAX_RW_COUNT, retryOnEintr } from "../ffi/errno.ts";
import { cInt, pyTypeName } from "../_py/convert.ts";

/** An `int fd` argument: any C int (a negative one fails in the kernel with EBADF). */
export const fdArgument: (fd: unknown) => number = cInt;

/** The most bytes one read or write moves (Linux's own `MAX_RW_COUNT`). */
export const MAX_RW: number = MAX_RW_COUNT;

/** EINTR-retrying system call runner (PEP 475), shared with `socket/`. */
export const retrying: (call: () => number) => number = retryOnEintr;

/** Bytes of a bytes-like object (any `ArrayBufferView` or `ArrayBuffer`). */
export function bytesOf(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
}
