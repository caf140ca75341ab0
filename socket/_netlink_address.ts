/**
 * Netlink addresses, `[pid, groups]`: the `AF_NETLINK` branch of CPython's
 * `getsockaddrarg` (`Modules/socketmodule.c`), which parses the pair with the `"II"`
 * format (each an unsigned int, masked to 32 bits, never range-checked), and of
 * `makesockaddr`, which gives it back as `(nl_pid, nl_groups)`.
 *
 * @module
 */
import { decodeNetlink, encodeNetlink } from "../ffi/sockaddr.ts";
import { pyTypeName, uintBitwise } from "../_py/convert.ts";

/** A netlink address: `[pid, groups]`, as Python's `(pid, groups)`. */
export type NetlinkAddress = [pid: number, groups: number];

/**
 * Encodes a netlink address argument into `out` and returns the sockaddr's length,
 * with CPython's errors in CPython's order: not a tuple (here an array), then not a
 * pair, then each item that is not an integer.
 */
export function encodeNetlinkAddress(address: unknown, caller: string, out: Uint8Array): number {
  if (!Array.isArray(address)) {
    throw new TypeError(
      `${caller}(): AF_NETLINK address must be tuple, not ${pyTypeName(address)}`,
    );
  }
  if (address.length !== 2) {
    throw new TypeError("AF_NETLINK address must be a pair (pid, groups)");
  }
  const pid = uintBitwise(address[0]);
  const groups = uintBitwise(address[1]);
  return encodeNetlink(out, pid, groups);
}

/** Decodes a `sockaddr_nl` the kernel filled in. */
export function decodeNetlinkAddress(sockaddr: Uint8Array): NetlinkAddress {
  const { pid, groups } = decodeNetlink(sockaddr);
  return [pid, groups];
}
