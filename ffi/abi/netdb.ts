/**
 * `netdb.h` per OS: the `AI_*`, `NI_*` and `EAI_*` constants and the layout of
 * `struct addrinfo`, whose `ai_canonname` and `ai_addr` swap places between glibc and
 * the BSDs (Windows follows the BSDs, with a `size_t` `ai_addrlen`). Linux is checked
 * against the headers by `scripts/check_abi_netdb.ts`; the BSD and Windows values
 * follow FreeBSD's `include/netdb.h`, Apple's Libinfo `netdb.h` and the Windows SDK's
 * `ws2def.h`/`ws2tcpip.h`. A name the platform lacks is 0.
 *
 * @module
 */
import type { AddrinfoLayout, NetdbAbi, NetdbConstantName } from "./netdb_types.ts";

/**
 * glibc: `{int ai_flags, ai_family, ai_socktype, ai_protocol; socklen_t ai_addrlen;
 * struct sockaddr *ai_addr; char *ai_canonname; struct addrinfo *ai_next}`, 48 bytes.
 */
const GLIBC_ADDRINFO: AddrinfoLayout = {
  size: 48,
  flags: 0,
  family: 4,
  socktype: 8,
  protocol: 12,
  addrlen: 16,
  addr: 24,
  canonname: 32,
  next: 40,
};

/** FreeBSD, macOS and Windows: `ai_canonname` before `ai_addr`, 48 bytes on 64-bit. */
const BSD_ADDRINFO: AddrinfoLayout = { ...GLIBC_ADDRINFO, canonname: 24, addr: 32 };

/** glibc's `netdb.h` (the `EAI_*` codes are negative). */
const LINUX: Readonly<Record<NetdbConstantName, number>> = {
  AI_PASSIVE: 0x1,
  AI_CANONNAME: 0x2,
  AI_NUMERICHOST: 0x4,
  AI_V4MAPPED: 0x8,
  AI_ALL: 0x10,
  AI_ADDRCONFIG: 0x20,
  AI_NUMERICSERV: 0x400,
  AI_DEFAULT: 0,
  AI_MASK: 0,
  NI_NUMERICHOST: 1,
  NI_NUMERICSERV: 2,
  NI_NOFQDN: 4,
  NI_NAMEREQD: 8,
  NI_DGRAM: 16,
  NI_MAXHOST: 1025,
  NI_MAXSERV: 32,
  EAI_BADFLAGS: -1,
  EAI_NONAME: -2,
  EAI_AGAIN: -3,
  EAI_FAIL: -4,
  EAI_NODATA: -5,
  EAI_FAMILY: -6,
  EAI_SOCKTYPE: -7,
  EAI_SERVICE: -8,
  EAI_ADDRFAMILY: -9,
  EAI_MEMORY: -10,
  EAI_SYSTEM: -11,
  EAI_OVERFLOW: -12,
  EAI_BADHINTS: 0,
  EAI_PROTOCOL: 0,
  EAI_MAX: 0,
};

/** FreeBSD's `include/netdb.h`. */
const FREEBSD: Readonly<Record<NetdbConstantName, number>> = {
  AI_PASSIVE: 0x1,
  AI_CANONNAME: 0x2,
  AI_NUMERICHOST: 0x4,
  AI_NUMERICSERV: 0x8,
  AI_ALL: 0x100,
  AI_ADDRCONFIG: 0x400,
  AI_V4MAPPED: 0x800,
  AI_DEFAULT: 0x600,
  AI_MASK: 0xd0f,
  NI_NOFQDN: 0x1,
  NI_NUMERICHOST: 0x2,
  NI_NAMEREQD: 0x4,
  NI_NUMERICSERV: 0x8,
  NI_DGRAM: 0x10,
  NI_MAXHOST: 1025,
  NI_MAXSERV: 32,
  EAI_ADDRFAMILY: 1,
  EAI_AGAIN: 2,
  EAI_BADFLAGS: 3,
  EAI_FAIL: 4,
  EAI_FAMILY: 5,
  EAI_MEMORY: 6,
  EAI_NODATA: 7,
  EAI_NONAME: 8,
  EAI_SERVICE: 9,
  EAI_SOCKTYPE: 10,
  EAI_SYSTEM: 11,
  EAI_BADHINTS: 12,
  EAI_PROTOCOL: 13,
  EAI_OVERFLOW: 14,
  EAI_MAX: 15,
};

/**
 * Apple's Libinfo `netdb.h`: the `EAI_*` codes are FreeBSD's; `AI_NUMERICSERV` is
 * `0x1000`, and `AI_MASK` includes it.
 */
const DARWIN: Readonly<Record<NetdbConstantName, number>> = {
  ...FREEBSD,
  AI_NUMERICSERV: 0x1000,
  AI_MASK: 0x1407,
};

/**
 * The Windows SDK (`ws2def.h`, `ws2tcpip.h`): the `EAI_*` codes are Winsock errors
 * (`EAI_NONAME` is `WSAHOST_NOT_FOUND`, `EAI_NODATA` the same value); Windows has no
 * `EAI_ADDRFAMILY`, `EAI_SYSTEM` or `EAI_OVERFLOW`.
 */
const WINDOWS: Readonly<Record<NetdbConstantName, number>> = {
  AI_PASSIVE: 0x1,
  AI_CANONNAME: 0x2,
  AI_NUMERICHOST: 0x4,
  AI_NUMERICSERV: 0x8,
  AI_ALL: 0x100,
  AI_ADDRCONFIG: 0x400,
  AI_V4MAPPED: 0x800,
  AI_DEFAULT: 0,
  AI_MASK: 0,
  NI_NOFQDN: 0x1,
  NI_NUMERICHOST: 0x2,
  NI_NAMEREQD: 0x4,
  NI_NUMERICSERV: 0x8,
  NI_DGRAM: 0x10,
  NI_MAXHOST: 1025,
  NI_MAXSERV: 32,
  EAI_AGAIN: 11002, // WSATRY_AGAIN
  EAI_BADFLAGS: 10022, // WSAEINVAL
  EAI_FAIL: 11003, // WSANO_RECOVERY
  EAI_FAMILY: 10047, // WSAEAFNOSUPPORT
  EAI_MEMORY: 8, // WSA_NOT_ENOUGH_MEMORY
  EAI_NODATA: 11001, // EAI_NONAME
  EAI_NONAME: 11001, // WSAHOST_NOT_FOUND
  EAI_SERVICE: 10109, // WSATYPE_NOT_FOUND
  EAI_SOCKTYPE: 10044, // WSAESOCKTNOSUPPORT
  EAI_ADDRFAMILY: 0,
  EAI_SYSTEM: 0,
  EAI_OVERFLOW: 0,
  EAI_BADHINTS: 0,
  EAI_PROTOCOL: 0,
  EAI_MAX: 0,
};

/** glibc on x86_64 and aarch64. */
export const LINUX_NETDB: NetdbAbi = { constants: LINUX, addrinfo: GLIBC_ADDRINFO };
/** macOS on x86_64 and arm64. */
export const DARWIN_NETDB: NetdbAbi = { constants: DARWIN, addrinfo: BSD_ADDRINFO };
/** FreeBSD on amd64 and arm64. */
export const FREEBSD_NETDB: NetdbAbi = { constants: FREEBSD, addrinfo: BSD_ADDRINFO };
/**
 * Windows: no `gai_strerror` in any DLL (the SDK's is an inline `FormatMessage`), and
 * CPython, built without `HAVE_GAI_STRERROR` there, says `"getaddrinfo failed"` for
 * every code (`Modules/socketmodule.c` `set_gaierror`).
 */
export const WINDOWS_NETDB: NetdbAbi = {
  constants: WINDOWS,
  addrinfo: BSD_ADDRINFO,
  fixedMessage: "getaddrinfo failed",
};
