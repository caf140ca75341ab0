/**
 * `termios.tcdrain`, `tcflush`, `tcflow`, `tcsendbreak` and the window size calls
 * `tcgetwinsize`/`tcsetwinsize` (Python 3.11).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { cInt, fildes, type FileLike, pyTypeName } from "../_py/convert.ts";
import { lastTermiosError } from "./error.ts";

const { TIOCGWINSZ, TIOCSWINSZ } = abi.devices.termiosConstants;

function checked(result: number): void {
  if (result < 0) throw lastTermiosError();
}

/**
 * Waits until everything written to `fd` has been sent, as Python's
 * `termios.tcdrain`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @throws {error} `termios.error`.
 *
 * @example Once drained, the output is on the other side
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty, write } from "@iomux/iomux/os";
 * import { select } from "@iomux/iomux/select";
 * import { tcdrain } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * write(slave, new Uint8Array([65]));
 * tcdrain(slave);
 * assert.deepEqual(select([master], [], [], 0)[0], [master]);
 * close(master);
 * close(slave);
 * ```
 */
export function tcdrain(fd: FileLike): void {
  checked(libc().tcdrain(fildes(fd)));
}

/**
 * Discards queued data, as Python's `termios.tcflush`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param queue `TCIFLUSH` (input), `TCOFLUSH` (output) or `TCIOFLUSH` (both).
 * @throws {error} `termios.error` (EINVAL for another `queue`).
 *
 * @example Throw away typed-ahead input
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty, write } from "@iomux/iomux/os";
 * import { select } from "@iomux/iomux/select";
 * import { setraw, TCIFLUSH, tcflush } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * setraw(slave);
 * write(master, new Uint8Array([1, 2, 3]));
 * tcflush(slave, TCIFLUSH);
 * assert.deepEqual(select([slave], [], [], 0)[0], []);
 * close(master);
 * close(slave);
 * ```
 */
export function tcflush(fd: FileLike, queue: number): void {
  const target = fildes(fd);
  checked(libc().tcflush(target, cInt(queue)));
}

/**
 * Suspends or resumes output or input, as Python's `termios.tcflow`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param action `TCOOFF`, `TCOON`, `TCIOFF` or `TCION`.
 * @throws {error} `termios.error`.
 *
 * @example Output flows again after TCOON
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty, read, write } from "@iomux/iomux/os";
 * import { setraw, TCOOFF, TCOON, tcflow } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * setraw(slave);
 * tcflow(slave, TCOOFF); // from here a write to the slave would wait
 * tcflow(slave, TCOON);
 * write(slave, new Uint8Array([65]));
 * assert.deepEqual(read(master, 1), new Uint8Array([65]));
 * close(master);
 * close(slave);
 * ```
 */
export function tcflow(fd: FileLike, action: number): void {
  const target = fildes(fd);
  checked(libc().tcflow(target, cInt(action)));
}

/**
 * Sends a break (a stream of zero bits), as Python's `termios.tcsendbreak`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param duration `0` for 0.25 to 0.5 s; other values are system-defined.
 * @throws {error} `termios.error`.
 *
 * @example A break on a pty, which then still carries bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty, read, write } from "@iomux/iomux/os";
 * import { setraw, tcsendbreak } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * setraw(slave);
 * tcsendbreak(slave, 0);
 * write(slave, new Uint8Array([66]));
 * assert.deepEqual(read(master, 1), new Uint8Array([66]));
 * close(master);
 * close(slave);
 * ```
 */
export function tcsendbreak(fd: FileLike, duration: number): void {
  const target = fildes(fd);
  checked(libc().tcsendbreak(target, cInt(duration)));
}

/** `struct winsize`: four `unsigned short` (rows, columns, x pixels, y pixels). */
function getWinsize(fd: number): Uint16Array {
  const size = new Uint16Array(new ArrayBuffer(8));
  checked(libc().ioctl_buffer(fd, TIOCGWINSZ, size));
  return size;
}

/**
 * A terminal's window size, as Python's `termios.tcgetwinsize` (`TIOCGWINSZ`).
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @returns `[rows, columns]`.
 * @throws {error} `termios.error`.
 *
 * @example Set and read a pty's size
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { tcgetwinsize, tcsetwinsize } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * tcsetwinsize(master, [24, 80]);
 * assert.deepEqual(tcgetwinsize(slave), [24, 80]);
 * close(master);
 * close(slave);
 * ```
 */
export function tcgetwinsize(fd: FileLike): [rows: number, columns: number] {
  const size = getWinsize(fildes(fd));
  return [size[0]!, size[1]!];
}

/**
 * Sets a terminal's window size, as Python's `termios.tcsetwinsize`
 * (`Modules/termios.c` `termios_tcsetwinsize_impl`: the pixel fields keep their
 * values). The program on the terminal gets `SIGWINCH`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param winsize `[rows, columns]`.
 * @throws {TypeError} `winsize` is not a two-item sequence.
 * @throws {RangeError} A value does not fit an `unsigned short`.
 * @throws {error} `termios.error`.
 *
 * @example Resize a pty
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { tcgetwinsize, tcsetwinsize } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * tcsetwinsize(slave, [50, 132]);
 * assert.deepEqual(tcgetwinsize(master), [50, 132]);
 * close(master);
 * close(slave);
 * ```
 */
export function tcsetwinsize(fd: FileLike, winsize: readonly [number, number]): void {
  const target = fildes(fd);
  if (!Array.isArray(winsize) || winsize.length !== 2) {
    throw new TypeError("tcsetwinsize, arg 2: must be a two-item sequence");
  }
  const [rows, columns] = winsize.map((v: unknown) => {
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
    }
    return v;
  }) as [number, number];
  const size = getWinsize(target);
  if (rows < 0 || rows > 0xffff || columns < 0 || columns > 0xffff) {
    throw new RangeError("winsize value(s) out of range.");
  }
  size[0] = rows;
  size[1] = columns;
  checked(libc().ioctl_buffer(target, TIOCSWINSZ, size));
}
