/**
 * Python's `tty` module: `setraw`, `setcbreak` and the `cfmakeraw`/`cfmakecbreak`
 * they are made of (`Lib/tty.py`, 3.12 and later).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import type { FileLike } from "../_py/convert.ts";
import { tcgetattr, tcsetattr, type TermiosAttributes } from "./attr.ts";

const k = abi.devices.termiosConstants;

/**
 * Makes a mode list raw, as Python's `tty.cfmakeraw`: no input or output
 * processing, no echo, no signals, 8-bit characters, reads return after 1 byte.
 *
 * @param mode A list from `tcgetattr`, changed in place.
 *
 * @example Raw flags without touching a terminal
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { cfmakeraw, ECHO, ICANON, tcgetattr, VMIN } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * const mode = tcgetattr(slave);
 * cfmakeraw(mode);
 * assert.equal(mode[3] & (ECHO | ICANON), 0);
 * assert.equal(mode[6][VMIN], 1);
 * close(master);
 * close(slave);
 * ```
 */
export function cfmakeraw(mode: TermiosAttributes): void {
  mode[0] &= ~(k.IGNBRK | k.BRKINT | k.IGNPAR | k.PARMRK | k.INPCK | k.ISTRIP |
    k.INLCR | k.IGNCR | k.ICRNL | k.IXON | k.IXANY | k.IXOFF);
  mode[1] &= ~k.OPOST;
  mode[2] &= ~(k.PARENB | k.CSIZE);
  mode[2] |= k.CS8;
  mode[3] &= ~(k.ECHO | k.ECHOE | k.ECHOK | k.ECHONL | k.ICANON | k.IEXTEN | k.ISIG |
    k.NOFLSH | k.TOSTOP);
  mode[6] = [...mode[6]];
  mode[6][k.VMIN] = 1;
  mode[6][k.VTIME] = 0;
}

/**
 * Makes a mode list cbreak, as Python's `tty.cfmakecbreak`: no echo, no line
 * editing, but signals and output processing kept.
 *
 * @param mode A list from `tcgetattr`, changed in place.
 *
 * @example Cbreak keeps ISIG
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { cfmakecbreak, ICANON, ISIG, tcgetattr } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * const mode = tcgetattr(slave);
 * cfmakecbreak(mode);
 * assert.equal(mode[3] & ICANON, 0);
 * assert.ok(mode[3] & ISIG);
 * close(master);
 * close(slave);
 * ```
 */
export function cfmakecbreak(mode: TermiosAttributes): void {
  mode[3] &= ~(k.ECHO | k.ICANON);
  mode[6] = [...mode[6]];
  mode[6][k.VMIN] = 1;
  mode[6][k.VTIME] = 0;
}

/**
 * Puts a terminal in raw mode, as Python's `tty.setraw`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param when When to apply it (default `TCSAFLUSH`).
 * @returns The previous modes, to restore with `tcsetattr`.
 * @throws {error} `termios.error`.
 *
 * @example Raw mode, then restore
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { ECHO, setraw, TCSANOW, tcgetattr, tcsetattr } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * const saved = setraw(slave);
 * assert.equal(tcgetattr(slave)[3] & ECHO, 0);
 * tcsetattr(slave, TCSANOW, saved);
 * assert.ok(tcgetattr(slave)[3] & ECHO);
 * close(master);
 * close(slave);
 * ```
 */
export function setraw(fd: FileLike, when: number = k.TCSAFLUSH): TermiosAttributes {
  const mode = tcgetattr(fd);
  const changed = [...mode] as TermiosAttributes;
  cfmakeraw(changed);
  tcsetattr(fd, when, changed);
  return mode;
}

/**
 * Puts a terminal in cbreak mode, as Python's `tty.setcbreak`.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param when When to apply it (default `TCSAFLUSH`).
 * @returns The previous modes.
 * @throws {error} `termios.error`.
 *
 * @example Keystrokes arrive one at a time
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { ICANON, setcbreak, tcgetattr } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * setcbreak(slave);
 * assert.equal(tcgetattr(slave)[3] & ICANON, 0);
 * close(master);
 * close(slave);
 * ```
 */
export function setcbreak(fd: FileLike, when: number = k.TCSAFLUSH): TermiosAttributes {
  const mode = tcgetattr(fd);
  const changed = [...mode] as TermiosAttributes;
  cfmakecbreak(changed);
  tcsetattr(fd, when, changed);
  return mode;
}
