/**
 * `struct sockaddr_in`, `sockaddr_in6`, `sockaddr_un` and (Linux) `sockaddr_nl` as
 * bytes, laid out from this platform's ABI table. Linux starts every sockaddr with a two-byte `sa_family`; the
 * BSDs with a one-byte `sa_len` and a one-byte `sa_family`. Everything after those two
 * bytes sits at the same offset on every platform iomux supports.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "./abi.ts";
import { byteLengthOf } from "./bytes.ts";

const { sockaddrHasLen, sockaddrNl, sunPathSize } = abi.socket;
const { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, AF_UNSPEC } = abi.socket.constants;

/** `sizeof(struct sockaddr_storage)`: big enough for any address iomux reads. */
export const SOCKADDR_STORAGE_SIZE = 128;
/** `sizeof(struct sockaddr_in)`. */
export const SOCKADDR_IN_SIZE = 16;
/** `sizeof(struct sockaddr_in6)`. */
export const SOCKADDR_IN6_SIZE = 28;
/** `offsetof(struct sockaddr_un, sun_path)`. */
export const SUN_PATH_OFFSET = 2;

/** An IPv4 address as the kernel reports it. */
export interface Inet4Sockaddr {
  /** The four address bytes, most significant first. */
  readonly host: Uint8Array;
  readonly port: number;
}

/** An IPv6 address as the kernel reports it. */
export interface Inet6Sockaddr {
  /** The sixteen address bytes, most significant first. */
  readonly host: Uint8Array;
  readonly port: number;
  readonly flowinfo: number;
  readonly scopeId: number;
}

function writeHeader(out: Uint8Array, family: number, length: number): void {
  if (sockaddrHasLen) {
    out[0] = length;
    out[1] = family;
  } else {
    out[0] = family & 0xff;
    out[1] = family >> 8;
  }
}

/** The address family of a sockaddr the kernel filled in (`AF_UNSPEC` if too short). */
export function sockaddrFamily(sockaddr: Uint8Array, length: number): number {
  if (length < 2) return AF_UNSPEC;
  return sockaddrHasLen ? sockaddr[1]! : sockaddr[0]! | (sockaddr[1]! << 8);
}

/** Writes a `sockaddr_in` into `out` (zeroed first) and returns its length. */
export function encodeInet4(out: Uint8Array, host: Uint8Array, port: number): number {
  out.fill(0, 0, SOCKADDR_IN_SIZE);
  writeHeader(out, AF_INET, SOCKADDR_IN_SIZE);
  out[2] = port >> 8;
  out[3] = port & 0xff;
  out.set(host.subarray(0, 4), 4);
  return SOCKADDR_IN_SIZE;
}

/** Writes a `sockaddr_in6` into `out` (zeroed first) and returns its length. */
export function encodeInet6(
  out: Uint8Array,
  host: Uint8Array,
  port: number,
  flowinfo: number,
  scopeId: number,
): number {
  out.fill(0, 0, SOCKADDR_IN6_SIZE);
  writeHeader(out, AF_INET6, SOCKADDR_IN6_SIZE);
  const view = new DataView(out.buffer, out.byteOffset, SOCKADDR_IN6_SIZE);
  view.setUint16(2, port, false);
  // sin6_flowinfo is in network byte order (CPython applies htonl), sin6_scope_id in host order.
  view.setUint32(4, flowinfo, false);
  out.set(host.subarray(0, 16), 8);
  view.setUint32(24, scopeId, true);
  return SOCKADDR_IN6_SIZE;
}

/**
 * Writes a `sockaddr_un` into `out` and returns its length, as CPython computes it:
 * a regular path is NUL-terminated and must leave room for the NUL; on Linux a path
 * that is empty or starts with NUL is an abstract name and is passed as is.
 *
 * @throws {OSError} `"AF_UNIX path too long"`, CPython's message.
 */
export function encodeUnix(out: Uint8Array, path: Uint8Array): number {
  // The size the kernel is told comes from the intrinsic extent, never `.length`.
  const size = byteLengthOf(path);
  const abstract = abi.os === "linux" && (size === 0 || path[0] === 0);
  if (abstract ? size > sunPathSize : size >= sunPathSize) {
    throw new OSError("AF_UNIX path too long");
  }
  const length = SUN_PATH_OFFSET + size + (abstract ? 0 : 1);
  out.fill(0, 0, SUN_PATH_OFFSET + sunPathSize);
  writeHeader(out, AF_UNIX, length);
  out.set(path, SUN_PATH_OFFSET);
  return length;
}

/** Reads a `sockaddr_in`. */
export function decodeInet4(sockaddr: Uint8Array): Inet4Sockaddr {
  return { host: sockaddr.slice(4, 8), port: (sockaddr[2]! << 8) | sockaddr[3]! };
}

/** Reads a `sockaddr_in6`. */
export function decodeInet6(sockaddr: Uint8Array): Inet6Sockaddr {
  const view = new DataView(sockaddr.buffer, sockaddr.byteOffset, SOCKADDR_IN6_SIZE);
  return {
    host: sockaddr.slice(8, 24),
    port: view.getUint16(2, false),
    flowinfo: view.getUint32(4, false),
    scopeId: view.getUint32(24, true),
  };
}

/**
 * The path bytes of a `sockaddr_un` of `length` bytes, as CPython reads them: on Linux
 * a name that starts with NUL is abstract and kept whole (NULs included); otherwise the
 * path ends at the first NUL. An unbound socket gives an empty path.
 */
export function decodeUnix(sockaddr: Uint8Array, length: number): Uint8Array {
  const end = Math.min(Math.max(length, SUN_PATH_OFFSET), SUN_PATH_OFFSET + sunPathSize);
  const path = sockaddr.subarray(SUN_PATH_OFFSET, end);
  if (abi.os === "linux" && path.length > 0 && path[0] === 0) return path.slice();
  const nul = path.indexOf(0);
  return path.slice(0, nul < 0 ? path.length : nul);
}

/** Whether this platform has `AF_NETLINK` (its ABI table gives `struct sockaddr_nl`). */
export const HAS_NETLINK: boolean = sockaddrNl !== null;

/** A netlink address as the kernel reports it. */
export interface NetlinkSockaddr {
  /** `nl_pid`: the socket's port id (0 for the kernel). */
  readonly pid: number;
  /** `nl_groups`: the multicast group mask. */
  readonly groups: number;
}

/**
 * Writes a `sockaddr_nl` into `out` (zeroed first) and returns its length.
 * `pid` and `groups` are already unsigned 32-bit values.
 */
export function encodeNetlink(out: Uint8Array, pid: number, groups: number): number {
  const layout = sockaddrNl!;
  out.fill(0, 0, layout.size);
  writeHeader(out, AF_NETLINK, layout.size);
  // nl_pid and nl_groups are __u32 in host byte order (linux/netlink.h); every
  // target iomux supports is little-endian, as sin6_scope_id above assumes.
  const view = new DataView(out.buffer, out.byteOffset, layout.size);
  view.setUint32(layout.pid, pid, true);
  view.setUint32(layout.groups, groups, true);
  return layout.size;
}

/** Reads a `sockaddr_nl`. */
export function decodeNetlink(sockaddr: Uint8Array): NetlinkSockaddr {
  const layout = sockaddrNl!;
  const view = new DataView(sockaddr.buffer, sockaddr.byteOffset, layout.size);
  return {
    pid: view.getUint32(layout.pid, true),
    groups: view.getUint32(layout.groups, true),
  };
}
