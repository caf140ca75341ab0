/**
 * Python's exception classes, kept under their Python names because ported code
 * catches them by name. {@linkcode OSError} carries `errno`, `code` and `strerror`;
 * its subclasses are picked from errno exactly as CPython picks them. The exceptions
 * without an errno (`KeyError`, `ValueError`, `RuntimeError`) are declared in
 * `_plain_errors.ts` and exported from here with the rest.
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
import { reprString } from "./_py/repr.ts";
import { abi } from "./ffi/abi.ts";

export { KeyError, RuntimeError, ValueError } from "./_plain_errors.ts";

/**
 * Options of {@linkcode OSError}: the standard `cause`, Python's `filename2`, and a
 * `code` for numbers that are not errnos (`socket.gaierror`'s `EAI_*`).
 *
 * @example A two-path error, as Python's `OSError(2, "…", "a", None, "b")`
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSError } from "@iomux/iomux";
 *
 * const e = new OSError(2, "No such file or directory", "a", { filename2: "b" });
 * assert.equal(e.message, "[Errno 2] No such file or directory: 'a' -> 'b'");
 * ```
 */
export interface OSErrorOptions extends ErrorOptions {
  /** The symbolic name, when `errno` is not an errno (an `EAI_*` value). */
  code?: string;
  /**
   * Windows: the Winsock error code (`WSAGetLastError()`) that `errno` was translated
   * from (`PC/errmap.h` `winerror_to_errno`); the message then reads `[WinError N]`.
   */
  winerror?: number;
  /** The second file name of a two-path call (Python's `filename2`). */
  filename2?: string;
}

/**
 * A system call failed. Mirrors Python's `OSError`: built from an errno and its text
 * it has `errno`, `code` (the errno's symbolic name), `strerror` and, when given,
 * `filename`; its message is `"[Errno 2] No such file or directory: 'x'"`. As in
 * CPython (`Objects/exceptions.c` `OSError_new`, which looks the errno up in the
 * errnomap), `new OSError(errno, text)` builds the subclass that errno selects:
 * `new OSError(11, "…")` is a {@linkcode BlockingIOError}. Built from a message alone
 * (`"invalid flags"`), or from a number alone, `errno`, `code` and `strerror` are
 * `null` (Python's `OSError(11)` has no errno either). On Windows a failed Winsock
 * call also sets `winerror` and the message reads `"[WinError 10038] …"`, as
 * CPython's `PyErr_SetExcFromWindowsErr` makes it; elsewhere `winerror` is `null`.
 *
 * @example Construction picks the subclass by errno
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileNotFoundError, OSError } from "@iomux/iomux";
 *
 * const e = new OSError(2, "No such file or directory", "data.bin");
 * assert.ok(e instanceof FileNotFoundError);
 * assert.equal(e.code, "ENOENT");
 * assert.equal(e.message, "[Errno 2] No such file or directory: 'data.bin'");
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
 * const e = new OSError(22, "An invalid argument was supplied", undefined, { winerror: 10022 });
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
  /** The file name the failing call was given, or `null`. */
  readonly filename: string | null;
  /** The second file name of a two-path call, or `null`. */
  readonly filename2: string | null;
  /** Windows: the Winsock error code the errno was translated from; otherwise `null`. */
  readonly winerror: number | null;

  /**
   * Builds the error from an errno and its text (and the file name involved), or
   * from a message alone. Called as `new OSError(errno, text)`, it returns the
   * subclass that errno maps to, as Python's `OSError(errno, text)` does.
   *
   * @param errnoOrMessage An errno value, or a message when there is none.
   * @param strerror The system's description of the errno.
   * @param filename The file name the failing call was given.
   * @param options Standard error options (`cause`), `filename2`, `code` and, on
   *   Windows, `winerror`.
   */
  constructor(
    errnoOrMessage: number | string,
    strerror?: string,
    filename?: string,
    options?: OSErrorOptions,
  ) {
    const numbered = typeof errnoOrMessage === "number" && strerror !== undefined;
    const names = numbered ? [filename, options?.filename2] : [];
    const [file = null, file2 = null] = names.map((n) => n === undefined ? null : n);
    let message = String(errnoOrMessage);
    const winerror = numbered ? options?.winerror ?? null : null;
    if (numbered) {
      const tag = winerror === null ? `[Errno ${errnoOrMessage}]` : `[WinError ${winerror}]`;
      message = `${tag} ${strerror}`;
      if (file !== null) message += `: ${reprString(file)}`;
      if (file !== null && file2 !== null) message += ` -> ${reprString(file2)}`;
    }
    super(message, options);
    this.errno = numbered ? errnoOrMessage : null;
    this.code = numbered ? options?.code ?? abi.errnoNames[errnoOrMessage] ?? null : null;
    this.strerror = numbered ? strerror : null;
    this.filename = file;
    this.filename2 = file2;
    this.winerror = winerror;
    this.name = new.target.name;
    if (new.target === OSError && numbered) {
      const Subclass = subclassFor(errnoOrMessage);
      if (Subclass !== undefined) {
        // A class constructor may return another object: this is how `OSError_new`
        // swaps in the errnomap's type when `type` is `OSError` itself.
        return Reflect.construct(Subclass, [errnoOrMessage, strerror, filename, options]);
      }
    }
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
 * CPython's errnomap (`Objects/exceptions.c` `_PyExc_InitState`, the `ADD_ERRNO`
 * lines): errno name → the subclass `OSError(errno, …)` becomes. A name the platform
 * lacks (ENOTCAPABLE off FreeBSD and WASI) maps nothing.
 */
const ERRNO_MAP: Readonly<Record<string, typeof OSError>> = {
  EAGAIN: BlockingIOError,
  EALREADY: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  EWOULDBLOCK: BlockingIOError,
  EPIPE: BrokenPipeError,
  ESHUTDOWN: BrokenPipeError,
  ECHILD: ChildProcessError,
  ECONNABORTED: ConnectionAbortedError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  EEXIST: FileExistsError,
  ENOENT: FileNotFoundError,
  EISDIR: IsADirectoryError,
  ENOTDIR: NotADirectoryError,
  EINTR: InterruptedError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  ENOTCAPABLE: PermissionError,
  ESRCH: ProcessLookupError,
  ETIMEDOUT: TimeoutError,
};

let subclassByErrno: Map<number, typeof OSError> | undefined;

/** The errnomap's subclass for `errno` on this platform, if it has one. */
function subclassFor(errno: number): typeof OSError | undefined {
  if (subclassByErrno === undefined) {
    subclassByErrno = new Map();
    for (const [value, name] of Object.entries(abi.errnoNames)) {
      const Subclass = ERRNO_MAP[name];
      if (Subclass !== undefined) subclassByErrno.set(Number(value), Subclass);
    }
  }
  return subclassByErrno.get(errno);
}
