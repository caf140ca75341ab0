/**
 * The host-name calls of the libc table (`symbols.ts` spreads them into
 * `LIBC_SYMBOLS`): `getaddrinfo` (blocking, and its off-thread twin),
 * `freeaddrinfo`, `getnameinfo`, `gai_strerror`, and the two reads of memory libc
 * allocated (`ffi/memory.ts`). A file of its own because these calls follow rules of
 * their own: they return an `EAI_*` code rather than -1 and errno, and they pass
 * libc's pointers as integers.
 *
 * @module
 */
import type { SymbolSpec } from "./types.ts";

/** `netdb.h`'s calls and the memory reads behind their results, in C types. */
export const NETDB_SYMBOLS = {
  // Host names (netdb.h). Each returns 0 or an EAI_* code (not -1 and errno); the
  // result list is read through read_memory and released with freeaddrinfo.
  getaddrinfo: {
    parameters: [
      "void * | NULL", // const char *node (NUL-terminated)
      "void * | NULL", // const char *service (NUL-terminated)
      "void *", // const struct addrinfo *hints
      "void *", // struct addrinfo **res (one pointer-sized cell)
    ],
    result: "int",
  },
  // The same getaddrinfo, run on a worker thread (getaddrinfoAsync): the buffers must
  // not be touched until the Promise settles; EAI_SYSTEM's errno is lost with the thread.
  getaddrinfo_async: {
    name: "getaddrinfo",
    parameters: [
      "void * | NULL", // const char *node
      "void * | NULL", // const char *service
      "void *", // const struct addrinfo *hints
      "void *", // struct addrinfo **res
    ],
    result: "int",
    nonblocking: true,
    optional: true,
  },
  // void freeaddrinfo(struct addrinfo *res): the pointer getaddrinfo left in *res,
  // passed as the integer it was read as (every supported ABI passes both alike).
  freeaddrinfo: { parameters: ["uintptr_t" /* struct addrinfo *res */], result: "int" },
  // The buffer lengths are socklen_t in glibc and macOS, size_t in FreeBSD, DWORD in
  // Winsock: passed in a full register, each callee reads its own width.
  getnameinfo: {
    parameters: [
      "void *", // const struct sockaddr *addr
      "socklen_t", // socklen_t addrlen
      "void *", // char *host
      "size_t", // socklen_t hostlen
      "void *", // char *serv
      "size_t", // socklen_t servlen
      "int", // int flags
    ],
    result: "int",
  },
  gai_strerror: { parameters: ["int" /* int errcode */], result: "char *", optional: true },
  // memcpy from memory libc owns (a getaddrinfo result), its address an integer;
  // with strlen, the only way iomux reads memory it did not allocate.
  read_memory: {
    name: "memcpy",
    parameters: [
      "void *", // void *dest (iomux's buffer, at least n bytes)
      "uintptr_t", // const void *src
      "size_t", // size_t n
    ],
    result: "int",
  },
  strlen_at: { name: "strlen", parameters: ["uintptr_t" /* const char *s */], result: "int" },
} as const satisfies Readonly<Record<string, SymbolSpec>>;
