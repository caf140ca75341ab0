/**
 * Python's exception classes, kept under their Python names because ported code
 * catches them by name. {@linkcode OSError} carries `errno`, `code` and `strerror`;
 * its subclasses are picked from errno exactly as CPython picks them.
 *
 * @example Catching a closed descriptor
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError } from "@iomux/iomux";
 * import { select } from "@iomux/iomux/select";
 * import { close, pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * close(r);
 * let code: string | null = null;
 * try {
 *   select([r], [], [], 0);
 * } catch (e) {
 *   if (!(e instanceof OSError)) throw e;
 *   code = e.code;
 * }
 * assert.equal(code, "EBADF");
 * close(w);
 * ```
 *
 * @module
 */

/**
 * A system call failed. Mirrors Python's `OSError`: built from an errno it has
 * `errno`, `code` (the errno's symbolic name) and `strerror`, and its message is
 * `"[Errno 9] Bad file descriptor"`; built from a message alone (`"invalid flags"`),
 * `errno`, `code` and `strerror` are `null`. On Windows a failed Winsock call also
 * sets `winerror` (the `WSAGetLastError()` code; `errno` is its translation, as
 * CPython's `PC/errmap.h` `winerror_to_errno` makes it) and the message reads
 * `"[WinError 10038] …"`; elsewhere `winerror` is `null`.
 *
 * @example Build one from an errno, or from a message alone
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError } from "@iomux/iomux";
 *
 * const e = new OSError(9, "Bad file descriptor", "EBADF");
 * assert.equal(e.message, "[Errno 9] Bad file descriptor");
 * assert.deepEqual([e.errno, e.code, e.strerror], [9, "EBADF", "Bad file descriptor"]);
 *
 * const plain = new OSError("invalid flags");
 * assert.deepEqual([plain.message, plain.errno, plain.code], ["invalid flags", null, null]);
 * ```
 *
 * @example A Winsock error, as Windows reports it
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError } from "@iomux/iomux";
 *
 * const e = new OSError(22, "An invalid argument was supplied", "EINVAL", { winerror: 10022 });
 * assert.equal(e.message, "[WinError 10022] An invalid argument was supplied");
 * assert.deepEqual([e.errno, e.winerror], [22, 10022]);
 * ```
 */
export class OSError extends Error {
  /** The errno value, or `null` when the error was built from a message alone. */
  readonly errno: number | null;
  /** The errno's symbolic name, such as `"EBADF"`, or `null`. */
  readonly code: string | null;
  /** The operating system's text for the errno, or `null`. */
  readonly strerror: string | null;
  /** Windows: the Winsock error code the errno was translated from; otherwise `null`. */
  readonly winerror: number | null;

  /**
   * Builds the error from an errno and its text, or from a message alone.
   *
   * @param errnoOrMessage An errno value, or a message when there is none.
   * @param strerror The system's description of the errno.
   * @param code The errno's symbolic name.
   * @param options Standard error options (`cause`), and `winerror` for a Windows
   *   error code.
   */
  constructor(
    errnoOrMessage: number | string,
    strerror?: string,
    code?: string,
    options?: ErrorOptions & { winerror?: number },
  ) {
    const numbered = typeof errnoOrMessage === "number";
    const text = numbered ? strerror ?? "Error" : null;
    const winerror = numbered ? options?.winerror ?? null : null;
    const tag = winerror === null ? `[Errno ${errnoOrMessage}]` : `[WinError ${winerror}]`;
    super(numbered ? `${tag} ${text}` : errnoOrMessage, options);
    this.winerror = winerror;
    this.errno = numbered ? errnoOrMessage : null;
    this.strerror = text;
    this.code = numbered ? code ?? null : null;
    this.name = new.target.name;
  }
}

/**
 * Python's alias for {@linkcode OSError}: `select.error is OSError`.
 *
 * @example `error` is `OSError`
 * ```ts
 * import assert from "node:assert/strict";
 * import { error, OSError } from "@iomux/iomux";
 *
 * assert.equal(error, OSError);
 * ```
 */
export const error: typeof OSError = OSError;

/**
 * ENOENT: no such file, or (from `poll`/`epoll`) an fd that is not registered.
 *
 * @example Opening a path that does not exist
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileNotFoundError } from "@iomux/iomux";
 * import { O_RDONLY, open } from "@iomux/iomux/os";
 *
 * assert.throws(() => open("/no/such/path", O_RDONLY), FileNotFoundError);
 * ```
 */
export class FileNotFoundError extends OSError {}

/**
 * EEXIST: for example an fd registered twice with `epoll`.
 *
 * @example Built from errno 17
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileExistsError, OSError } from "@iomux/iomux";
 *
 * const e = new FileExistsError(17, "File exists");
 * assert.ok(e instanceof OSError);
 * assert.equal(e.message, "[Errno 17] File exists");
 * ```
 */
export class FileExistsError extends OSError {}

/**
 * EPERM or EACCES: for example a regular file registered with `epoll`.
 *
 * @example Built from errno 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError, PermissionError } from "@iomux/iomux";
 *
 * const e = new PermissionError(1, "Operation not permitted");
 * assert.ok(e instanceof OSError);
 * assert.equal(e.message, "[Errno 1] Operation not permitted");
 * ```
 */
export class PermissionError extends OSError {}

/**
 * EINTR. The waiting calls retry by themselves (PEP 475), so users rarely see it.
 *
 * @example Built from errno 4
 * ```ts
 * import assert from "node:assert/strict";
 * import { InterruptedError, OSError } from "@iomux/iomux";
 *
 * const e = new InterruptedError(4, "Interrupted system call");
 * assert.ok(e instanceof OSError);
 * assert.equal(e.message, "[Errno 4] Interrupted system call");
 * ```
 */
export class InterruptedError extends OSError {}

/**
 * EAGAIN, EWOULDBLOCK, EALREADY or EINPROGRESS: an operation on a non-blocking fd
 * that would have to wait.
 *
 * @example Reading an empty non-blocking pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlockingIOError } from "@iomux/iomux";
 * import { close, pipe, read, setBlocking } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * setBlocking(r, false);
 * assert.throws(() => read(r, 1), BlockingIOError);
 * close(r);
 * close(w);
 * ```
 */
export class BlockingIOError extends OSError {}

/**
 * ECHILD.
 *
 * @example Built from errno 10
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChildProcessError, OSError } from "@iomux/iomux";
 *
 * const e = new ChildProcessError(10, "No child processes");
 * assert.ok(e instanceof OSError);
 * assert.equal(e.message, "[Errno 10] No child processes");
 * ```
 */
export class ChildProcessError extends OSError {}

/**
 * Base class of the connection errors, as in Python.
 *
 * @example The connection errors share a base class
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionError, ConnectionResetError, OSError } from "@iomux/iomux";
 *
 * const e = new ConnectionResetError(104, "Connection reset by peer");
 * assert.ok(e instanceof ConnectionError);
 * assert.ok(e instanceof OSError);
 * ```
 */
export class ConnectionError extends OSError {}

/**
 * EPIPE or ESHUTDOWN: writing to a pipe or socket whose other end is closed.
 *
 * @example Writing to a pipe nobody reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { BrokenPipeError } from "@iomux/iomux";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * close(r);
 * assert.throws(() => write(w, new Uint8Array([1])), BrokenPipeError);
 * close(w);
 * ```
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * ECONNABORTED.
 *
 * @example Built from errno 103
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionAbortedError, ConnectionError } from "@iomux/iomux";
 *
 * const e = new ConnectionAbortedError(103, "Software caused connection abort");
 * assert.ok(e instanceof ConnectionError);
 * assert.equal(e.message, "[Errno 103] Software caused connection abort");
 * ```
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * ECONNREFUSED: nobody listens at the address.
 *
 * @example Built from errno 111
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionError, ConnectionRefusedError } from "@iomux/iomux";
 *
 * const e = new ConnectionRefusedError(111, "Connection refused");
 * assert.ok(e instanceof ConnectionError);
 * assert.equal(e.message, "[Errno 111] Connection refused");
 * ```
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * ECONNRESET: the peer reset the connection.
 *
 * @example Built from errno 104
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionError, ConnectionResetError } from "@iomux/iomux";
 *
 * const e = new ConnectionResetError(104, "Connection reset by peer");
 * assert.ok(e instanceof ConnectionError);
 * assert.equal(e.message, "[Errno 104] Connection reset by peer");
 * ```
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * EISDIR.
 *
 * @example Opening a directory for writing
 * ```ts
 * import assert from "node:assert/strict";
 * import { IsADirectoryError } from "@iomux/iomux";
 * import { O_WRONLY, open } from "@iomux/iomux/os";
 *
 * assert.throws(() => open("/", O_WRONLY), IsADirectoryError);
 * ```
 */
export class IsADirectoryError extends OSError {}

/**
 * ENOTDIR.
 *
 * @example A path through a file
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotADirectoryError } from "@iomux/iomux";
 * import { O_RDONLY, open } from "@iomux/iomux/os";
 *
 * assert.throws(() => open("/dev/null/x", O_RDONLY), NotADirectoryError);
 * ```
 */
export class NotADirectoryError extends OSError {}

/**
 * ESRCH.
 *
 * @example Built from errno 3
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError, ProcessLookupError } from "@iomux/iomux";
 *
 * const e = new ProcessLookupError(3, "No such process");
 * assert.ok(e instanceof OSError);
 * assert.equal(e.message, "[Errno 3] No such process");
 * ```
 */
export class ProcessLookupError extends OSError {}

/**
 * ETIMEDOUT.
 *
 * @example Built from errno 110
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError, TimeoutError } from "@iomux/iomux";
 *
 * const e = new TimeoutError(110, "Connection timed out");
 * assert.ok(e instanceof OSError);
 * assert.equal(e.message, "[Errno 110] Connection timed out");
 * ```
 */
export class TimeoutError extends OSError {}

/**
 * A file descriptor or file object that is not registered (or, in `selectors`,
 * one that already is). `key` holds what Python's `KeyError` holds in `args[0]`:
 * the fd itself for `Poll.unregister`, the message for `selectors`.
 *
 * @example Unregistering an fd that `poll` does not watch
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeyError } from "@iomux/iomux";
 * import { poll } from "@iomux/iomux/select";
 *
 * assert.throws(() => poll().unregister(12345), (e) => e instanceof KeyError && e.key === 12345);
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
 * @example A negative timeout for `select`
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValueError } from "@iomux/iomux";
 * import { select } from "@iomux/iomux/select";
 *
 * assert.throws(() => select([], [], [], -1), new ValueError("timeout must be non-negative"));
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
 * @example `getKey` on a closed selector
 * ```ts
 * import assert from "node:assert/strict";
 * import { RuntimeError } from "@iomux/iomux";
 * import { DefaultSelector } from "@iomux/iomux/selectors";
 *
 * const sel = new DefaultSelector();
 * sel.close();
 * assert.throws(() => sel.getKey(0), new RuntimeError("Selector is closed"));
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
