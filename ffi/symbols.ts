/**
 * The libc symbol table, declared once for every backend. It is written in Deno's
 * `ForeignLibraryInterface` notation because that notation is plain data; the Node
 * and Bun backends translate it. Each parameter carries the C parameter's name.
 *
 * To add a libc function: add it here, add its signature to `Libc` in `libc.ts`.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";

/** A parameter or result type in Deno's notation. */
export type NativeType =
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "isize"
  | "usize"
  | "buffer"
  | "pointer"
  | "void";

/** One symbol: its parameters, its result and whether it may be missing. */
export interface SymbolSpec {
  readonly parameters: readonly NativeType[];
  readonly result: NativeType;
  readonly optional?: boolean;
  /** The C symbol to bind when it differs from the table key (`poll_async` → `poll`). */
  readonly name?: string;
  /**
   * Run the call off the JS thread and return a Promise of the result. Deno: the
   * same flag (its blocking pool). koffi: call `fn.async(...args, callback)` and
   * wrap it in a Promise. Bun has no such call: run the synchronous symbol in a
   * Worker, or leave the symbol out (iomux then refuses the async waits).
   * errno of such a call is lost (it lives on the worker thread).
   */
  readonly nonblocking?: boolean;
}

/**
 * `kqueue(2)` and `kevent(2)`: in libc on macOS and FreeBSD, in a separately
 * loaded libkqueue on Linux (see `kqueue_lib.ts`). `struct timespec` is passed by
 * pointer, so the table is the same on every platform.
 */
export const KQUEUE_SYMBOLS: Readonly<Record<"kqueue" | "kevent", SymbolSpec>> = {
  kqueue: { parameters: [], result: "i32" },
  kevent: {
    parameters: [
      "i32", // int kq
      "buffer", // const struct kevent *changelist
      "i32", // int nchanges
      "buffer", // struct kevent *eventlist
      "i32", // int nevents
      "buffer", // const struct timespec *timeout
    ],
    result: "i32",
  },
};

/** The table for one platform. */
export function symbolsFor(abi: Abi): Record<string, SymbolSpec> {
  const nfds = abi.nfdsBytes === 8 ? "u64" : "u32";
  // Apple arm64 passes variadic arguments on the stack: fill x0–x7 with padding so
  // that the variadic argument is the first stack slot (see abi/darwin.ts).
  const pad = new Array<NativeType>(abi.variadicPadding).fill("i64");
  const variadicInt: NativeType = abi.variadicPadding > 0 ? "i64" : "i32";
  return {
    select: {
      parameters: [
        "i32", // int nfds
        "buffer", // fd_set *readfds
        "buffer", // fd_set *writefds
        "buffer", // fd_set *exceptfds
        "buffer", // struct timeval *timeout
      ],
      result: "i32",
    },
    poll: {
      parameters: [
        "buffer", // struct pollfd *fds
        nfds, // nfds_t nfds
        "i32", // int timeout
      ],
      result: "i32",
    },
    // The same poll(2), run on a worker thread: the waiting thread of _wait/poll_set.ts.
    poll_async: {
      name: "poll",
      parameters: [
        "buffer", // struct pollfd *fds
        nfds, // nfds_t nfds
        "i32", // int timeout
      ],
      result: "i32",
      nonblocking: true,
    },
    // The same epoll_wait(2), run on a worker thread: the waiting thread of
    // _wait/epoll_set.ts.
    epoll_wait_async: {
      name: "epoll_wait",
      parameters: [
        "i32", // int epfd
        "buffer", // struct epoll_event *events
        "i32", // int maxevents
        "i32", // int timeout
      ],
      result: "i32",
      optional: true,
      nonblocking: true,
    },
    kqueue: { ...KQUEUE_SYMBOLS.kqueue, optional: true },
    kevent: { ...KQUEUE_SYMBOLS.kevent, optional: true },
    epoll_create1: { parameters: ["i32" /* int flags */], result: "i32", optional: true },
    epoll_ctl: {
      parameters: [
        "i32", // int epfd
        "i32", // int op
        "i32", // int fd
        "buffer", // struct epoll_event *event
      ],
      result: "i32",
      optional: true,
    },
    epoll_wait: {
      parameters: [
        "i32", // int epfd
        "buffer", // struct epoll_event *events
        "i32", // int maxevents
        "i32", // int timeout
      ],
      result: "i32",
      optional: true,
    },
    eventfd: {
      parameters: ["u32", /* unsigned int initval */ "i32" /* int flags */],
      result: "i32",
      optional: true,
    },
    pipe: { parameters: ["buffer" /* int fds[2] */], result: "i32" },
    pipe2: {
      parameters: ["buffer", /* int fds[2] */ "i32" /* int flags */],
      result: "i32",
      optional: true,
    },
    // ssize_t results are read as i32: iomux never asks for more than 0x7ffff000
    // bytes (Linux's own MAX_RW_COUNT), and the low half of the register is exact.
    read: {
      parameters: ["i32", /* int fd */ "buffer", /* void *buf */ "usize" /* size_t count */],
      result: "i32",
    },
    write: {
      parameters: ["i32", /* int fd */ "buffer", /* const void *buf */ "usize" /* size_t count */],
      result: "i32",
    },
    close: { parameters: ["i32" /* int fd */], result: "i32" },
    fcntl: {
      parameters: ["i32", /* int fd */ "i32", /* int cmd */ ...pad, variadicInt /* ... arg */],
      result: "i32",
    },
    open: {
      parameters: [
        "buffer", // const char *path
        "i32", // int flags
        ...pad,
        variadicInt, // ... mode_t mode
      ],
      result: "i32",
    },
    // Sockets. socklen_t is 32 bits everywhere; recv/send results are read as i32
    // for the same reason as read's (callers cap the length at 0x7ffff000).
    socket: {
      parameters: ["i32", /* int domain */ "i32", /* int type */ "i32" /* int protocol */],
      result: "i32",
    },
    socketpair: {
      parameters: [
        "i32", // int domain
        "i32", // int type
        "i32", // int protocol
        "buffer", // int sv[2]
      ],
      result: "i32",
    },
    bind: {
      parameters: [
        "i32", // int sockfd
        "buffer", // const struct sockaddr *addr
        "u32", // socklen_t addrlen
      ],
      result: "i32",
    },
    connect: {
      parameters: [
        "i32", // int sockfd
        "buffer", // const struct sockaddr *addr
        "u32", // socklen_t addrlen
      ],
      result: "i32",
    },
    listen: { parameters: ["i32", /* int sockfd */ "i32" /* int backlog */], result: "i32" },
    accept: {
      parameters: [
        "i32", // int sockfd
        "buffer", // struct sockaddr *addr
        "buffer", // socklen_t *addrlen
      ],
      result: "i32",
    },
    accept4: {
      parameters: [
        "i32", // int sockfd
        "buffer", // struct sockaddr *addr
        "buffer", // socklen_t *addrlen
        "i32", // int flags
      ],
      result: "i32",
      optional: true,
    },
    recv: {
      parameters: [
        "i32", // int sockfd
        "buffer", // void *buf
        "usize", // size_t len
        "i32", // int flags
      ],
      result: "i32",
    },
    recvfrom: {
      parameters: [
        "i32", // int sockfd
        "buffer", // void *buf
        "usize", // size_t len
        "i32", // int flags
        "buffer", // struct sockaddr *src_addr
        "buffer", // socklen_t *addrlen
      ],
      result: "i32",
    },
    send: {
      parameters: [
        "i32", // int sockfd
        "buffer", // const void *buf
        "usize", // size_t len
        "i32", // int flags
      ],
      result: "i32",
    },
    sendto: {
      parameters: [
        "i32", // int sockfd
        "buffer", // const void *buf
        "usize", // size_t len
        "i32", // int flags
        "buffer", // const struct sockaddr *dest_addr
        "u32", // socklen_t addrlen
      ],
      result: "i32",
    },
    shutdown: { parameters: ["i32", /* int sockfd */ "i32" /* int how */], result: "i32" },
    getsockopt: {
      parameters: [
        "i32", // int sockfd
        "i32", // int level
        "i32", // int optname
        "buffer", // void *optval
        "buffer", // socklen_t *optlen
      ],
      result: "i32",
    },
    setsockopt: {
      parameters: [
        "i32", // int sockfd
        "i32", // int level
        "i32", // int optname
        "buffer", // const void *optval
        "u32", // socklen_t optlen
      ],
      result: "i32",
    },
    getsockname: {
      parameters: [
        "i32", // int sockfd
        "buffer", // struct sockaddr *addr
        "buffer", // socklen_t *addrlen
      ],
      result: "i32",
    },
    getpeername: {
      parameters: [
        "i32", // int sockfd
        "buffer", // struct sockaddr *addr
        "buffer", // socklen_t *addrlen
      ],
      result: "i32",
    },
    strerror: { parameters: ["i32" /* int errnum */], result: "pointer" },
    [abi.errnoFunction]: { parameters: [], result: "pointer" },
  };
}
