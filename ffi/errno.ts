/**
 * errno → exception, exactly as CPython chooses the `OSError` subclass
 * (`Objects/exceptions.c`, `_PyExc_InitState`'s errnomap).
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "./abi.ts";
import { libc } from "./libc.ts";

const strerrorCache = new Map<number, string>();

/** The system's message for `errnum`, as `os.strerror` gives it. */
export function strerror(errnum: number): string {
  let text = strerrorCache.get(errnum);
  if (text === undefined) {
    text = libc().strerror(errnum) ?? `Unknown error ${errnum}`;
    strerrorCache.set(errnum, text);
  }
  return text;
}

/** The symbolic name of `errnum` on this platform (`"EBADF"`), or `null`. */
export function errnoName(errnum: number): string | null {
  return abi.errnoNames[errnum] ?? null;
}

/**
 * The exception CPython's `PyErr_SetFromErrnoWithFilenameObject` would raise for
 * `errnum`: the `OSError` subclass chosen by errno, with `errno`, `code`,
 * `strerror` and (when given) `filename` set.
 */
export function osError(errnum: number, filename?: string): OSError {
  if (abi.winsock && errnum >= 10000) return winsockError(errnum, filename);
  // errno 0 reads "Error" in CPython (it never asks strerror for 0). The constructor
  // picks the subclass from errno, as `OSError_new` does.
  const text = errnum === 0 ? "Error" : strerror(errnum);
  return new OSError(errnum, text, filename);
}

/**
 * A Winsock code as CPython's `PyErr_SetExcFromWindowsErr` raises it: `winerror` is
 * the code, `errno` its translation (`PC/errmap.h` `winerror_to_errno`: WSAEINTR,
 * WSAEBADF, WSAEACCES, WSAEFAULT, WSAEINVAL and WSAEMFILE become the C runtime's
 * errno, every other code in 10000–11999 stays itself), the class chosen by that
 * errno (`Objects/exceptions.c` maps EWOULDBLOCK, ECONNRESET… to their Winsock values
 * on Windows), the text `FormatMessage`'s.
 */
function winsockError(winerror: number, filename?: string): OSError {
  const errnum = TO_CRT_ERRNO.has(winerror) ? winerror - 10000 : winerror;
  return new OSError(errnum, strerror(winerror), filename, { winerror });
}

const TO_CRT_ERRNO: ReadonlySet<number> = new Set([10004, 10009, 10013, 10014, 10022, 10024]);

const { EINTR, EAGAIN } = abi.errno;

/**
 * Whether a failed wait (`select`, `poll`, `epoll_wait`, `kevent`) is to be retried
 * with the time left (PEP 475) rather than raised. EINTR is the signal case. EAGAIN
 * is never a wait's own error on Linux (on BSD it is a transient shortage, worth a
 * retry too), but it is what errno can hold when a second signal lands between the
 * failed call and the errno read: Deno's signal handler does not preserve errno, and
 * leaves behind the EAGAIN of its full wake-up socket (seen under a signal storm in
 * tests/eintr_test.ts: a `poll` that failed with EINTR read back as EAGAIN).
 */
export function waitInterrupted(errnum: number): boolean {
  return errnum === EINTR || errnum === EAGAIN;
}

/** `osError` for the errno the last failing call left behind. */
export function lastOsError(): OSError {
  return osError(libc().errno());
}

/** The most bytes one read, write, recv or send moves (Linux's own `MAX_RW_COUNT`). */
export const MAX_RW_COUNT = 0x7ffff000;

/**
 * Runs `call` until it does not fail with EINTR (PEP 475), and throws the matching
 * `OSError` for any other failure. For calls where EAGAIN is a real answer (reads
 * and writes on non-blocking fds), unlike the waits of `waitInterrupted`.
 */
export function retryOnEintr(call: () => number): number {
  const c = libc();
  const EINTR = abi.errno.EINTR;
  for (;;) {
    const result = call();
    if (result >= 0) return result;
    const errno = c.errno();
    if (errno !== EINTR) throw osError(errno);
  }
}
