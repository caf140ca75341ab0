/**
 * `os.waitpid`, `os.waitstatus_to_exitcode` and the `W*` status macros: reaping a
 * child made by `posixSpawn`.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { fdArgument, retrying } from "./_fd.ts";

/** `waitpid` option: return `[0, 0]` at once when no child has changed state. */
export const WNOHANG: number = abi.devices.wait.WNOHANG;
/** `waitpid` option: report stopped children too. */
export const WUNTRACED: number = abi.devices.wait.WUNTRACED;
/** `waitpid` option: report continued children too. */
export const WCONTINUED: number = abi.devices.wait.WCONTINUED;

/**
 * Waits for a child process, as Python's `os.waitpid`; an interrupted wait is
 * retried (PEP 475, `Modules/posixmodule.c` `os_waitpid_impl`). Blocks the thread
 * unless `options` has `WNOHANG`.
 *
 * @param pid A child's pid, `-1` for any child, `0` or `-pgid` for a process group.
 * @param options `0`, or `WNOHANG` and friends.
 * @returns `[pid, status]`; `[0, 0]` with `WNOHANG` when no child is done.
 * @throws {ChildProcessError} ECHILD: no such child.
 *
 * @example Reap a child and read its exit code
 * ```ts
 * import assert from "node:assert/strict";
 * import { posixSpawn, waitpid, waitstatusToExitcode } from "@iomux/iomux/os";
 *
 * const pid = posixSpawn("/bin/sh", ["sh", "-c", "exit 3"], {});
 * const [reaped, status] = waitpid(pid, 0);
 * assert.equal(reaped, pid);
 * assert.equal(waitstatusToExitcode(status), 3);
 * ```
 */
export function waitpid(pid: number, options: number): [pid: number, status: number] {
  const who = fdArgument(pid);
  const flags = fdArgument(options);
  const status = new Int32Array(1);
  const c = libc();
  const reaped = retrying(() => c.waitpid(who, status, flags));
  return [reaped, status[0]!];
}

/**
 * Python's `os.WIFEXITED(status)`: the child called `exit`.
 *
 * @param status A status from {@linkcode waitpid}.
 *
 * @example exit(3) is a normal exit
 * ```ts
 * import assert from "node:assert/strict";
 * import { WIFEXITED } from "@iomux/iomux/os";
 *
 * assert.equal(WIFEXITED(0x0300), true);
 * assert.equal(WIFEXITED(9), false);
 * ```
 */
export function WIFEXITED(status: number): boolean {
  return (status & 0x7f) === 0;
}
/**
 * Python's `os.WEXITSTATUS(status)`: the exit code, when `WIFEXITED`.
 *
 * @param status A status from {@linkcode waitpid}.
 *
 * @example Read the code of exit(3)
 * ```ts
 * import assert from "node:assert/strict";
 * import { WEXITSTATUS } from "@iomux/iomux/os";
 *
 * assert.equal(WEXITSTATUS(0x0300), 3);
 * ```
 */
export function WEXITSTATUS(status: number): number {
  return (status >> 8) & 0xff;
}
/**
 * Python's `os.WIFSIGNALED(status)`: a signal ended the child.
 *
 * @param status A status from {@linkcode waitpid}.
 *
 * @example SIGKILL ended it
 * ```ts
 * import assert from "node:assert/strict";
 * import { WIFSIGNALED } from "@iomux/iomux/os";
 *
 * assert.equal(WIFSIGNALED(9), true);
 * assert.equal(WIFSIGNALED(0), false);
 * ```
 */
export function WIFSIGNALED(status: number): boolean {
  const low = status & 0x7f;
  return low !== 0 && low !== 0x7f;
}
/**
 * Python's `os.WTERMSIG(status)`: the signal that ended the child.
 *
 * @param status A status from {@linkcode waitpid}.
 *
 * @example Which signal
 * ```ts
 * import assert from "node:assert/strict";
 * import { WTERMSIG } from "@iomux/iomux/os";
 *
 * assert.equal(WTERMSIG(9), 9);
 * ```
 */
export function WTERMSIG(status: number): number {
  return status & 0x7f;
}
/**
 * Python's `os.WIFSTOPPED(status)`: the child is stopped.
 *
 * @param status A status from {@linkcode waitpid}.
 *
 * @example SIGSTOP (19 on Linux) stopped it
 * ```ts
 * import assert from "node:assert/strict";
 * import { WIFSTOPPED } from "@iomux/iomux/os";
 *
 * assert.equal(WIFSTOPPED(0x137f), true);
 * ```
 */
export function WIFSTOPPED(status: number): boolean {
  return (status & 0xff) === 0x7f;
}
/**
 * Python's `os.WSTOPSIG(status)`: the signal that stopped the child.
 *
 * @param status A status from {@linkcode waitpid}.
 *
 * @example Which signal stopped it
 * ```ts
 * import assert from "node:assert/strict";
 * import { WSTOPSIG } from "@iomux/iomux/os";
 *
 * assert.equal(WSTOPSIG(0x137f), 0x13);
 * ```
 */
export function WSTOPSIG(status: number): number {
  return (status >> 8) & 0xff;
}

/**
 * The exit code a wait status stands for, as Python's `os.waitstatus_to_exitcode`
 * (`Modules/posixmodule.c` `os_waitstatus_to_exitcode_impl`): the exit code, or
 * minus the signal number that killed the child.
 *
 * @param status A status from {@linkcode waitpid}.
 * @returns The exit code, or `-signal`.
 * @throws {ValueError} The child is stopped, or the status is not a wait status.
 *
 * @example A signal is negative
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitstatusToExitcode } from "@iomux/iomux/os";
 *
 * assert.equal(waitstatusToExitcode(0x0300), 3); // exit(3)
 * assert.equal(waitstatusToExitcode(9), -9); // SIGKILL
 * ```
 */
export function waitstatusToExitcode(status: number): number {
  const s = fdArgument(status);
  if (WIFEXITED(s)) return WEXITSTATUS(s);
  if (WIFSIGNALED(s)) return -WTERMSIG(s);
  if (WIFSTOPPED(s)) {
    throw new ValueError(`process stopped by delivery of signal ${WSTOPSIG(s)}`);
  }
  throw new ValueError(`invalid wait status: ${s}`);
}
