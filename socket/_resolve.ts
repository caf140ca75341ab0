/**
 * A host in an address argument → the 4 or 16 address bytes, as CPython's
 * `setipaddr` (`Modules/socketmodule.c`) does it for `bind`, `connect`,
 * `connect_ex` and `sendto`: `""` is the wildcard address, `"<broadcast>"` (and
 * `"255.255.255.255"`) `INADDR_BROADCAST`, a numeric address is parsed without a
 * lookup, and any other name is resolved with `getaddrinfo(3)` for the socket's
 * family (the first result is used). Non-ASCII names are IDNA-encoded first.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { decodeInet4, decodeInet6, sockaddrFamily } from "../ffi/sockaddr.ts";
import { addrinfoCall, cString, lookup } from "./_addrinfo.ts";
import { parseIPv4, parseIPv6 } from "./inet.ts";

const { AF_INET, AF_INET6, AF_UNSPEC } = abi.socket.constants;
const ANY4 = new Uint8Array(4);
const ANY6 = new Uint8Array(16);
const BROADCAST4 = new Uint8Array([255, 255, 255, 255]);

/**
 * A host name as `getaddrinfo` takes it. Python encodes a `str` host with the `idna`
 * codec; here an ASCII name passes as it is and any other is converted to punycode
 * with the WHATWG URL parser (`new URL("http://" + host).hostname`), which applies
 * UTS #46 rather than Python's IDNA 2003, but agrees for ordinary names.
 */
export function idnaHost(host: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(host)) return host;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    throw new ValueError("encoding with 'idna' codec failed");
  }
}

/**
 * The address bytes of `host` for a socket of `family` (`AF_INET` or `AF_INET6`).
 *
 * @throws {gaierror} The name does not resolve for that family.
 * @throws {OSError} `"address family mismatched"` (`"<broadcast>"` on IPv6).
 */
export function hostAddress(host: string, family: number): Uint8Array {
  // getaddrinfo(NULL, "0", AI_PASSIVE) gives the wildcard address of the family
  // (POSIX: INADDR_ANY, IN6ADDR_ANY_INIT), so "" costs no call.
  if (host === "") return family === AF_INET6 ? ANY6 : ANY4;
  if (host === "255.255.255.255" || host === "<broadcast>") {
    if (family !== AF_INET && family !== AF_UNSPEC) {
      throw new OSError("address family mismatched");
    }
    return BROADCAST4;
  }
  // Numeric addresses are parsed as inet_pton would, without a lookup; an IPv6 scope
  // ("fe80::1%eth0") is left to getaddrinfo, which knows the interface names.
  if (family === AF_INET) {
    const bytes = parseIPv4(host);
    if (bytes !== null) return bytes;
  } else if (!host.includes("%")) {
    const bytes = parseIPv6(host);
    if (bytes !== null) return bytes;
  }
  const [first] = lookup(addrinfoCall(cString(idnaHost(host)), null, family, 0, 0, 0));
  const resolved = first === undefined ? AF_UNSPEC : sockaddrFamily(first.sockaddr, first.addrlen);
  if (resolved === AF_INET) return decodeInet4(first!.sockaddr).host;
  if (resolved === AF_INET6) return decodeInet6(first!.sockaddr).host;
  throw new OSError("unknown address family");
}
