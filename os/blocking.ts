/**
 * `os.set_blocking` and `os.get_blocking`: the `O_NONBLOCK` flag of an fd.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { fdArgument } from "./_fd.ts";

const { F_GETFL, F_SETFL, O_NONBLOCK } = abi.fcntl;

function flagsOf(fd: number): number {
  const flags = libc().fcntl(fd, F_GETFL, 0);
  if (flags < 0) throw lastOsError();
  return flags;
}

/**
 * Whether `fd` is in blocking mode (`O_NONBLOCK` clear), as Python's `os.get_blocking`.
 *
 * @param fd An open fd.
 * @returns `true` when reads and writes on `fd` may block.
 * @throws {OSError} EBADF if `fd` is not open.
 *
 * @example A new pipe blocks
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, getBlocking, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * assert.equal(getBlocking(r), true);
 * close(r);
 * close(w);
 * ```
 */
export function getBlocking(fd: number): boolean {
  return (flagsOf(fdArgument(fd)) & O_NONBLOCK) === 0;
}

/**
 * Sets or clears `O_NONBLOCK` on `fd`, as Python's `os.set_blocking`.
 *
 * @param fd An open fd.
 * @param blocking `false` makes reads and writes fail with `BlockingIOError`
 *   instead of waiting.
 * @throws {OSError} EBADF if `fd` is not open.
 *
 * @example Make a pipe's read end non-blocking
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, getBlocking, pipe, setBlocking } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * setBlocking(r, false);
 * assert.equal(getBlocking(r), false);
 * close(r);
 * close(w);
 * ```
 */
export function setBlocking(fd: number, blocking: boolean): void {
  const target = fdArgument(fd);
  const flags = flagsOf(target);
  const wanted = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK;
  if (wanted !== flags && libc().fcntl(target, F_SETFL, wanted) < 0) throw lastOsError();
}
