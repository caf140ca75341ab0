/**
 * The libc symbol table: every function iomux calls, declared once, in C types
 * (see {@linkcode CType}). The `Libc` type of `libc.ts` is derived from it, and
 * {@linkcode symbolsFor} resolves it for one platform into the native notation
 * that every backend translates generically.
 *
 * To add a libc function: add it to this table, or to the part of it for its area
 * (sockets in `_symbols_socket.ts`, host names in `_symbols_netdb.ts`, the device
 * toolkit in `_symbols_devices.ts`), and nowhere else.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { CType, NativeSpec, NativeType, SymbolSpec } from "./types.ts";
import { DEVICE_SYMBOLS } from "./_symbols_devices.ts";
import { NETDB_SYMBOLS } from "./_symbols_netdb.ts";
import { SOCKET_SYMBOLS } from "./_symbols_socket.ts";

/**
 * `kqueue(2)` and `kevent(2)`: in libc on macOS and FreeBSD, in a separately
 * loaded libkqueue on Linux (see `kqueue_lib.ts`). `struct timespec` is passed by
 * pointer, so the table is the same on every platform.
 */
export const KQUEUE_SYMBOLS = {
  kqueue: { parameters: [], result: "int" },
  kevent: {
    parameters: [
      "int", // int kq
      "void * | NULL", // const struct kevent *changelist
      "int", // int nchanges
      "void * | NULL", // struct kevent *eventlist
      "int", // int nevents
      "void * | NULL", // const struct timespec *timeout
    ],
    result: "int",
  },
} as const satisfies Readonly<Record<string, SymbolSpec>>;

/**
 * libc as iomux uses it. Every `int` function returns -1 and sets errno on failure.
 * ssize_t results are read as `int`: iomux never asks for more than 0x7ffff000
 * bytes (Linux's own `MAX_RW_COUNT`), and the low half of the register is exact.
 */
export const LIBC_SYMBOLS = {
  select: {
    parameters: [
      "int", // int nfds
      "void * | NULL", // fd_set *readfds
      "void * | NULL", // fd_set *writefds
      "void * | NULL", // fd_set *exceptfds
      "void * | NULL", // struct timeval *timeout
    ],
    result: "int",
  },
  poll: {
    parameters: [
      "void * | NULL", // struct pollfd *fds
      "nfds_t", // nfds_t nfds
      "int", // int timeout
    ],
    result: "int",
  },
  // The same poll(2), run on a worker thread: the waiting thread of _wait/poll_set.ts.
  // `fds` must not be touched until the Promise settles; on -1, repeat the call
  // synchronously with timeout 0 to learn errno.
  poll_async: {
    name: "poll",
    parameters: [
      "void *", // struct pollfd *fds
      "nfds_t", // nfds_t nfds
      "int", // int timeout
    ],
    result: "int",
    nonblocking: true,
    optional: true,
  },
  // The same epoll_wait(2), run on a worker thread: the waiting thread of
  // _wait/epoll_set.ts (same rules as poll_async).
  epoll_wait_async: {
    name: "epoll_wait",
    parameters: [
      "int", // int epfd
      "void *", // struct epoll_event *events
      "int", // int maxevents
      "int", // int timeout
    ],
    result: "int",
    nonblocking: true,
    optional: true,
  },
  kqueue: { ...KQUEUE_SYMBOLS.kqueue, optional: true },
  kevent: { ...KQUEUE_SYMBOLS.kevent, optional: true },
  epoll_create1: { parameters: ["int" /* int flags */], result: "int", optional: true },
  epoll_ctl: {
    parameters: [
      "int", // int epfd
      "int", // int op
      "int", // int fd
      "void *", // struct epoll_event *event
    ],
    result: "int",
    optional: true,
  },
  epoll_wait: {
    parameters: [
      "int", // int epfd
      "void *", // struct epoll_event *events
      "int", // int maxevents
      "int", // int timeout
    ],
    result: "int",
    optional: true,
  },
  eventfd: {
    parameters: ["unsigned int", /* unsigned int initval */ "int" /* int flags */],
    result: "int",
    optional: true,
  },
  pipe: { parameters: ["void *" /* int fds[2] */], result: "int" },
  pipe2: {
    parameters: ["void *", /* int fds[2] */ "int" /* int flags */],
    result: "int",
    optional: true,
  },
  read: {
    parameters: ["int", /* int fd */ "void *", /* void *buf */ "size_t" /* size_t count */],
    result: "int",
  },
  write: {
    parameters: ["int", /* int fd */ "void *", /* const void *buf */ "size_t" /* size_t count */],
    result: "int",
  },
  close: { parameters: ["int" /* int fd */], result: "int" },
  // Read once, with act NULL, to learn whether SIGPIPE is ignored (ffi/libc.ts).
  sigaction: {
    parameters: [
      "int", // int signum
      "void * | NULL", // const struct sigaction *act
      "void * | NULL", // struct sigaction *oldact
    ],
    result: "int",
    optional: true,
  },
  fcntl: {
    parameters: ["int", /* int fd */ "int", /* int cmd */ "int ..." /* int arg */],
    result: "int",
  },
  open: {
    parameters: [
      "void *", // const char *path (NUL-terminated)
      "int", // int flags
      "int ...", // mode_t mode
    ],
    result: "int",
  },
  ...SOCKET_SYMBOLS,
  ...NETDB_SYMBOLS,
  ...DEVICE_SYMBOLS,
  strerror: { parameters: ["int" /* int errnum */], result: "char *" },
  // Windows only (ws2_32.dll): a socket is closed and made non-blocking with these,
  // not with close(2) and fcntl(2).
  closesocket: { parameters: ["int" /* SOCKET s */], result: "int", optional: true },
  ioctlsocket: {
    parameters: ["int", /* SOCKET s */ "int", /* long cmd */ "void *" /* u_long *argp */],
    result: "int",
    optional: true,
  },
} as const satisfies Readonly<Record<string, SymbolSpec>>;

/** The C symbol a table entry binds on this platform (`select$1050` on Intel macOS). */
export function symbolName(key: string, spec: SymbolSpec, abi: Abi): string {
  const c = spec.name ?? key;
  return abi.symbolNames[c] ?? c;
}

/** The native types one C parameter type takes on this platform. */
function nativeParameters(type: CType, abi: Abi): NativeType[] {
  switch (type) {
    case "int":
      return ["i32"];
    case "unsigned int":
    case "socklen_t":
      return ["u32"];
    case "size_t":
    case "uintptr_t":
      return ["usize"];
    case "nfds_t":
      return [abi.nfdsBytes === 8 ? "u64" : "u32"];
    case "int ...":
      // Apple arm64 passes variadic arguments on the stack: fill x0–x7 with padding
      // so that the variadic argument is the first stack slot (see abi/darwin.ts).
      return abi.variadicPadding > 0
        ? new Array<NativeType>(abi.variadicPadding + 1).fill("i64")
        : ["i32"];
    case "void * ...":
      return [...new Array<NativeType>(abi.variadicPadding).fill("i64"), "buffer"];
    case "void *":
    case "void * | NULL":
      return ["buffer"];
  }
}

/** Resolves a table for one platform: native types and the C symbol names. */
export function resolveTable(
  table: Readonly<Record<string, SymbolSpec>>,
  abi: Abi,
): Record<string, NativeSpec> {
  const out: Record<string, NativeSpec> = {};
  for (const [key, spec] of Object.entries(table)) {
    const name = symbolName(key, spec, abi);
    out[key] = {
      parameters: spec.parameters.flatMap((t) => nativeParameters(t, abi)),
      result: spec.result === "char *" ? "pointer" : "i32",
      ...(name === key ? {} : { name }),
      ...(spec.optional ? { optional: true } : {}),
      ...(spec.nonblocking ? { nonblocking: true } : {}),
    };
  }
  return out;
}

/** The libc table for one platform, with its errno function (`() -> int *`). */
export function symbolsFor(abi: Abi): Record<string, NativeSpec> {
  return {
    ...resolveTable(LIBC_SYMBOLS, abi),
    [abi.errnoFunction]: { parameters: [], result: "pointer" },
  };
}
