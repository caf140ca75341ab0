/**
 * FreeBSD ABI tables (12 and later; amd64 and arm64), from FreeBSD's own headers
 * (`sys/sys/*.h`, `sys/netinet/*.h`). Not run here: no BSD machine exists in this
 * workplace; `scripts/check_abi_symbols.ts` compiles against the headers.
 *
 * @module
 */
import { bsdMsg } from "./_bsd_msg.ts";
import { FREEBSD_DEVICES } from "./devices.ts";
import { FREEBSD_NETDB } from "./netdb.ts";
import type { Abi } from "./types.ts";
import { BSD_ERRNO, BSD_ERRNO_NAMES } from "./_bsd_errno.ts";
import { FREEBSD_SOCKET_EXTRA } from "./socket_bsd.ts";

/** FreeBSD `sys/errno.h`: the shared BSD values plus FreeBSD's own from 82 on. */
export const FREEBSD_ERRNO_NAMES: Readonly<Record<number, string>> = {
  ...BSD_ERRNO_NAMES,
  82: "EIDRM",
  83: "ENOMSG",
  84: "EOVERFLOW",
  85: "ECANCELED",
  86: "EILSEQ",
  87: "ENOATTR",
  88: "EDOOFUS",
  89: "EBADMSG",
  90: "EMULTIHOP",
  91: "ENOLINK",
  92: "EPROTO",
  93: "ENOTCAPABLE",
  94: "ECAPMODE",
  95: "ENOTRECOVERABLE",
  96: "EOWNERDEAD",
  97: "EINTEGRITY",
};

const base = {
  devices: FREEBSD_DEVICES,
  netdb: FREEBSD_NETDB,
  os: "freebsd",
  libcNames: ["libc.so.7"],
  errnoFunction: "__error",
  // nfds_t is `unsigned int` on FreeBSD.
  nfdsBytes: 4,
  variadicPadding: 0,
  symbolNames: {},
  hasPipe2: true,
  fdSetSize: 1024,
  timeval: { size: 16, fractionBytes: 8 },
  timespec: { size: 16, fractionBytes: 8 },
  // struct pollfd {int fd; short events; short revents;} (sys/poll.h).
  pollfd: { size: 8, fd: 0, fdBytes: 4, events: 4, revents: 6 },
  epollEvent: null,
  // FreeBSD 12+: {uintptr_t ident; short filter; u_short flags; u_int fflags;
  //               int64_t data; void *udata; uint64_t ext[4];} = 64 bytes.
  // dlsym("kevent") binds the default version, kevent@@FBSD_1.5, which takes this
  // layout; the 32-byte FreeBSD 11 layout lives on only as kevent@FBSD_1.0.
  kevent: { size: 64, ident: 0, filter: 8, flags: 10, fflags: 12, data: 16, udata: 24, ext: 32 },
  // sys/event.h: #define NOTE_PCTRLMASK 0xf0000000 (an unsigned int, positive in Python).
  KQ_NOTE_PCTRLMASK: 0xf0000000,
  PIPE_BUF: 512,
  poll: {
    POLLIN: 0x1,
    POLLPRI: 0x2,
    POLLOUT: 0x4,
    POLLERR: 0x8,
    POLLHUP: 0x10,
    POLLNVAL: 0x20,
    POLLRDNORM: 0x40,
    POLLRDBAND: 0x80,
    POLLWRNORM: 0x4,
    POLLWRBAND: 0x100,
    POLLMSG: 0,
    // sys/poll.h has POLLRDHUP from FreeBSD 14 on; older kernels ignore the bit.
    POLLRDHUP: 0x4000,
  },
  fcntl: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_NONBLOCK: 0x4,
    O_APPEND: 0x8,
    O_SYNC: 0x80,
    O_NOFOLLOW: 0x100,
    O_CREAT: 0x200,
    O_TRUNC: 0x400,
    O_EXCL: 0x800,
    O_NOCTTY: 0x8000,
    O_DIRECTORY: 0x20000,
    O_CLOEXEC: 0x100000,
    F_GETFD: 1,
    F_SETFD: 2,
    F_GETFL: 3,
    F_SETFL: 4,
    FD_CLOEXEC: 1,
  },
  errno: BSD_ERRNO,
  errnoNames: FREEBSD_ERRNO_NAMES,
  // sys/socket.h, netinet/in.h, netinet6/in6.h and netinet/tcp.h.
  socket: {
    constants: {
      ...FREEBSD_SOCKET_EXTRA,
      AF_UNSPEC: 0,
      AF_UNIX: 1,
      AF_INET: 2,
      AF_INET6: 28,
      SOCK_STREAM: 1,
      SOCK_DGRAM: 2,
      SOCK_RAW: 3,
      SOCK_SEQPACKET: 5,
      SOCK_NONBLOCK: 0x20000000,
      SOCK_CLOEXEC: 0x10000000,
      SOL_SOCKET: 0xffff,
      SO_DEBUG: 0x1,
      SO_ACCEPTCONN: 0x2,
      SO_REUSEADDR: 0x4,
      SO_KEEPALIVE: 0x8,
      SO_DONTROUTE: 0x10,
      SO_BROADCAST: 0x20,
      SO_LINGER: 0x80,
      SO_OOBINLINE: 0x100,
      SO_REUSEPORT: 0x200,
      SO_SNDBUF: 0x1001,
      SO_RCVBUF: 0x1002,
      SO_SNDLOWAT: 0x1003,
      SO_RCVLOWAT: 0x1004,
      SO_SNDTIMEO: 0x1005,
      SO_RCVTIMEO: 0x1006,
      SO_ERROR: 0x1007,
      SO_TYPE: 0x1008,
      SO_PROTOCOL: 0x1016,
      SO_NOSIGPIPE: 0x800,
      IPPROTO_IP: 0,
      IPPROTO_TCP: 6,
      IPPROTO_UDP: 17,
      IPPROTO_IPV6: 41,
      TCP_NODELAY: 1,
      IPV6_V6ONLY: 27,
      SHUT_RD: 0,
      SHUT_WR: 1,
      SHUT_RDWR: 2,
      MSG_OOB: 0x1,
      MSG_PEEK: 0x2,
      MSG_DONTROUTE: 0x4,
      MSG_EOR: 0x8,
      MSG_TRUNC: 0x10,
      MSG_CTRUNC: 0x20,
      MSG_WAITALL: 0x40,
      MSG_DONTWAIT: 0x80,
      MSG_NOSIGNAL: 0x20000,
      SOMAXCONN: 128,
    },
    sockaddrNl: null,
    sockaddrHasLen: true,
    sunPathSize: 104,
    hasAccept4: true,
    hasSockFlags: true,
    // sys/socket.h: _ALIGN, 8 bytes on amd64 (register_t) and arm64 (long long).
    msg: bsdMsg(8),
  },
} as const;

/** FreeBSD on amd64. */
export const FREEBSD_X86_64: Abi = { ...base, arch: "x86_64" };

/** FreeBSD on arm64 (variadic ints go in registers, as on Linux). */
export const FREEBSD_AARCH64: Abi = { ...base, arch: "aarch64" };
