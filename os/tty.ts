/**
 * `os.isatty` and `os.ttyname`: is an fd a terminal, and which one.
 *
 * @module
 */
import { lastOsError, osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { fdArgument } from "./_fd.ts";

const decoder = new TextDecoder();
/** `MAXPATHLEN`-sized, as CPython's `os_ttyname_impl` buffer. */
const TTY_NAME_MAX = 4096;

/**
 * Whether `fd` is open and refers to a terminal, as Python's `os.isatty`. Never
 * throws for a bad fd: it answers `false`.
 *
 * @param fd Any fd number.
 * @returns `true` for a terminal (a pty's either end, a console, a serial port).
 *
 * @example A pty is a terminal, a pipe is not
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, isatty, openpty, pipe } from "@iomux/iomux/os";
 *
 * const [master, slave] = openpty();
 * const [r, w] = pipe();
 * assert.equal(isatty(slave), true);
 * assert.equal(isatty(r), false);
 * for (const fd of [master, slave, r, w]) close(fd);
 * ```
 */
export function isatty(fd: number): boolean {
  return libc().isatty(fdArgument(fd)) === 1;
}

/**
 * The path of the terminal `fd` refers to, as Python's `os.ttyname`.
 *
 * @param fd An fd open on a terminal.
 * @returns A path such as `/dev/pts/3`.
 * @throws {OSError} ENOTTY when `fd` is not a terminal, EBADF when it is not open.
 *
 * @example Name a pty's slave end
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty, ttyname } from "@iomux/iomux/os";
 *
 * const [master, slave] = openpty();
 * assert.match(ttyname(slave), /^\/dev\//);
 * close(master);
 * close(slave);
 * ```
 */
export function ttyname(fd: number): string {
  const target = fdArgument(fd);
  const buffer = new Uint8Array(TTY_NAME_MAX);
  const c = libc();
  const ret = c.ttyname_r(target, buffer, buffer.byteLength);
  if (ret !== 0) throw ret > 0 ? osError(ret) : lastOsError();
  return cStringAt(buffer);
}

/** The NUL-terminated string at the start of `buffer`. */
export function cStringAt(buffer: Uint8Array): string {
  const end = buffer.indexOf(0);
  return decoder.decode(buffer.subarray(0, end < 0 ? buffer.byteLength : end));
}
