/**
 * Python's exception classes, kept under their Python names because ported code
 * catches them by name. {@linkcode OSError} carries `errno`, `code` and `strerror`;
 * its subclasses are picked from errno exactly as CPython picks them.
 *
 * @example Catching a closed descriptor
 * ```ts
 * import { OSError } from "@iomux/iomux";
 * import { select } from "@iomux/iomux/select";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * close(r);
 * try {
 *   select([r], [], [], 0);
 * } catch (e) {
 *   if (!(e instanceof OSError)) throw e;
 *   console.log(e.code); // "EBADF"
 * }
 * close(w);
 * ```
 *
 * @module
 */

/**
 * A system call failed. Mirrors Python's `OSError`: built from an errno it has
 * `errno`, `code` (the errno's symbolic name) and `strerror`, and its message is
 * `"[Errno 9] Bad file descriptor"`; built from a message alone (`"invalid flags"`),
 * `errno`, `code` and `strerror` are `null`.
 *
 * @example
 * ```ts
 * import { OSError } from "@iomux/iomux";
 *
 * const e = new OSError(9, "Bad file descriptor", "EBADF");
 * console.log(e.message); // "[Errno 9] Bad file descriptor"
 * ```
 */
export class OSError extends Error {
  /** The errno value, or `null` when the error was built from a message alone. */
  readonly errno: number | null;
  /** The errno's symbolic name, such as `"EBADF"`, or `null`. */
  readonly code: string | null;
  /** The operating system's text for the errno, or `null`. */
  readonly strerror: string | null;

  /**
   * Builds the error from an errno and its text, or from a message alone.
   *
   * @param errnoOrMessage An errno value, or a message when there is none.
   * @param strerror The system's description of the errno.
   * @param code The errno's symbolic name.
   * @param options Standard error options (`cause`).
   */
  constructor(
    errnoOrMessage: number | string,
    strerror?: string,
    code?: string,
    options?: ErrorOptions,
  ) {
    const numbered = typeof errnoOrMessage === "number";
    const text = numbered ? strerror ?? "Error" : null;
    super(numbered ? `[Errno ${errnoOrMessage}] ${text}` : errnoOrMessage, options);
    this.errno = numbered ? errnoOrMessage : null;
    this.strerror = text;
    this.code = numbered ? code ?? null : null;
    this.name = new.target.name;
  }
}

/**
 * Python's alias for {@linkcode OSError}: `select.error is OSError`.
 *
 * @example
 * ```ts
 * import { error, OSError } from "@iomux/iomux";
 * console.log(error === OSError); // true
 * ```
 */
export const error: typeof OSError = OSError;

/**
 * ENOENT: no such file, or (from `poll`/`epoll`) an fd that is not registered.
 *
 * @example
 * ```ts
 * import { FileNotFoundError, OSError } from "@iomux/iomux";
 * console.log(new FileNotFoundError(2, "No such file or directory") instanceof OSError); // true
 * ```
 */
export class FileNotFoundError extends OSError {}

/**
 * EEXIST: for example an fd registered twice with `epoll`.
 *
 * @example
 * ```ts
 * import { FileExistsError } from "@iomux/iomux";
 * console.log(new FileExistsError(17, "File exists").message); // "[Errno 17] File exists"
 * ```
 */
export class FileExistsError extends OSError {}

/**
 * EPERM or EACCES: for example a regular file registered with `epoll`.
 *
 * @example
 * ```ts
 * import { PermissionError } from "@iomux/iomux";
 * console.log(new PermissionError(1, "Operation not permitted").errno); // 1
 * ```
 */
export class PermissionError extends OSError {}

/**
 * EINTR. The waiting calls retry by themselves (PEP 475), so users rarely see it.
 *
 * @example
 * ```ts
 * import { InterruptedError } from "@iomux/iomux";
 * console.log(new InterruptedError(4, "Interrupted system call").name); // "InterruptedError"
 * ```
 */
export class InterruptedError extends OSError {}

/**
 * EAGAIN, EWOULDBLOCK, EALREADY or EINPROGRESS: an operation on a non-blocking fd
 * that would have to wait.
 *
 * @example
 * ```ts
 * import { BlockingIOError } from "@iomux/iomux";
 * console.log(new BlockingIOError(11, "Resource temporarily unavailable").errno); // 11
 * ```
 */
export class BlockingIOError extends OSError {}

/**
 * ECHILD.
 *
 * @example
 * ```ts
 * import { ChildProcessError } from "@iomux/iomux";
 * console.log(new ChildProcessError(10, "No child processes").errno); // 10
 * ```
 */
export class ChildProcessError extends OSError {}

/**
 * Base class of the connection errors, as in Python.
 *
 * @example
 * ```ts
 * import { ConnectionError, ConnectionResetError } from "@iomux/iomux";
 * console.log(new ConnectionResetError(104, "Connection reset by peer") instanceof ConnectionError); // true
 * ```
 */
export class ConnectionError extends OSError {}

/**
 * EPIPE or ESHUTDOWN: writing to a pipe or socket whose other end is closed.
 *
 * @example
 * ```ts
 * import { BrokenPipeError } from "@iomux/iomux";
 * console.log(new BrokenPipeError(32, "Broken pipe").errno); // 32
 * ```
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * ECONNABORTED.
 *
 * @example
 * ```ts
 * import { ConnectionAbortedError } from "@iomux/iomux";
 * console.log(new ConnectionAbortedError(103, "Software caused connection abort").errno); // 103
 * ```
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * ECONNREFUSED: nobody listens at the address.
 *
 * @example
 * ```ts
 * import { ConnectionRefusedError } from "@iomux/iomux";
 * console.log(new ConnectionRefusedError(111, "Connection refused").errno); // 111
 * ```
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * ECONNRESET: the peer reset the connection.
 *
 * @example
 * ```ts
 * import { ConnectionResetError } from "@iomux/iomux";
 * console.log(new ConnectionResetError(104, "Connection reset by peer").errno); // 104
 * ```
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * EISDIR.
 *
 * @example
 * ```ts
 * import { IsADirectoryError } from "@iomux/iomux";
 * console.log(new IsADirectoryError(21, "Is a directory").errno); // 21
 * ```
 */
export class IsADirectoryError extends OSError {}

/**
 * ENOTDIR.
 *
 * @example
 * ```ts
 * import { NotADirectoryError } from "@iomux/iomux";
 * console.log(new NotADirectoryError(20, "Not a directory").errno); // 20
 * ```
 */
export class NotADirectoryError extends OSError {}

/**
 * ESRCH.
 *
 * @example
 * ```ts
 * import { ProcessLookupError } from "@iomux/iomux";
 * console.log(new ProcessLookupError(3, "No such process").errno); // 3
 * ```
 */
export class ProcessLookupError extends OSError {}

/**
 * ETIMEDOUT.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@iomux/iomux";
 * console.log(new TimeoutError(110, "Connection timed out").errno); // 110
 * ```
 */
export class TimeoutError extends OSError {}

/**
 * A file descriptor or file object that is not registered (or, in `selectors`,
 * one that already is). `key` holds what Python's `KeyError` holds in `args[0]`:
 * the fd itself for `Poll.unregister`, the message for `selectors`.
 *
 * @example
 * ```ts
 * import { KeyError } from "@iomux/iomux";
 * import { poll } from "@iomux/iomux/select";
 *
 * try {
 *   poll().unregister(12345);
 * } catch (e) {
 *   console.log(e instanceof KeyError, (e as KeyError).key); // true 12345
 * }
 * ```
 */
export class KeyError extends Error {
  /** The missing key (Python's `args[0]`). */
  readonly key: unknown;
  /**
   * Builds the error for a missing (or duplicate) key.
   *
   * @param key The missing key, or a message naming it.
   * @param options Standard error options (`cause`).
   */
  constructor(key: unknown, options?: ErrorOptions) {
    super(String(key), options);
    this.key = key;
    this.name = "KeyError";
  }
}

/**
 * A bad value: a negative fd, an fd out of range for `select`, a bad event mask, a
 * NaN timeout, an operation on a closed `Epoll` or `Kqueue`.
 *
 * @example
 * ```ts
 * import { ValueError } from "@iomux/iomux";
 * import { select } from "@iomux/iomux/select";
 *
 * try {
 *   select([], [], [], -1);
 * } catch (e) {
 *   console.log(e instanceof ValueError, (e as Error).message); // true "timeout must be non-negative"
 * }
 * ```
 */
export class ValueError extends Error {
  /**
   * Builds the error from a message.
   *
   * @param message What was wrong with the value.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ValueError";
  }
}

/**
 * `getKey` on a closed selector, or a second concurrent `Poll.poll`.
 *
 * @example
 * ```ts
 * import { RuntimeError } from "@iomux/iomux";
 * console.log(new RuntimeError("Selector is closed").name); // "RuntimeError"
 * ```
 */
export class RuntimeError extends Error {
  /**
   * Builds the error from a message.
   *
   * @param message What went wrong.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeError";
  }
}
