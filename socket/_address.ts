/**
 * Python's socket addresses ⇄ sockaddr bytes: CPython's `getsockaddrarg` (hosts
 * through `setipaddr`, in `_resolve.ts`) and `makesockaddr`.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { plainBytes } from "../ffi/bytes.ts";
import {
  decodeInet4,
  decodeInet6,
  decodeUnix,
  encodeInet4,
  encodeInet6,
  encodeUnix,
  HAS_NETLINK,
  sockaddrFamily,
} from "../ffi/sockaddr.ts";
import { pyTypeName } from "../_py/convert.ts";
import { hostAddress } from "./_resolve.ts";
import { formatIPv4, formatIPv6 } from "./inet.ts";
import {
  decodeNetlinkAddress,
  encodeNetlinkAddress,
  type NetlinkAddress,
} from "./_netlink_address.ts";

export type { NetlinkAddress } from "./_netlink_address.ts";

const { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX } = abi.socket.constants;

/** An IPv4 address: `[host, port]`, the host a dotted quad. */
export type IPv4Address = [host: string, port: number];
/** An IPv6 address as the kernel reports it: `[host, port, flowinfo, scopeId]`. */
export type IPv6Address = [host: string, port: number, flowinfo: number, scopeId: number];
/**
 * A socket address, as Python gives it: `[host, port]` for IPv4, `[host, port,
 * flowinfo, scopeId]` for IPv6, a path for Unix sockets (on Linux an abstract name
 * starts with `"\0"`; an unbound Unix socket has the path `""`), `[pid, groups]`
 * for netlink.
 */
export type Address = IPv4Address | IPv6Address | NetlinkAddress | string;
/**
 * An address argument: `[host, port]` for IPv4; `[host, port, flowinfo?, scopeId?]`
 * for IPv6; a path (string or bytes) for Unix sockets; `[pid, groups]` for netlink.
 * A host is a numeric address, `""` (any address), `"<broadcast>"` (IPv4), or a
 * name, resolved with `getaddrinfo` for the socket's family.
 */
export type AddressLike =
  | readonly [host: string, port: number]
  | readonly [pid: number, groups: number]
  | readonly [host: string, port: number, flowinfo: number]
  | readonly [host: string, port: number, flowinfo: number, scopeId: number]
  | string
  | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function integer(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint") return Number(value);
  throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
}

function hostString(host: unknown): string {
  if (typeof host === "string") return host;
  const bytes = host instanceof Uint8Array ? plainBytes(host) : undefined;
  if (bytes !== undefined) return decoder.decode(bytes);
  throw new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host)}`);
}

function port(value: unknown, caller: string): number {
  const n = integer(value);
  if (n < 0 || n > 0xffff) throw new RangeError(`${caller}(): port must be 0-65535.`);
  return n;
}

/**
 * Encodes `address` for a socket of `family` into `out` and returns the sockaddr's
 * length. `caller` names the method in messages, as CPython does (`"bind"`).
 */
export function encodeAddress(
  family: number,
  address: unknown,
  caller: string,
  out: Uint8Array,
): number {
  if (family === AF_UNIX) {
    if (typeof address === "string") return encodeUnix(out, encoder.encode(address));
    // CPython takes any bytes-like path ("y*"), by its real extent.
    const path = plainBytes(address);
    if (path !== undefined) return encodeUnix(out, path);
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(address)}'`);
  }
  if (family === AF_INET) {
    if (!Array.isArray(address)) {
      throw new TypeError(
        `${caller}(): AF_INET address must be tuple, not ${pyTypeName(address)}`,
      );
    }
    if (address.length !== 2) throw new TypeError("AF_INET address must be a pair (host, port)");
    const host = hostString(address[0]);
    const p = port(address[1], caller);
    return encodeInet4(out, hostAddress(host, AF_INET), p);
  }
  if (family === AF_INET6) {
    if (!Array.isArray(address)) {
      throw new TypeError(
        `${caller}(): AF_INET6 address must be tuple, not ${pyTypeName(address)}`,
      );
    }
    if (address.length < 2 || address.length > 4) {
      throw new TypeError(
        "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])",
      );
    }
    const host = hostString(address[0]);
    const p = port(address[1], caller);
    const flowinfo = address.length > 2 ? integer(address[2]) : 0;
    const scopeId = address.length > 3 ? integer(address[3]) : 0;
    if (flowinfo < 0 || flowinfo > 0xfffff) {
      throw new RangeError(`${caller}(): flowinfo must be 0-1048575.`);
    }
    if (scopeId < 0 || scopeId > 0xffffffff) {
      throw new RangeError("Python int too large to convert to C unsigned long");
    }
    return encodeInet6(out, hostAddress(host, AF_INET6), p, flowinfo, scopeId);
  }
  // AF_NETLINK is 0 (AF_UNSPEC) where the platform has none: a bad family there.
  if (HAS_NETLINK && family === AF_NETLINK) return encodeNetlinkAddress(address, caller, out);
  throw new OSError(`${caller}(): bad family`);
}

/**
 * Decodes a sockaddr of `length` bytes, as CPython's `makesockaddr`: `null` when the
 * kernel returned no address (`length` 0) or an address family iomux does not model.
 */
export function decodeAddress(sockaddr: Uint8Array, length: number): Address | null {
  if (length === 0) return null;
  const family = sockaddrFamily(sockaddr, length);
  if (family === AF_INET) {
    const { host, port } = decodeInet4(sockaddr);
    return [formatIPv4(host), port];
  }
  if (family === AF_INET6) {
    const { host, port, flowinfo, scopeId } = decodeInet6(sockaddr);
    return [formatIPv6(host), port, flowinfo, scopeId];
  }
  if (family === AF_UNIX) return decoder.decode(decodeUnix(sockaddr, length));
  if (HAS_NETLINK && family === AF_NETLINK) return decodeNetlinkAddress(sockaddr);
  return null;
}

/** Python's `str()` of an address tuple or path, for `Socket.toString()`. */
export function formatAddress(address: Address): string {
  if (typeof address === "string") return pyRepr(address);
  return `(${
    address.map((part) => typeof part === "string" ? pyRepr(part) : String(part)).join(", ")
  })`;
}

function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return quote + out + quote;
}
