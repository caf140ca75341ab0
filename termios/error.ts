/**
 * `termios.error`: what every failing `termios` call raises.
 *
 * @module
 */
import { strerror } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";

/**
 * Python's `termios.error`. As in CPython (`Modules/termios.c`, made with
 * `PyErr_NewException("termios.error", NULL, NULL)`), it is its own class, not an
 * `OSError`: catch it by this name. `args` is `[errno, strerror]`.
 *
 * @example Not a terminal
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe } from "@iomux/iomux/os";
 * import { error, tcgetattr } from "@iomux/iomux/termios";
 *
 * const [r, w] = pipe();
 * assert.throws(() => tcgetattr(r), (e) => e instanceof error && e.args[1].length > 0);
 * close(r);
 * close(w);
 * ```
 */
export class error extends Error {
  /** `[errno, strerror]`, as Python's `args`. */
  readonly args: [errno: number, strerror: string];
  /** The errno value. */
  readonly errno: number;
  /** The system's text for it. */
  readonly strerror: string;

  /**
   * Builds the error from an errno and its text.
   *
   * @param errno The errno value.
   * @param text The system's text for it.
   */
  constructor(errno: number, text: string) {
    super(`(${errno}, ${JSON.stringify(text).replaceAll('"', "'")})`);
    this.args = [errno, text];
    this.errno = errno;
    this.strerror = text;
    this.name = "termios.error";
  }
}

/** The `termios.error` for the errno the last failing call left behind. */
export function lastTermiosError(): error {
  const errno = libc().errno();
  return new error(errno, strerror(errno));
}
