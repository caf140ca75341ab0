/**
 * `os.openpty()`: a pseudo-terminal pair, the way to run a program that insists on
 * a terminal (a shell, a REPL, `ssh`) and watch its output with iomux.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError, osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { cStringAt } from "./tty.ts";
import { retrying } from "./_fd.ts";
import { setInheritable } from "./dup.ts";

const { O_RDWR, O_NOCTTY, O_CLOEXEC } = abi.fcntl;
const encoder = new TextEncoder();

/**
 * Opens a new pseudo-terminal pair, as Python's `os.openpty`: both fds are
 * close-on-exec and blocking. Write to `master` to type into the terminal; read
 * `master` to see what the program on `slave` prints. Once every copy of `slave`
 * is closed, reading `master` fails with EIO on Linux: that is the end of output.
 *
 * Made as CPython's `os_openpty_impl` does where `openpty(3)` is not used
 * (`Modules/posixmodule.c`): `posix_openpt(O_RDWR | O_NOCTTY)`, `grantpt`,
 * `unlockpt`, then the slave opened by name with `O_NOCTTY`.
 *
 * @returns `[master, slave]`.
 * @throws {OSError} When the system has no free pty.
 *
 * @example What is written on the slave side comes out of the master
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty, read, write } from "@iomux/iomux/os";
 * import { setraw } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * setraw(slave); // no echo, no CR/LF translation
 * write(slave, new TextEncoder().encode("hi"));
 * assert.equal(new TextDecoder().decode(read(master, 10)), "hi");
 * close(master);
 * close(slave);
 * ```
 */
export function openpty(): [master: number, slave: number] {
  const c = libc();
  const master = c.posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) throw lastOsError();
  try {
    // posix_openpt takes only O_RDWR and O_NOCTTY everywhere (macOS refuses more).
    setInheritable(master, false);
    if (c.grantpt(master) !== 0 || c.unlockpt(master) !== 0) throw lastOsError();
    const name = new Uint8Array(4096);
    const ret = c.ptsname_r(master, name, name.byteLength);
    if (ret !== 0) throw ret > 0 ? osError(ret) : lastOsError();
    const path = encoder.encode(cStringAt(name) + "\0");
    const slave = retrying(() => c.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0));
    return [master, slave];
  } catch (error) {
    c.close(master);
    throw error;
  }
}
