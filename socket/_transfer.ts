/**
 * What `Socket`'s recv and send methods share: their argument converters, the
 * scratch buffer that `recv` reads into, and the full path of each, which every case
 * outside the one-call fast path takes (flags, timeouts, views other than a plain
 * `Uint8Array`, EINTR's retry). The full paths are functions of their own so that
 * the methods' fast paths capture nothing: a closure in the same function would make
 * every call allocate a context for the variables it captures.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { byteLengthOf, bytesFrom, plainBytes } from "../ffi/bytes.ts";
import { libc } from "../ffi/libc.ts";
import { bytesOf } from "../os/_fd.ts";
import { argInt, pyTypeName, ssizeArg } from "../_py/convert.ts";
import { ValueError } from "../_plain_errors.ts";
import {
  deadlineAfter,
  MAX_IO,
  scratchAddress,
  scratchLength,
  SEND_FLAGS,
  socketCall,
} from "./_syscall.ts";

/** SOCK_STREAM, whose recv with no flags is read(2) (`Libc.streamRecv`). */
export const SOCK_STREAM: number = abi.socket.constants.SOCK_STREAM;

/** `Py_ssize_t`'s `"n"` converter, as recv's `bufsize` and recv_into's `nbytes` take it. */
export const nbytesArgument: (value: unknown) => number = ssizeArg;

/**
 * The caller's buffer for `recv_into`/`recvfrom_into`, its extent from
 * `ffi/bytes.ts`; anything else is the `"w*"` format's `TypeError`
 * (`Python/getargs.c` `converterr`, which names `None` as `None`).
 */
export function writableBytes(method: string, buffer: unknown): Uint8Array {
  const bytes = plainBytes(buffer);
  if (bytes === undefined) {
    const type = buffer === null || buffer === undefined ? "None" : pyTypeName(buffer);
    throw new TypeError(`${method}() argument 1 must be read-write bytes-like object, not ${type}`);
  }
  return bytes;
}

/**
 * Where `recv`/`recvFrom` read up to 64 KiB: one buffer, reused, so that a
 * `recv(65536)` costs a copy of what arrived, not a fresh zeroed 64 KiB array
 * (which was a fifth of an echo server's CPU). Nothing runs between the system
 * call and the copy, so one buffer serves every socket.
 */
export const scratch: Uint8Array = new Uint8Array(65536);

/** `scratch` for up to 64 KiB, else a new array of `size` (at most `MAX_IO`). */
export function receiveBuffer(size: number): Uint8Array {
  return size <= scratch.length
    ? scratch.subarray(0, size)
    : new Uint8Array(Math.min(size, MAX_IO));
}

/** `recvfrom(2)` into `buffer`, the sender's address left in the scratch sockaddr. */
export function recvFrom(
  fd: number,
  timeout: number | null,
  buffer: Uint8Array,
  size: number,
  flags: number,
): number {
  const c = libc();
  return socketCall(fd, timeout, false, () => {
    scratchLength[0] = scratchAddress.length;
    return c.recvfrom(fd, buffer, size, flags, scratchAddress, scratchLength);
  });
}

/** recv's full path: flags, a timeout, more than 64 KiB, EINTR. */
export function recvFull(
  fd: number,
  timeout: number | null,
  size: number,
  flags: number,
): Uint8Array {
  const c = libc();
  const buffer = receiveBuffer(size);
  const got = socketCall(fd, timeout, false, () => c.recv(fd, buffer, buffer.length, flags));
  return buffer.buffer !== scratch.buffer && got === buffer.length ? buffer : buffer.slice(0, got);
}

/** recv_into's full path: every buffer, nbytes and flags, a timeout, EINTR. */
export function recvIntoFull(
  fd: number,
  timeout: number | null,
  buffer: unknown,
  nbytes: unknown,
  flags: unknown,
): number {
  const c = libc();
  const view = writableBytes("recv_into", buffer);
  const capacity = byteLengthOf(view);
  let size = nbytesArgument(nbytes);
  const f = argInt(flags);
  if (size < 0) throw new ValueError("negative buffersize in recv_into");
  if (size === 0) size = capacity;
  if (size > capacity) throw new ValueError("buffer too small for requested bytes");
  if (size === 0) return 0;
  const n = Math.min(size, MAX_IO);
  return socketCall(fd, timeout, false, () => c.recv(fd, view, n, f));
}

/** send's full path: every bytes-like value and flags, a timeout, EINTR. */
export function sendFull(
  fd: number,
  timeout: number | null,
  data: unknown,
  flags: unknown,
): number {
  const c = libc();
  const bytes = bytesOf(data);
  const f = argInt(flags) | SEND_FLAGS;
  const n = Math.min(byteLengthOf(bytes), MAX_IO);
  return socketCall(fd, timeout, true, () => c.send(fd, bytes, n, f));
}

/** sendall's loop from `offset` (what a fast first send already took). */
export function sendAllFull(
  fd: number,
  timeout: number | null,
  data: unknown,
  flags: unknown,
  offset: number,
): void {
  const c = libc();
  const bytes = bytesOf(data);
  const total = byteLengthOf(bytes);
  const f = argInt(flags) | SEND_FLAGS;
  // The timeout bounds the whole call, not each send (Python 3.5+).
  const deadline = timeout ? deadlineAfter(timeout) : null;
  do {
    // Not bytes.subarray(offset): that would follow Symbol.species.
    const rest = bytesFrom(bytes, offset);
    const n = Math.min(total - offset, MAX_IO);
    offset += socketCall(fd, timeout, true, () => c.send(fd, rest, n, f), deadline);
  } while (offset < total);
}
