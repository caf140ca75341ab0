/**
 * A socket's Python `repr`, for `Socket.toString()` and for the ResourceWarning a
 * socket collected while open prints: both need nothing but the fd and its numbers.
 *
 * @module
 */
import { libc } from "../ffi/libc.ts";
import { type Address, decodeAddress, formatAddress } from "./_address.ts";
import { check, scratchAddress, scratchLength } from "./_syscall.ts";

/** `socket.socket.__repr__` (Lib/socket.py), the addresses read by `laddr` and `raddr`. */
export function socketRepr(
  fd: number,
  family: number,
  type: number,
  proto: number,
  laddr: () => Address,
  raddr: () => Address,
): string {
  const closed = fd === -1;
  let text = `<socket.socket${closed ? " [closed]" : ""} fd=${fd}, family=${family}, ` +
    `type=${type}, proto=${proto}`;
  if (!closed) {
    for (const [label, read] of [["laddr", laddr], ["raddr", raddr]] as const) {
      try {
        const address = read();
        if (address !== "") text += `, ${label}=${formatAddress(address)}`;
      } catch {
        // Python leaves out what getsockname/getpeername cannot tell.
      }
    }
  }
  return text + ">";
}

/** The repr a finalizer prints; a closure over these numbers only, never the socket. */
export function describer(family: number, type: number, proto: number): (fd: number) => string {
  return (fd) =>
    socketRepr(
      fd,
      family,
      type,
      proto,
      () => nameOf(fd, libc().getsockname),
      () => nameOf(fd, libc().getpeername),
    );
}

/** `getsockname` or `getpeername`, as `Libc` has them. */
export type NameCall = (fd: number, addr: Uint8Array, len: Uint32Array) => number;

/** The address `call` reports for `fd` (`""` when the kernel gives none). */
export function nameOf(fd: number, call: NameCall): Address {
  scratchAddress.fill(0);
  scratchLength[0] = scratchAddress.length;
  check(call(fd, scratchAddress, scratchLength));
  return decodeAddress(scratchAddress, scratchLength[0]!) ?? "";
}
