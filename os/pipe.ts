/**
 * `os.pipe()`: a pipe whose two ends are not inherited by child processes.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";

const { O_CLOEXEC, F_SETFD, FD_CLOEXEC } = abi.fcntl;

/**
 * Creates a pipe, as Python's `os.pipe()`. Both ends are close-on-exec and blocking.
 *
 * @returns `[readEnd, writeEnd]`.
 * @throws {OSError} EMFILE when the process is out of fds, and so on.
 *
 * @example A pipe carries bytes from its write end to its read end
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * write(w, new Uint8Array([7]));
 * assert.deepEqual(read(r, 1), new Uint8Array([7]));
 * close(r);
 * close(w);
 * ```
 */
export function pipe(): [readEnd: number, writeEnd: number] {
  const c = libc();
  const fds = new Int32Array(2);
  if (abi.winsock) {
    // The C runtime's _pipe, asked for non-inheritable binary ends (ffi/_winsock.ts),
    // as CPython's os.pipe makes them on Windows. Not selectable: Winsock watches
    // sockets only, and select() on such an fd fails with WinError 10038.
    if (c.pipe(fds) < 0) throw lastOsError();
  } else if (c.pipe2 !== null) {
    if (c.pipe2(fds, O_CLOEXEC) < 0) throw lastOsError();
  } else {
    if (c.pipe(fds) < 0) throw lastOsError();
    for (const fd of fds) {
      if (c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        const error = lastOsError();
        c.close(fds[0]!);
        c.close(fds[1]!);
        throw error;
      }
    }
  }
  return [fds[0]!, fds[1]!];
}
