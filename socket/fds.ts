/**
 * Python's `socket.send_fds` and `socket.recv_fds` (`Lib/socket.py`): fds passed
 * over a Unix socket as one `SCM_RIGHTS` control message.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { byteLengthOf } from "../ffi/bytes.ts";
import { argInt, pyTypeName } from "../_py/convert.ts";
import type { Address, AddressLike } from "./_address.ts";
import { CMSG_LEN } from "./cmsg.ts";
import { SCM_RIGHTS } from "./constants.ts";
import type { Socket } from "./socket.ts";

const { SOL_SOCKET } = abi.socket.constants;

/** Python's `'int' object is not iterable`, for `array.array("i", fds)`. */
function fdList(fds: unknown): Int32Array {
  const iterator = fds === null || fds === undefined
    ? undefined
    : (fds as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iterator !== "function") {
    throw new TypeError(`'${pyTypeName(fds)}' object is not iterable`);
  }
  if (typeof fds === "string") {
    throw new TypeError("cannot use a str to initialize an array with typecode 'i'");
  }
  return new Int32Array(Array.from(fds as Iterable<unknown>, (fd) => argInt(fd)));
}

/**
 * Sends `fds` with the bytes of `buffers` over a Unix socket, as Python's
 * `socket.send_fds(sock, buffers, fds[, flags[, address]])`: one
 * `sock.sendmsg(buffers, [[SOL_SOCKET, SCM_RIGHTS, fds]], flags, address)`. The peer
 * gets new fds for the same open files; `fds` stay open here.
 *
 * @param sock A Unix socket.
 * @param buffers Bytes-like values (at least one byte, for a stream socket's peer to
 *   see the message).
 * @param fds The fds to pass.
 * @param flags `MSG_*` flags.
 * @param address The destination, for an unconnected datagram socket.
 * @returns How many bytes of `buffers` were sent.
 * @throws {OSError} EBADF when one of `fds` is not open.
 *
 * @example A pipe's write end, passed and used
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 * import { recvFds, sendFds, socketpair } from "@iomux/iomux/socket";
 *
 * const [a, b] = socketpair();
 * const [r, w] = pipe();
 * sendFds(a, [new TextEncoder().encode("w")], [w]);
 * const [msg, [received]] = recvFds(b, 1, 1);
 * assert.equal(new TextDecoder().decode(msg), "w");
 * write(received!, new TextEncoder().encode("hi"));
 * assert.equal(new TextDecoder().decode(read(r, 2)), "hi");
 * [r, w, received!].forEach(close);
 * a.close();
 * b.close();
 * ```
 */
export function sendFds(
  sock: Socket,
  buffers: Iterable<ArrayBufferView | ArrayBuffer>,
  fds: Iterable<number>,
  flags: number = 0,
  address: AddressLike | null = null,
): number {
  const data = fdList(fds);
  return sock.sendmsg(buffers, [[SOL_SOCKET, SCM_RIGHTS, data]], flags, address);
}

/**
 * Receives up to `bufsize` bytes and up to `maxfds` fds, as Python's
 * `socket.recv_fds(sock, bufsize, maxfds[, flags])`. The fds are new, yours to
 * close, and inheritable, as in CPython; fds beyond `maxfds` are not received, and
 * `MSG_CTRUNC` is set in the flags.
 *
 * @param sock A Unix socket.
 * @param bufsize The most data bytes to read.
 * @param maxfds The most fds to receive.
 * @param flags `MSG_*` flags.
 * @returns `[msg, fds, msgFlags, address]`.
 * @throws {RangeError} `"CMSG_LEN() argument out of range"` for a negative `maxfds`.
 *
 * @example Nothing but data
 * ```ts
 * import assert from "node:assert/strict";
 * import { recvFds, socketpair } from "@iomux/iomux/socket";
 *
 * const [a, b] = socketpair();
 * a.send(new Uint8Array([7]));
 * const [msg, fds] = recvFds(b, 10, 4);
 * assert.deepEqual([...msg], [7]);
 * assert.deepEqual(fds, []);
 * a.close();
 * b.close();
 * ```
 */
export function recvFds(
  sock: Socket,
  bufsize: number,
  maxfds: number,
  flags: number = 0,
): [msg: Uint8Array, fds: number[], msgFlags: number, address: Address | null] {
  // `maxfds * fds.itemsize` in Python: a float stays a float, a str repeats.
  if (typeof maxfds === "string" || (typeof maxfds === "number" && !Number.isInteger(maxfds))) {
    throw new TypeError(`'${pyTypeName(maxfds)}' object cannot be interpreted as an integer`);
  }
  if (typeof maxfds !== "number" && typeof maxfds !== "bigint") {
    throw new TypeError(
      `unsupported operand type(s) for *: '${pyTypeName(maxfds)}' and 'int'`,
    );
  }
  // CMSG_LEN(maxfds * fds.itemsize), as Lib/socket.py asks.
  const room = CMSG_LEN(Number(maxfds) * 4);
  const [msg, ancdata, msgFlags, address] = sock.recvmsg(bufsize, room, flags);
  const fds: number[] = [];
  for (const [level, type, data] of ancdata) {
    if (level !== SOL_SOCKET || type !== SCM_RIGHTS) continue;
    // Copied by the intrinsic length, so that no view of it (a subclass's recvmsg) misleads.
    const copy = new Uint8Array(byteLengthOf(data));
    copy.set(data);
    const ints = new DataView(copy.buffer);
    for (let i = 0; i + 4 <= copy.byteLength; i += 4) fds.push(ints.getInt32(i, true));
  }
  return [msg, fds, msgFlags, address];
}
