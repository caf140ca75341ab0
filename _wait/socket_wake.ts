/**
 * The wake-up pair on Windows, where neither an eventfd nor a pipe can be selected
 * (`select()` and `WSAPoll` take sockets only): two connected loopback TCP sockets,
 * as asyncio's self-pipe there (`Lib/asyncio/selector_events.py` `_make_self_pipe`
 * over `Lib/socket.py` `_fallback_socketpair`). The waiter's wake-up fd
 * (`ready_set.ts`) and the `Waker` (`watch/waker.ts`) are made here, and both read,
 * write and close their ends through {@linkcode FD_IO} or {@linkcode SOCKET_IO}, as
 * `watch/streams.ts` does its fd (a socket on Windows).
 *
 * Raw sockets, not `socket/`'s `Socket` objects: `_wait/` sits below `socket/`, and
 * a wake-up fd has no owner that a finalizer could close it for.
 *
 * @module
 */
import { ConnectionError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { encodeInet4, SOCKADDR_IN_SIZE } from "../ffi/sockaddr.ts";

const { AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY } = abi.socket.constants;
const LOOPBACK = new Uint8Array([127, 0, 0, 1]);

/** How a wake-up pipe or eventfd is read, written and closed. */
export const FD_IO = {
  read: (fd: number, bytes: Uint8Array, n: number): number => libc().read(fd, bytes, n),
  write: (fd: number, bytes: Uint8Array, n: number): number => libc().write(fd, bytes, n),
  close: (fd: number): number => libc().close(fd),
} as const;

/** How the ends of a socket pair are read, written and closed (`recv`, `send`, `closesocket`). */
export const SOCKET_IO = {
  read: (fd: number, bytes: Uint8Array, n: number): number => libc().recv(fd, bytes, n, 0),
  write: (fd: number, bytes: Uint8Array, n: number): number => libc().send(fd, bytes, n, 0),
  close: (fd: number): number => libc().closesocket!(fd),
} as const;

const ONE = new Uint8Array(new Uint32Array([1]).buffer);

/**
 * Makes socket `fd` non-blocking: `ioctlsocket(FIONBIO)`, Windows' `O_NONBLOCK`
 * (`Modules/socketmodule.c` `internal_setblocking`).
 *
 * @throws {OSError} `fd` is not a socket (WSAENOTSOCK).
 */
export function setSocketNonBlocking(fd: number): void {
  if (libc().ioctlsocket!(fd, abi.winsock!.FIONBIO, ONE) < 0) throw lastOsError();
}

/** `getsockname` or `getpeername` of `fd`: the `sockaddr_in` bytes. */
function addressOf(fd: number, peer: boolean): Uint8Array {
  const c = libc();
  const address = new Uint8Array(SOCKADDR_IN_SIZE);
  const length = new Int32Array([SOCKADDR_IN_SIZE]);
  const bytes = new Uint8Array(length.buffer);
  if ((peer ? c.getpeername(fd, address, bytes) : c.getsockname(fd, address, bytes)) < 0) {
    throw lastOsError();
  }
  return address;
}

function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  return a.every((byte, i) => byte === b[i]);
}

/**
 * Two connected loopback TCP sockets, `[read, write]`, both non-blocking and
 * non-inheritable (`ffi/_winsock.ts`). The writing end has `TCP_NODELAY`: Nagle's
 * algorithm would hold a second one-byte wake back until the first was
 * acknowledged, and a delayed acknowledgement takes up to 200 ms. As CPython's
 * `_fallback_socketpair` since CVE-2024-3219 (gh-122133), each end's address must
 * be the other's peer, or another process raced the connection in.
 *
 * @throws {OSError} A socket call failed (nothing is left open).
 */
export function openSocketPair(): [read: number, write: number] {
  const c = libc();
  const opened: number[] = [];
  const open = (fd: number): number => {
    if (fd < 0) throw lastOsError();
    opened.push(fd);
    return fd;
  };
  const check = (result: number): void => {
    if (result < 0) throw lastOsError();
  };
  let pair: [number, number] | undefined;
  try {
    const listener = open(c.socket(AF_INET, SOCK_STREAM, 0));
    const address = new Uint8Array(SOCKADDR_IN_SIZE);
    encodeInet4(address, LOOPBACK, 0);
    check(c.bind(listener, address, SOCKADDR_IN_SIZE));
    check(c.listen(listener, 1));
    const write = open(c.socket(AF_INET, SOCK_STREAM, 0));
    // Loopback with a listener waiting: the blocking connect completes at once.
    check(c.connect(write, addressOf(listener, false), SOCKADDR_IN_SIZE));
    const peer = new Uint8Array(SOCKADDR_IN_SIZE);
    const length = new Uint8Array(new Int32Array([SOCKADDR_IN_SIZE]).buffer);
    const read = open(c.accept(listener, peer, length));
    if (
      !sameAddress(addressOf(read, false), addressOf(write, true)) ||
      !sameAddress(addressOf(write, false), addressOf(read, true))
    ) {
      throw new ConnectionError("Unexpected peer connection");
    }
    setSocketNonBlocking(read);
    setSocketNonBlocking(write);
    check(c.setsockopt(write, IPPROTO_TCP, TCP_NODELAY, ONE, 4));
    return pair = [read, write];
  } finally {
    // The listener always; the ends too unless they are the result.
    for (const fd of opened) if (pair?.includes(fd) !== true) c.closesocket!(fd);
  }
}
