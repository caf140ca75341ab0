/**
 * Python's `socket.getaddrinfo` and `socket.getnameinfo`, through libc's (Winsock's
 * on Windows), with CPython's argument rules (`Modules/socketmodule.c`
 * `socket_getaddrinfo`, `socket_getnameinfo`), and {@linkcode getaddrinfoAsync},
 * the same lookup off the JS thread.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { plainBytes } from "../ffi/bytes.ts";
import { libc } from "../ffi/libc.ts";
import { argInt, uintBitwise } from "../_py/convert.ts";
import { type Address, decodeAddress } from "./_address.ts";
import {
  type AddrinfoCall,
  addrinfoCall,
  cString,
  lookup,
  lookupAsync,
  type RawAddrinfo,
} from "./_addrinfo.ts";
import { idnaHost } from "./_resolve.ts";
import { gaiError } from "./gaierror.ts";

const { AF_INET, AF_INET6, AF_UNSPEC, SOCK_DGRAM } = abi.socket.constants;
const { AI_NUMERICHOST, AI_NUMERICSERV, NI_MAXHOST, NI_MAXSERV } = abi.netdb.constants;

/**
 * One result of {@linkcode getaddrinfo}, Python's 5-tuple: `[family, type, proto,
 * canonname, sockaddr]`; `canonname` is `""` unless `AI_CANONNAME` was asked for,
 * `sockaddr` is `[host, port]` or `[host, port, flowinfo, scopeId]`.
 */
export type AddrInfo = [
  family: number,
  type: number,
  proto: number,
  canonname: string,
  sockaddr: Address,
];

/** A host argument: a name, a numeric address, its bytes, or `null` (Python `None`). */
export type HostArgument = string | Uint8Array | null | undefined;
/** A port argument: a number, a numeric string or service name (`"http"`), or `null`. */
export type PortArgument = number | bigint | string | Uint8Array | null | undefined;

/**
 * `socket_getaddrinfo`'s port: an int as its decimal text, whatever its size (3.12+,
 * gh-74895: the C library judges the range), a str or bytes as is, `None` NULL.
 */
function service(port: unknown): Uint8Array | null {
  if (port === null || port === undefined) return null;
  if (typeof port === "string") {
    // 3.13's PyUnicode_AsUTF8 refuses what C would cut short (gh-111089).
    if (port.includes("\0")) throw new ValueError("embedded null character");
    return cString(port);
  }
  if ((typeof port === "number" && Number.isInteger(port)) || typeof port === "bigint") {
    return cString(BigInt(port).toString());
  }
  const bytes = port instanceof Uint8Array ? plainBytes(port) : undefined;
  if (bytes !== undefined) return cString(bytes);
  throw new OSError("Int or String expected");
}

function node(host: unknown): Uint8Array | null {
  if (host === null || host === undefined) return null;
  if (typeof host === "string") return cString(idnaHost(host));
  const bytes = host instanceof Uint8Array ? plainBytes(host) : undefined;
  if (bytes !== undefined) return cString(bytes);
  throw new TypeError("getaddrinfo() argument 1 must be string or None");
}

function prepare(
  host: unknown,
  port: unknown,
  family: unknown,
  type: unknown,
  proto: unknown,
  flags: unknown,
): AddrinfoCall {
  // "OO|iiii": the ints are converted before host and port are looked at.
  const f = argInt(family), t = argInt(type), p = argInt(proto), fl = argInt(flags);
  const n = node(host);
  let s = service(port);
  // CPython's workaround: getaddrinfo on macOS crashed for AI_NUMERICSERV with a NULL
  // or "0" service.
  if (
    abi.os === "darwin" && (fl & AI_NUMERICSERV) && (s === null || (s[0] === 0x30 && s[1] === 0))
  ) {
    s = cString("00");
  }
  return addrinfoCall(n, s, f, t, p, fl);
}

function results(list: RawAddrinfo[]): AddrInfo[] {
  return list.flatMap((r) => {
    const sockaddr = decodeAddress(r.sockaddr, r.addrlen);
    return sockaddr === null ? [] : [[r.family, r.type, r.proto, r.canonname, sockaddr]];
  });
}

/**
 * Resolves a host and port into the addresses to `connect` or `bind` to, as Python's
 * `socket.getaddrinfo(host, port, family=0, type=0, proto=0, flags=0)`. It blocks the
 * JS thread while the system resolver works (a DNS query can take seconds); use
 * {@linkcode getaddrinfoAsync} in a server.
 *
 * A `str` host is IDNA-encoded as in Python: an ASCII name passes as it is, any other
 * is converted to punycode by the WHATWG URL rules (`new URL("http://" + host)`).
 *
 * @param host A name, a numeric address, or `null` (the wildcard address with
 *   `AI_PASSIVE`, else loopback).
 * @param port A port number, a numeric string, a service name (`"http"`) or `null`.
 * @param family `AF_INET`, `AF_INET6` or 0 (`AF_UNSPEC`, both).
 * @param type `SOCK_STREAM`, `SOCK_DGRAM` or 0 (any).
 * @param proto A protocol number, or 0.
 * @param flags `AI_*` flags.
 * @returns `[family, type, proto, canonname, sockaddr]` for each address, in the
 *   resolver's order.
 * @throws {gaierror} The name or service does not resolve (`[Errno -2] Name or
 *   service not known`).
 * @throws {TypeError} A host that is not a string, bytes or `null`; a non-integer
 *   family, type, proto or flags.
 * @throws {OSError} `"Int or String expected"` for a port of another type.
 *
 * @example Where to connect for localhost
 * ```ts
 * import assert from "node:assert/strict";
 * import { AF_INET, getaddrinfo, IPPROTO_TCP, SOCK_STREAM } from "@iomux/iomux/socket";
 *
 * const [first] = getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM);
 * assert.deepEqual(first, [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 80]]);
 * ```
 */
export function getaddrinfo(
  host: HostArgument,
  port: PortArgument,
  family: number = AF_UNSPEC,
  type: number = 0,
  proto: number = 0,
  flags: number = 0,
): AddrInfo[] {
  return results(lookup(prepare(host, port, family, type, proto, flags)));
}

/**
 * {@linkcode getaddrinfo} off the JS thread: the resolver runs on a worker thread
 * (Deno's `nonblocking` FFI, a worker of iomux's on Node and Bun), so timers, I/O
 * and other promises go on while a DNS query waits. Same arguments, results and
 * errors; argument errors reject the promise. On Windows under Node and Bun the
 * lookup runs on the JS thread.
 *
 * @param host A name, a numeric address, or `null`.
 * @param port A port number, a numeric string, a service name or `null`.
 * @param family `AF_INET`, `AF_INET6` or 0.
 * @param type `SOCK_STREAM`, `SOCK_DGRAM` or 0.
 * @param proto A protocol number, or 0.
 * @param flags `AI_*` flags.
 * @returns The same list as `getaddrinfo`.
 *
 * @example Resolve, then connect without blocking
 * ```ts
 * import assert from "node:assert/strict";
 * import { AF_INET, getaddrinfoAsync, SOCK_STREAM } from "@iomux/iomux/socket";
 *
 * const results = await getaddrinfoAsync("localhost", "http", AF_INET, SOCK_STREAM);
 * const [family, , , , sockaddr] = results[0]!;
 * assert.equal(family, AF_INET);
 * assert.deepEqual(sockaddr, ["127.0.0.1", 80]);
 * ```
 */
export async function getaddrinfoAsync(
  host: HostArgument,
  port: PortArgument,
  family: number = AF_UNSPEC,
  type: number = 0,
  proto: number = 0,
  flags: number = 0,
): Promise<AddrInfo[]> {
  return results(await lookupAsync(prepare(host, port, family, type, proto, flags)));
}

const ILLEGAL = "getnameinfo(): illegal sockaddr argument";

/**
 * Turns a socket address into a host name and a service name, as Python's
 * `socket.getnameinfo(sockaddr, flags)`. The host must be numeric (CPython resolves
 * it with `AI_NUMERICHOST`); the reverse lookup itself may query DNS unless
 * `NI_NUMERICHOST` is given.
 *
 * @param sockaddr `[host, port]` or `[host, port, flowinfo, scopeId]`.
 * @param flags `NI_*` flags.
 * @returns `[host, service]`.
 * @throws {gaierror} The address or port cannot be translated.
 * @throws {TypeError} `"getnameinfo() argument 1 must be a tuple"`,
 *   `"getnameinfo(): illegal sockaddr argument"`.
 * @throws {RangeError} `"getnameinfo(): flowinfo must be 0-1048575."`.
 * @throws {OSError} `"IPv4 sockaddr must be 2 tuple"`.
 *
 * @example Numeric host and service
 * ```ts
 * import assert from "node:assert/strict";
 * import { getnameinfo, NI_NUMERICHOST, NI_NUMERICSERV } from "@iomux/iomux/socket";
 *
 * assert.deepEqual(
 *   getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV),
 *   ["127.0.0.1", "80"],
 * );
 * ```
 */
export function getnameinfo(
  sockaddr: readonly [host: string, port: number, flowinfo?: number, scopeId?: number],
  flags: number,
): [host: string, service: string] {
  const f = argInt(flags);
  if (!Array.isArray(sockaddr)) throw new TypeError("getnameinfo() argument 1 must be a tuple");
  const size = sockaddr.length;
  if (size < 2 || size > 4 || typeof sockaddr[0] !== "string") throw new TypeError(ILLEGAL);
  const host = sockaddr[0];
  if (host.includes("\0")) throw new ValueError("embedded null character");
  const port = argInt(sockaddr[1]);
  const flowinfo = size > 2 ? uintBitwise(sockaddr[2]) : 0;
  const scopeId = size > 3 ? uintBitwise(sockaddr[3]) : 0;
  if (flowinfo > 0xfffff) throw new RangeError("getnameinfo(): flowinfo must be 0-1048575.");
  const call = addrinfoCall(
    cString(host),
    cString(String(port)),
    AF_UNSPEC,
    SOCK_DGRAM,
    0,
    AI_NUMERICHOST,
  );
  const list = lookup(call);
  if (list.length > 1) throw new OSError("sockaddr resolved to multiple addresses");
  const { family, sockaddr: addr, addrlen } = list[0]!;
  if (family === AF_INET && size !== 2) throw new OSError("IPv4 sockaddr must be 2 tuple");
  if (family === AF_INET6) {
    const view = new DataView(addr.buffer);
    view.setUint32(4, flowinfo, false); // sin6_flowinfo = htonl(flowinfo)
    view.setUint32(24, scopeId, true);
  }
  const hostBuffer = new Uint8Array(NI_MAXHOST);
  const serviceBuffer = new Uint8Array(NI_MAXSERV);
  const code = libc().getnameinfo(
    addr,
    addrlen,
    hostBuffer,
    NI_MAXHOST,
    serviceBuffer,
    NI_MAXSERV,
    f,
  );
  if (code !== 0) throw gaiError(code);
  return [untilNul(hostBuffer), untilNul(serviceBuffer)];
}

const decoder = new TextDecoder();

function untilNul(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return decoder.decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}
