/**
 * `os.dup`, `os.dup2`, `os.get_inheritable`, `os.set_inheritable`: copying fds and
 * choosing which ones a child process gets.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { fdArgument, retrying } from "./_fd.ts";

const { F_GETFD, F_SETFD, FD_CLOEXEC, O_CLOEXEC } = abi.fcntl;
const { F_DUPFD_CLOEXEC } = abi.devices.fcntlConstants;

/**
 * Duplicates `fd`, as Python's `os.dup`: the copy is the lowest free fd and is not
 * inherited by child processes (`Python/fileutils.c` `_Py_dup`: `F_DUPFD_CLOEXEC`).
 *
 * @param fd An open fd.
 * @returns The new fd.
 * @throws {OSError} EBADF when `fd` is not open.
 *
 * @example The copy reads the same pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, dup, getInheritable, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const copy = dup(r);
 * assert.notEqual(copy, r);
 * assert.equal(getInheritable(copy), false);
 * write(w, new Uint8Array([5]));
 * assert.deepEqual(read(copy, 1), new Uint8Array([5]));
 * for (const fd of [r, w, copy]) close(fd);
 * ```
 */
export function dup(fd: number): number {
  const from = fdArgument(fd);
  const c = libc();
  const copy = c.fcntl(from, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) throw lastOsError();
  return copy;
}

/**
 * Makes `fd2` a copy of `fd`, as Python's `os.dup2`: `fd2` is closed first if open,
 * and is inheritable unless `inheritable` is false (`Modules/posixmodule.c`
 * `os_dup2_impl`: `dup3(fd, fd2, O_CLOEXEC)` where it exists).
 *
 * @param fd An open fd.
 * @param fd2 The fd number to make the copy under.
 * @param inheritable Whether child processes get `fd2` (default true).
 * @returns `fd2`.
 * @throws {OSError} EBADF when `fd` is not open or `fd2` is out of range.
 *
 * @example Put a pipe's read end under another number
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, dup, dup2, getInheritable, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const target = dup(w); // a free number to reuse
 * assert.equal(dup2(r, target), target);
 * assert.equal(getInheritable(target), true);
 * write(w, new Uint8Array([9]));
 * assert.deepEqual(read(target, 1), new Uint8Array([9]));
 * for (const fd of [r, w, target]) close(fd);
 * ```
 */
export function dup2(fd: number, fd2: number, inheritable = true): number {
  const from = fdArgument(fd);
  const to = fdArgument(fd2);
  const c = libc();
  if (inheritable || c.dup3 !== null) {
    // As CPython, dup3 where it exists, so `dup2(fd, fd, false)` fails there with
    // dup3's EINVAL.
    retrying(() => inheritable ? c.dup2(from, to) : c.dup3!(from, to, O_CLOEXEC));
    return to;
  }
  retrying(() => c.dup2(from, to));
  setInheritable(to, false);
  return to;
}

/**
 * Whether child processes inherit `fd`, as Python's `os.get_inheritable`
 * (`FD_CLOEXEC` clear).
 *
 * @param fd An open fd.
 * @returns `true` when `fd` survives `exec`.
 * @throws {OSError} EBADF when `fd` is not open.
 *
 * @example iomux's own fds are not inherited
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, getInheritable, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * assert.equal(getInheritable(r), false);
 * close(r);
 * close(w);
 * ```
 */
export function getInheritable(fd: number): boolean {
  const target = fdArgument(fd);
  const flags = libc().fcntl(target, F_GETFD, 0);
  if (flags < 0) throw lastOsError();
  return (flags & FD_CLOEXEC) === 0;
}

/**
 * Sets whether child processes inherit `fd`, as Python's `os.set_inheritable`.
 *
 * @param fd An open fd.
 * @param inheritable `true` to keep `fd` open across `exec`.
 * @throws {OSError} EBADF when `fd` is not open.
 *
 * @example Hand a pipe end to a child process
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, getInheritable, pipe, setInheritable } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * setInheritable(w, true);
 * assert.equal(getInheritable(w), true);
 * setInheritable(w, false);
 * assert.equal(getInheritable(w), false);
 * close(r);
 * close(w);
 * ```
 */
export function setInheritable(fd: number, inheritable: boolean): void {
  const target = fdArgument(fd);
  const c = libc();
  const flags = c.fcntl(target, F_GETFD, 0);
  if (flags < 0) throw lastOsError();
  const wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
  if (wanted !== flags && c.fcntl(target, F_SETFD, wanted) < 0) throw lastOsError();
}
