/**
 * The byte calls of a {@linkcode SocketBase} that carry an address with the bytes:
 * `recvfrom`, `recvfrom_into` and `sendto` (CPython's `Modules/socketmodule.c`
 * `sock_recvfrom`, `sock_recvfrom_into`, `sock_sendto`), used mostly on datagram
 * sockets. They have no one-call fast path; they are functions called by `Socket`'s
 * methods, as `_msg.ts`'s are, so that `socket.ts` holds the methods and the fast
 * paths of `recv`, `recvInto`, `send` and `sendAll`.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { byteLengthOf, bytesFrom } from "../ffi/bytes.ts";
import { libc } from "../ffi/libc.ts";
import { bytesOf } from "../os/_fd.ts";
import { argInt } from "../_py/convert.ts";
import { type Address, type AddressLike, decodeAddress, encodeAddress } from "./_address.ts";
import { MAX_IO, scratchAddress, scratchLength, SEND_FLAGS, socketCall } from "./_syscall.ts";
import { nbytesArgument, receiveBuffer, recvFrom, scratch, writableBytes } from "./_transfer.ts";
import type { SocketBase } from "./socket_base.ts";

/** `sock_recvfrom`: at most `bufsize` bytes and the sender's address. */
export function recvfrom(
  sock: SocketBase,
  bufsize: number,
  flags: number,
): [Uint8Array, Address | null] {
  // CPython converts every argument ("n|i") before it checks any value.
  const size = nbytesArgument(bufsize), f = argInt(flags);
  if (size < 0) throw new ValueError("negative buffersize in recvfrom");
  const fd = sock.fileno(), timeout = sock.gettimeout();
  const buffer = receiveBuffer(size);
  const got = recvFrom(fd, timeout, buffer, buffer.length, f);
  const address = decodeAddress(scratchAddress, scratchLength[0]!);
  return [
    buffer.buffer !== scratch.buffer && got === buffer.length ? buffer : buffer.slice(0, got),
    address,
  ];
}

/** `sock_recvfrom_into`: into the caller's buffer, with the sender's address. */
export function recvfromInto(
  sock: SocketBase,
  buffer: ArrayBufferView | ArrayBuffer,
  nbytes: number,
  flags: number,
): [number, Address | null] {
  const fd = sock.fileno(), timeout = sock.gettimeout();
  const view = writableBytes("recvfrom_into", buffer);
  const capacity = byteLengthOf(view);
  // CPython converts every argument ("w*|ni") before it checks any value.
  let size = nbytesArgument(nbytes);
  const f = argInt(flags);
  if (size < 0) throw new ValueError("negative buffersize in recvfrom_into");
  if (size === 0) size = capacity;
  if (size > capacity) {
    throw new ValueError("nbytes is greater than the length of the buffer");
  }
  const got = recvFrom(fd, timeout, view, Math.min(size, MAX_IO), f);
  return [got, decodeAddress(scratchAddress, scratchLength[0]!)];
}

/** `sock_sendto`, once the method has sorted its arguments into flags and address. */
export function sendto(
  sock: SocketBase,
  data: ArrayBufferView | ArrayBuffer,
  flags: number,
  address: AddressLike,
): number {
  const fd = sock.fileno(), timeout = sock.gettimeout(), c = libc();
  // CPython rejects bad data before it looks at the address.
  const checked = bytesOf(data);
  const length = encodeAddress(sock.family, address, "sendto", scratchAddress);
  // The address's getters were caller code: take the extent again after them.
  const bytes = bytesFrom(checked, 0);
  const f = flags | SEND_FLAGS;
  const n = Math.min(byteLengthOf(bytes), MAX_IO);
  return socketCall(fd, timeout, true, () => c.sendto(fd, bytes, n, f, scratchAddress, length));
}
