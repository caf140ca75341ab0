/**
 * The socket calls of the libc table (`symbols.ts` spreads them into `LIBC_SYMBOLS`):
 * making, binding, connecting and accepting sockets, moving bytes and messages,
 * options and names. A file of its own because it is the largest area of the table;
 * the rules of the whole table (C types, `ssize_t` results read as `int`) are
 * `symbols.ts`'s.
 *
 * @module
 */
import type { SymbolSpec } from "./types.ts";

/** `sys/socket.h`'s calls, in C types. */
export const SOCKET_SYMBOLS = {
  // Sockets. socklen_t is 32 bits everywhere; recv/send results are read as int
  // for the same reason as read's (callers cap the length at 0x7ffff000).
  socket: {
    parameters: ["int", /* int domain */ "int", /* int type */ "int" /* int protocol */],
    result: "int",
  },
  socketpair: {
    parameters: [
      "int", // int domain
      "int", // int type
      "int", // int protocol
      "void *", // int sv[2]
    ],
    result: "int",
  },
  bind: {
    parameters: [
      "int", // int sockfd
      "void *", // const struct sockaddr *addr
      "socklen_t", // socklen_t addrlen
    ],
    result: "int",
  },
  connect: {
    parameters: [
      "int", // int sockfd
      "void *", // const struct sockaddr *addr
      "socklen_t", // socklen_t addrlen
    ],
    result: "int",
  },
  listen: { parameters: ["int", /* int sockfd */ "int" /* int backlog */], result: "int" },
  accept: {
    parameters: [
      "int", // int sockfd
      "void * | NULL", // struct sockaddr *addr
      "void * | NULL", // socklen_t *addrlen (a one-element value-result cell)
    ],
    result: "int",
  },
  accept4: {
    parameters: [
      "int", // int sockfd
      "void * | NULL", // struct sockaddr *addr
      "void * | NULL", // socklen_t *addrlen
      "int", // int flags
    ],
    result: "int",
    optional: true,
  },
  recv: {
    parameters: [
      "int", // int sockfd
      "void *", // void *buf
      "size_t", // size_t len
      "int", // int flags
    ],
    result: "int",
  },
  recvfrom: {
    parameters: [
      "int", // int sockfd
      "void *", // void *buf
      "size_t", // size_t len
      "int", // int flags
      "void * | NULL", // struct sockaddr *src_addr
      "void * | NULL", // socklen_t *addrlen
    ],
    result: "int",
  },
  send: {
    parameters: [
      "int", // int sockfd
      "void *", // const void *buf
      "size_t", // size_t len
      "int", // int flags
    ],
    result: "int",
  },
  sendto: {
    parameters: [
      "int", // int sockfd
      "void *", // const void *buf
      "size_t", // size_t len
      "int", // int flags
      "void *", // const struct sockaddr *dest_addr
      "socklen_t", // socklen_t addrlen
    ],
    result: "int",
  },
  // The msghdr is one iomux-made block whose pointers point into itself
  // (socket/_msg.ts); results are read as int, as recv's.
  sendmsg: {
    parameters: [
      "int", // int sockfd
      "void *", // const struct msghdr *msg
      "int", // int flags
    ],
    result: "int",
  },
  recvmsg: {
    parameters: [
      "int", // int sockfd
      "void *", // struct msghdr *msg
      "int", // int flags
    ],
    result: "int",
  },
  shutdown: { parameters: ["int", /* int sockfd */ "int" /* int how */], result: "int" },
  getsockopt: {
    parameters: [
      "int", // int sockfd
      "int", // int level
      "int", // int optname
      "void *", // void *optval
      "void *", // socklen_t *optlen
    ],
    result: "int",
  },
  setsockopt: {
    parameters: [
      "int", // int sockfd
      "int", // int level
      "int", // int optname
      "void * | NULL", // const void *optval
      "socklen_t", // socklen_t optlen
    ],
    result: "int",
  },
  getsockname: {
    parameters: [
      "int", // int sockfd
      "void *", // struct sockaddr *addr
      "void *", // socklen_t *addrlen
    ],
    result: "int",
  },
  getpeername: {
    parameters: [
      "int", // int sockfd
      "void *", // struct sockaddr *addr
      "void *", // socklen_t *addrlen
    ],
    result: "int",
  },
} as const satisfies Readonly<Record<string, SymbolSpec>>;
