/**
 * The system-call plumbing under `Socket`: scratch sockaddr buffers, the EINTR loop
 * of PEP 475, new fds made close-on-exec (and SIGPIPE-free on macOS), and the wait
 * CPython does after a blocking `connect` is interrupted.
 *
 * @module
 */
import { TimeoutError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError, MAX_RW_COUNT, osError, retryOnEintr } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { Pollfds } from "../ffi/pollfd.ts";
import { SOCKADDR_STORAGE_SIZE } from "../ffi/sockaddr.ts";
import { nsLeft } from "../_py/timeout.ts";
import { MillisecondWait, waitUntil } from "../_py/wait_loop.ts";

const { EINTR, EAGAIN } = abi.errno;
/** Windows: Winsock sockets, closed with `closesocket` and set non-blocking with `ioctlsocket`. */
export const WINDOWS: boolean = abi.winsock !== undefined;
const { F_SETFD, FD_CLOEXEC, F_GETFL, F_SETFL, O_NONBLOCK } = abi.fcntl;
const { SOL_SOCKET, SO_ERROR, SO_NOSIGPIPE } = abi.socket.constants;

/**
 * One sockaddr and its length cell, reused by every call: JS runs one call at a time
 * and each caller decodes the address before the next call.
 */
export const scratchAddress: Uint8Array = new Uint8Array(SOCKADDR_STORAGE_SIZE);
/** The `socklen_t` value-result cell that goes with {@linkcode scratchAddress}. */
export const scratchLength: Uint32Array = new Uint32Array(1);

export { SEND_FLAGS } from "../ffi/libc.ts";

/** The most bytes one recv or send moves (Linux's own `MAX_RW_COUNT`). */
export const MAX_IO: number = MAX_RW_COUNT;

/** EINTR-retrying system call runner (PEP 475). */
export const retrying: (call: () => number) => number = retryOnEintr;

/** Throws the `OSError` for errno when `result` is negative. */
export function check(result: number): number {
  if (result < 0) throw lastOsError();
  return result;
}

/**
 * Makes a new fd close-on-exec where the platform could not do it atomically, and
 * turns SIGPIPE off on macOS. Closes the fd and throws if either step fails.
 */
export function adoptNewFd(fd: number, cloexecDone: boolean): number {
  const c = libc();
  const failed = (): never => {
    const error = lastOsError();
    c.close(fd);
    throw error;
  };
  // Windows has no close-on-exec and iomux starts no processes there.
  if (!cloexecDone && !WINDOWS && c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) failed();
  if (abi.os === "darwin" && SO_NOSIGPIPE !== 0) {
    const one = new Int32Array([1]);
    if (c.setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, new Uint8Array(one.buffer), 4) < 0) failed();
  }
  return fd;
}

/**
 * Whether `O_NONBLOCK` is set on `fd`. Windows cannot tell: a socket iomux did not
 * make counts as blocking, as CPython assumes (its `sock_timeout` is its own record).
 */
export function isNonBlocking(fd: number): boolean {
  if (WINDOWS) return false;
  return (check(libc().fcntl(fd, F_GETFL, 0)) & O_NONBLOCK) !== 0;
}

/** Sets or clears `O_NONBLOCK` on `fd`. */
export function setNonBlocking(fd: number, nonBlocking: boolean): void {
  const c = libc();
  if (WINDOWS) {
    // Modules/socketmodule.c internal_setblocking: ioctlsocket(FIONBIO) on Windows.
    check(c.ioctlsocket!(fd, abi.winsock!.FIONBIO, new Uint32Array([nonBlocking ? 1 : 0])));
    return;
  }
  const flags = check(c.fcntl(fd, F_GETFL, 0));
  const wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (wanted !== flags) check(c.fcntl(fd, F_SETFL, wanted));
}

/** An `int` socket option, or the errno of the failing `getsockopt`. */
export function intOption(fd: number, level: number, name: number): number {
  const value = new Int32Array(1);
  const length = new Uint32Array([4]);
  check(libc().getsockopt(fd, level, name, new Uint8Array(value.buffer), length));
  return value[0]!;
}

const pollfd = new Pollfds(1);
const ONE_FD: number | bigint = abi.nfdsBytes === 8 ? 1n : 1;

/** `poll(2)` on the one fd of {@linkcode awaitReady}, as the wait loop drives it. */
class ReadinessCall extends MillisecondWait {
  attempt(): number {
    return libc().poll(pollfd.bytes, ONE_FD, this.ms);
  }
}
const readiness = new ReadinessCall();

/**
 * CPython's `internal_select` inside `sock_call_ex`: waits until `fd` is readable (or
 * writable) or the `deadline` (a `performance.now()` value; `null` for none) passes,
 * then throws `TimeoutError("timed out")`. An error or hang-up counts as ready: the
 * call that follows reports it.
 */
export function awaitReady(fd: number, writing: boolean, deadline: number | null): void {
  pollfd.set(0, fd, writing ? abi.poll.POLLOUT : abi.poll.POLLIN);
  if (deadline === null) {
    readiness.block();
  } else {
    const left = nsLeft(deadline);
    if (left < 0) throw new TimeoutError("timed out");
    readiness.limit(left);
  }
  if (waitUntil(readiness, deadline ?? undefined) === 0) throw new TimeoutError("timed out");
}

/** The `performance.now()` value `timeout` seconds from now. */
export function deadlineAfter(timeout: number): number {
  return performance.now() + timeout * 1000;
}

/**
 * CPython's `sock_call`: `call` for a socket with `timeout` (`null`: blocking, `0`:
 * non-blocking, else seconds). With a timeout, waits for readiness first and again
 * after each EAGAIN until `deadline`. EINTR is retried (PEP 475).
 */
export function socketCall(
  fd: number,
  timeout: number | null,
  writing: boolean,
  call: () => number,
  deadline: number | null = timeout ? deadlineAfter(timeout) : null,
): number {
  if (!timeout) return retrying(call);
  const c = libc();
  for (;;) {
    awaitReady(fd, writing, deadline);
    for (;;) {
      const result = call();
      if (result >= 0) return result;
      const errno = c.errno();
      if (errno === EINTR) continue;
      if (errno === EAGAIN) break;
      throw osError(errno);
    }
  }
}

/**
 * What CPython does once a `connect` is under way in the kernel (after EINTR, or
 * EINPROGRESS with a timeout): wait until the socket is writable and read the
 * outcome from `SO_ERROR` (0 when connected).
 */
export function awaitConnect(fd: number, deadline: number | null): number {
  awaitReady(fd, true, deadline);
  return intOption(fd, SOL_SOCKET, SO_ERROR);
}
