/**
 * The `socket` module's `netdb.h` constants (`AI_*`, `NI_*`, `EAI_*`) with this
 * platform's values; a name the platform lacks is 0.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const c = abi.netdb.constants;

/** `getaddrinfo` flag: addresses to `bind` to (a `null` host is the wildcard address). */
export const AI_PASSIVE: number = c.AI_PASSIVE;
/** `getaddrinfo` flag: fill in the canonical name of the first result. */
export const AI_CANONNAME: number = c.AI_CANONNAME;
/** `getaddrinfo` flag: the host must be a numeric address (no lookup). */
export const AI_NUMERICHOST: number = c.AI_NUMERICHOST;
/** `getaddrinfo` flag: the port must be numeric (no service lookup). */
export const AI_NUMERICSERV: number = c.AI_NUMERICSERV;
/** `getaddrinfo` flag: IPv4-mapped IPv6 addresses when no IPv6 one exists. */
export const AI_V4MAPPED: number = c.AI_V4MAPPED;
/** `getaddrinfo` flag: with `AI_V4MAPPED`, IPv6 and IPv4-mapped addresses. */
export const AI_ALL: number = c.AI_ALL;
/** `getaddrinfo` flag: only families the host has an address in. */
export const AI_ADDRCONFIG: number = c.AI_ADDRCONFIG;
/** `getaddrinfo`'s default flags on the BSDs (`AI_V4MAPPED_CFG | AI_ADDRCONFIG`; 0 elsewhere). */
export const AI_DEFAULT: number = c.AI_DEFAULT;
/** The `getaddrinfo` flags the BSDs accept (0 elsewhere). */
export const AI_MASK: number = c.AI_MASK;
/** `getnameinfo` flag: the numeric host, no reverse lookup. */
export const NI_NUMERICHOST: number = c.NI_NUMERICHOST;
/** `getnameinfo` flag: the numeric port, no service name. */
export const NI_NUMERICSERV: number = c.NI_NUMERICSERV;
/** `getnameinfo` flag: only the host part of a local name. */
export const NI_NOFQDN: number = c.NI_NOFQDN;
/** `getnameinfo` flag: fail when the host has no name. */
export const NI_NAMEREQD: number = c.NI_NAMEREQD;
/** `getnameinfo` flag: the service is a datagram (UDP) one. */
export const NI_DGRAM: number = c.NI_DGRAM;
/** The longest host name `getnameinfo` returns, NUL included. */
export const NI_MAXHOST: number = c.NI_MAXHOST;
/** The longest service name `getnameinfo` returns, NUL included. */
export const NI_MAXSERV: number = c.NI_MAXSERV;
/** `gaierror` code: the host has no address in the requested family (0 on Windows). */
export const EAI_ADDRFAMILY: number = c.EAI_ADDRFAMILY;
/** `gaierror` code: a temporary failure of the name server. */
export const EAI_AGAIN: number = c.EAI_AGAIN;
/** `gaierror` code: invalid `AI_*`/`NI_*` flags. */
export const EAI_BADFLAGS: number = c.EAI_BADFLAGS;
/** `gaierror` code: a non-recoverable failure of the name server. */
export const EAI_FAIL: number = c.EAI_FAIL;
/** `gaierror` code: the address family is not supported. */
export const EAI_FAMILY: number = c.EAI_FAMILY;
/** `gaierror` code: out of memory. */
export const EAI_MEMORY: number = c.EAI_MEMORY;
/** `gaierror` code: the host exists but has no address. */
export const EAI_NODATA: number = c.EAI_NODATA;
/** `gaierror` code: the name or service is not known. */
export const EAI_NONAME: number = c.EAI_NONAME;
/** `gaierror` code: a result buffer was too small (0 on Windows). */
export const EAI_OVERFLOW: number = c.EAI_OVERFLOW;
/** `gaierror` code: the service is not available for the socket type. */
export const EAI_SERVICE: number = c.EAI_SERVICE;
/** `gaierror` code: the socket type is not supported. */
export const EAI_SOCKTYPE: number = c.EAI_SOCKTYPE;
/** `getaddrinfo`'s code for a system error, raised as the `OSError` of errno (0 on Windows). */
export const EAI_SYSTEM: number = c.EAI_SYSTEM;
/** `gaierror` code (BSD): invalid hints (0 elsewhere). */
export const EAI_BADHINTS: number = c.EAI_BADHINTS;
/** `gaierror` code (BSD): the protocol is unknown (0 elsewhere). */
export const EAI_PROTOCOL: number = c.EAI_PROTOCOL;
/** One more than the largest `EAI_*` code (BSD; 0 elsewhere). */
export const EAI_MAX: number = c.EAI_MAX;
