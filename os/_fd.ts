/**
 * Shared argument handling for `os` functions: Python's `int fd` and `Py_ssize_t`
 * converters, and the EINTR retry loop of PEP 475.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { cInt, pyTypeName } from "../select/_convert.ts";

/** An `int fd` argument: any C int (a negative one fails in the kernel with EBADF). */
export const fdArgument: (fd: unknown) => number = cInt;

/** The most bytes one read or write moves (Linux's own `MAX_RW_COUNT`). */
export const MAX_RW = 0x7ffff000;

/**
 * Runs `call` until it does not fail with EINTR (PEP 475), and throws the matching
 * `OSError` for any other failure.
 */
export function retrying(call: () => number): number {
  const c = libc();
  for (;;) {
    const result = call();
    if (result >= 0) return result;
    const errno = c.errno();
    if (errno !== abi.errno.EINTR) throw osError(errno);
  }
}

/** Bytes of a bytes-like object (any `ArrayBufferView` or `ArrayBuffer`). */
export function bytesOf(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
}
