/**
 * macOS ABI tables (x86_64 and arm64), from xnu's headers (`bsd/sys/*.h`, the ones
 * the macOS SDK ships). Not run here: no macOS machine exists in this workplace;
 * `scripts/check_abi_symbols.ts` compiles against the headers.
 *
 * @module
 */
import { bsdMsg } from "./_bsd_msg.ts";
import { DARWIN_DEVICES } from "./devices.ts";
import { DARWIN_NETDB } from "./netdb.ts";
import type { Abi } from "./types.ts";
import { BSD_ERRNO, BSD_ERRNO_NAMES } from "./_bsd_errno.ts";
import { DARWIN_SOCKET_EXTRA } from "./socket_bsd.ts";

/**
 * macOS `sys/errno.h`: the shared BSD values plus Apple's own from 82 on. Apple
 * splits the BSD 45: it is `ENOTSUP` there, and `EOPNOTSUPP` moved to 102.
 */
export const DARWIN_ERRNO_NAMES: Readonly<Record<number, string>> = {
  ...BSD_ERRNO_NAMES,
  45: "ENOTSUP",
  82: "EPWROFF",
  83: "EDEVERR",
  84: "EOVERFLOW",
  85: "EBADEXEC",
  86: "EBADARCH",
  87: "ESHLIBVERS",
  88: "EBADMACHO",
  89: "ECANCELED",
  90: "EIDRM",
  91: "ENOMSG",
  92: "EILSEQ",
  93: "ENOATTR",
  94: "EBADMSG",
  95: "EMULTIHOP",
  96: "ENODATA",
  97: "ENOLINK",
  98: "ENOSR",
  99: "ENOSTR",
  100: "EPROTO",
  101: "ETIME",
  102: "EOPNOTSUPP",
  103: "ENOPOLICY",
  104: "ENOTRECOVERABLE",
  105: "EOWNERDEAD",
  106: "EQFULL",
};

const base = {
  devices: DARWIN_DEVICES,
  netdb: DARWIN_NETDB,
  os: "darwin",
  libcNames: ["/usr/lib/libSystem.B.dylib", "libSystem.B.dylib"],
  errnoFunction: "__error",
  // nfds_t is `unsigned int` on Darwin.
  nfdsBytes: 4,
  hasPipe2: false,
  fdSetSize: 1024,
  // struct timeval {__darwin_time_t tv_sec; __darwin_suseconds_t (int32) tv_usec;} + padding.
  timeval: { size: 16, fractionBytes: 4 },
  timespec: { size: 16, fractionBytes: 8 },
  // struct pollfd {int fd; short events; short revents;} (sys/poll.h).
  pollfd: { size: 8, fd: 0, fdBytes: 4, events: 4, revents: 6 },
  epollEvent: null,
  // struct kevent {uintptr_t ident; int16 filter; uint16 flags; uint32 fflags;
  //                intptr_t data; void *udata;} = 32 bytes.
  kevent: { size: 32, ident: 0, filter: 8, flags: 10, fflags: 12, data: 16, udata: 24, ext: null },
  // sys/event.h: #define NOTE_PCTRLMASK (~NOTE_PDATAMASK), an int: ~0x000fffff.
  KQ_NOTE_PCTRLMASK: -1048576,
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
    POLLRDHUP: 0,
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
    O_NOCTTY: 0x20000,
    O_DIRECTORY: 0x100000,
    O_CLOEXEC: 0x1000000,
    F_GETFD: 1,
    F_SETFD: 2,
    F_GETFL: 3,
    F_SETFL: 4,
    FD_CLOEXEC: 1,
  },
  errno: BSD_ERRNO,
  errnoNames: DARWIN_ERRNO_NAMES,
  // sys/socket.h, netinet/in.h, netinet6/in6.h and netinet/tcp.h.
  socket: {
    constants: {
      ...DARWIN_SOCKET_EXTRA,
      AF_UNSPEC: 0,
      AF_UNIX: 1,
      AF_INET: 2,
      AF_INET6: 30,
      SOCK_STREAM: 1,
      SOCK_DGRAM: 2,
      SOCK_RAW: 3,
      SOCK_SEQPACKET: 5,
      // No SOCK_NONBLOCK/SOCK_CLOEXEC flags on macOS: iomux uses fcntl instead.
      SOCK_NONBLOCK: 0,
      SOCK_CLOEXEC: 0,
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
      SO_PROTOCOL: 0,
      SO_NOSIGPIPE: 0x1022,
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
      // Only in recent SDKs; iomux sets SO_NOSIGPIPE on every socket instead.
      MSG_NOSIGNAL: 0x80000,
      SOMAXCONN: 128,
    },
    sockaddrNl: null,
    sockaddrHasLen: true,
    sunPathSize: 104,
    hasAccept4: false,
    hasSockFlags: false,
    // sys/socket.h: the CMSG_* macros align with __DARWIN_ALIGN32, on arm64 too.
    msg: bsdMsg(4),
  },
} as const;

/**
 * macOS on Intel. The plain `select` symbol is the pre-10.5 wrapper, which raises
 * any timeout between 1 µs and 10 ms to 10 ms (xnu
 * `libsyscall/wrappers/select-base.c`); `sys/select.h` sends C programs to
 * `select$1050` instead, the same code as arm64's plain `select`. (CPython builds
 * with `_DARWIN_C_SOURCE` and so calls `select$DARWIN_EXTSN`, which differs only in
 * accepting `nfds` above `FD_SETSIZE`: iomux never passes such an `nfds`.)
 */
export const DARWIN_X86_64: Abi = {
  ...base,
  arch: "x86_64",
  variadicPadding: 0,
  symbolNames: { select: "select$1050" },
};

/**
 * macOS on Apple silicon. Apple's arm64 ABI passes every variadic argument on the
 * stack, so `fcntl(fd, cmd, arg)` is declared with 6 padding arguments after
 * `fd, cmd`: x0–x7 are then full and `arg` lands in the first stack slot, where
 * `va_arg` reads it.
 */
export const DARWIN_AARCH64: Abi = {
  ...base,
  arch: "aarch64",
  variadicPadding: 6,
  symbolNames: {},
};
