/**
 * The shape of an ABI table's `netdb` part: `netdb.h`'s constants and the layout of
 * `struct addrinfo`. A file of its own beside `types.ts` because only name
 * resolution, the per-OS values (`netdb.ts`) and `scripts/check_abi_netdb.ts` read
 * this part.
 *
 * @module
 */

/**
 * Byte offsets in `struct addrinfo`. glibc puts `ai_addr` before `ai_canonname`; the
 * BSDs and Windows put `ai_canonname` first (and Windows' `ai_addrlen` is a `size_t`,
 * read here as its low 32 bits).
 */
export interface AddrinfoLayout {
  /** `sizeof(struct addrinfo)`. */
  readonly size: number;
  readonly flags: number;
  readonly family: number;
  readonly socktype: number;
  readonly protocol: number;
  readonly addrlen: number;
  readonly addr: number;
  readonly canonname: number;
  readonly next: number;
}

/** `netdb.h`: what `getaddrinfo` and `getnameinfo` need. */
export interface NetdbAbi {
  /** The `AI_*`, `NI_*` and `EAI_*` values; a name the platform lacks is 0. */
  readonly constants: Readonly<Record<NetdbConstantName, number>>;
  readonly addrinfo: AddrinfoLayout;
  /**
   * The one text of every `gaierror` where CPython has no `gai_strerror` (Windows);
   * absent where libc's `gai_strerror` gives it.
   */
  readonly fixedMessage?: string;
}

/** The `netdb.h` constants iomux exports (CPython's `socket` names). */
export type NetdbConstantName =
  | "AI_PASSIVE"
  | "AI_CANONNAME"
  | "AI_NUMERICHOST"
  | "AI_NUMERICSERV"
  | "AI_V4MAPPED"
  | "AI_ALL"
  | "AI_ADDRCONFIG"
  | "AI_DEFAULT"
  | "AI_MASK"
  | "NI_NUMERICHOST"
  | "NI_NUMERICSERV"
  | "NI_NOFQDN"
  | "NI_NAMEREQD"
  | "NI_DGRAM"
  | "NI_MAXHOST"
  | "NI_MAXSERV"
  | "EAI_ADDRFAMILY"
  | "EAI_AGAIN"
  | "EAI_BADFLAGS"
  | "EAI_FAIL"
  | "EAI_FAMILY"
  | "EAI_MEMORY"
  | "EAI_NODATA"
  | "EAI_NONAME"
  | "EAI_OVERFLOW"
  | "EAI_SERVICE"
  | "EAI_SOCKTYPE"
  | "EAI_SYSTEM"
  | "EAI_BADHINTS"
  | "EAI_PROTOCOL"
  | "EAI_MAX";
