/**
 * `socket.socketpair()`: two connected sockets.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { adoptNewFd, check, WINDOWS } from "./_syscall.ts";
import { Socket } from "./socket.ts";
import { loopbackSocketpair } from "./_socketpair_windows.ts";

const { AF_INET, AF_UNIX, SOCK_STREAM, SOCK_CLOEXEC } = abi.socket.constants;

/**
 * Creates a pair of connected sockets, as Python's `socket.socketpair()`. Both are
 * close-on-exec and blocking (unless `type` includes `SOCK_NONBLOCK`). Windows has
 * no `socketpair(2)`: there, as in CPython, the pair is a loopback TCP connection.
 *
 * @param family `AF_UNIX` (default; `AF_INET` on Windows).
 * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`.
 * @param proto The protocol, usually 0.
 * @returns Two sockets, each the other's peer.
 * @throws {OSError} EMFILE and so on.
 *
 * @example A connected pair of sockets
 * ```ts
 * import assert from "node:assert/strict";
 * import { socketpair } from "@iomux/iomux/socket";
 *
 * const [a, b] = socketpair();
 * using _a = a, _b = b;
 * a.send(new Uint8Array([1, 2, 3]));
 * assert.deepEqual(b.recv(10), new Uint8Array([1, 2, 3]));
 * ```
 */
export function socketpair(
  family: number = WINDOWS ? AF_INET : AF_UNIX,
  type: number = SOCK_STREAM,
  proto: number = 0,
): [Socket, Socket] {
  if (WINDOWS) return loopbackSocketpair(family, type, proto);
  const c = libc();
  const fds = new Int32Array(2);
  check(c.socketpair(family, type | SOCK_CLOEXEC, proto, fds));
  const cloexecDone = abi.socket.hasSockFlags;
  try {
    adoptNewFd(fds[0]!, cloexecDone);
  } catch (e) {
    c.close(fds[1]!);
    throw e;
  }
  try {
    adoptNewFd(fds[1]!, cloexecDone);
  } catch (e) {
    c.close(fds[0]!);
    throw e;
  }
  const a = new Socket(family, type, proto, fds[0]!);
  const b = new Socket(family, type, proto, fds[1]!);
  return [a, b];
}
