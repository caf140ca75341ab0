/**
 * `os.open()`: open a path and get a raw fd (a character device, a FIFO, a GPIO
 * line or a serial port, typically).
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { cInt } from "../_py/convert.ts";
import { retrying } from "./_fd.ts";

const encoder = new TextEncoder();

/**
 * Opens `path`, as Python's `os.open`. The fd is close-on-exec (Python's fds are
 * non-inheritable); interrupted opens are retried.
 *
 * @param path A file system path.
 * @param flags `O_*` flags, for example `O_RDONLY | O_NONBLOCK`.
 * @param mode Permission bits for a created file; defaults to `0o777` (less umask).
 * @returns The new fd.
 * @throws {FileNotFoundError} `path` does not exist (`filename` is `path`, as in Python).
 * @throws {PermissionError} Access is denied.
 * @throws {ValueError} `path` contains a NUL character.
 *
 * @example Read from /dev/zero
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, O_RDONLY, open, read } from "@iomux/iomux/os";
 *
 * const fd = open("/dev/zero", O_RDONLY);
 * assert.deepEqual(read(fd, 4), new Uint8Array([0, 0, 0, 0]));
 * close(fd);
 * ```
 */
export function open(path: string, flags: number, mode = 0o777): number {
  if (typeof path !== "string") {
    throw new TypeError("open: path should be string");
  }
  if (path.includes("\0")) throw new ValueError("embedded null byte");
  const bytes = encoder.encode(path + "\0");
  const flagBits = cInt(flags) | abi.fcntl.O_CLOEXEC;
  const modeBits = cInt(mode);
  const c = libc();
  try {
    return retrying(() => c.open(bytes, flagBits, modeBits));
  } catch (e) {
    // CPython's os.open raises with the path as `filename` (`path_error`).
    if (e instanceof OSError && e.errno !== null) throw osError(e.errno, path);
    throw e;
  }
}
