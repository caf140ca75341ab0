/**
 * Python's `termios` module and the `tty` helpers: terminal modes, speeds, raw
 * mode and window sizes for ptys and serial ports.
 *
 * @example A serial-style line: raw, 115200 baud
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { B115200, setraw, TCSANOW, tcgetattr, tcsetattr } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * setraw(slave);
 * const attrs = tcgetattr(slave);
 * attrs[4] = attrs[5] = B115200;
 * tcsetattr(slave, TCSANOW, attrs);
 * assert.equal(tcgetattr(slave)[5], B115200);
 * close(master);
 * close(slave);
 * ```
 *
 * @module
 */
export type { FileLike } from "../_py/convert.ts";
export { type ControlChar, tcgetattr, tcsetattr, type TermiosAttributes } from "./attr.ts";
export { tcdrain, tcflow, tcflush, tcgetwinsize, tcsendbreak, tcsetwinsize } from "./control.ts";
export { cfmakecbreak, cfmakeraw, setcbreak, setraw } from "./tty.ts";
export { error } from "./error.ts";
export * from "./constants.ts";
// Every error class but `error`, which here is termios.error, as in Python.
export {
  BlockingIOError,
  BrokenPipeError,
  ChildProcessError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  InterruptedError,
  IsADirectoryError,
  KeyError,
  NotADirectoryError,
  OSError,
  PermissionError,
  ProcessLookupError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from "../errors.ts";
