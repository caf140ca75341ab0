/**
 * `spawnPty`: a program on a new pseudo-terminal, the part of Python's `pty.fork()`
 * and `pty.spawn()` that a runtime without `fork` can have.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { close } from "./fd.ts";
import { openpty } from "./pty.ts";
import {
  POSIX_SPAWN_DUP2,
  POSIX_SPAWN_OPEN,
  posixSpawn,
  type PosixSpawnOptions,
  type SpawnEnv,
} from "./spawn.ts";
import { ttyname } from "./tty.ts";

const { TIOCSWINSZ } = abi.devices.termiosConstants;

/** Options of {@linkcode spawnPty}. */
export interface SpawnPtyOptions {
  /** The terminal's size as `[rows, columns]`, set before the program starts. */
  readonly winsize?: readonly [rows: number, columns: number];
  /** Signals reset to their default action in the child (Node ignores `SIGPIPE`). */
  readonly setsigdef?: PosixSpawnOptions["setsigdef"];
}

/**
 * Starts `path` on a new pty, as Python's `pty.fork()` followed by `exec` in the
 * child: the child is a session leader whose stdin, stdout and stderr are the
 * pty's slave side, opened after `setsid` so that it is the child's controlling
 * terminal (on Linux; macOS and FreeBSD give no controlling terminal this way,
 * so Ctrl-C typed on the master is not turned into `SIGINT` there). The name
 * follows Python's `pty` module, which has `spawn` and `fork`; this is neither
 * exactly: it returns at once, and the caller relays the master.
 *
 * Reading the master after the child has exited and its output is drained fails
 * with EIO on Linux: treat it as end of file, as Python's `pty._copy` does.
 *
 * @param path The program's path.
 * @param argv The arguments, program name first.
 * @param env The environment, or `null` for this process's.
 * @param options `winsize`, `setsigdef`.
 * @returns `[pid, master]`: reap the child with `waitpid`, close `master` when done.
 * @throws {OSError} The pty or the child cannot be made.
 *
 * @example A child sees a terminal of the size we chose
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, read, spawnPty, waitpid, waitstatusToExitcode } from "@iomux/iomux/os";
 *
 * const [pid, master] = spawnPty("/bin/sh", ["sh", "-c", "stty size"], { TERM: "dumb" }, {
 *   winsize: [24, 80],
 * });
 * let out = "";
 * try {
 *   for (;;) out += new TextDecoder().decode(read(master, 1024));
 * } catch {
 *   // EIO: the child is gone and its output has been read.
 * }
 * assert.equal(out.trim(), "24 80");
 * assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
 * close(master);
 * ```
 */
export function spawnPty(
  path: string,
  argv: readonly string[],
  env: SpawnEnv,
  options: SpawnPtyOptions = {},
): [pid: number, master: number] {
  const [master, slave] = openpty();
  try {
    if (options.winsize !== undefined) {
      const [rows, columns] = options.winsize;
      const size = new Uint16Array([rows, columns, 0, 0]);
      if (libc().ioctl_buffer(slave, TIOCSWINSZ, size) < 0) throw lastOsError();
    }
    const name = ttyname(slave);
    const pid = posixSpawn(path, argv, env, {
      setsid: true,
      fileActions: [
        [POSIX_SPAWN_OPEN, 0, name, abi.fcntl.O_RDWR, 0],
        [POSIX_SPAWN_DUP2, 0, 1],
        [POSIX_SPAWN_DUP2, 0, 2],
      ],
      ...(options.setsigdef === undefined ? {} : { setsigdef: options.setsigdef }),
    });
    close(slave);
    return [pid, master];
  } catch (error) {
    close(master);
    close(slave);
    throw error;
  }
}
