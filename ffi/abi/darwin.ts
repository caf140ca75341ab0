/**
 * macOS ABI tables (x86_64 and arm64), from the macOS SDK headers quoted in the
 * reference (Appendix A, §5). Not run here: no macOS machine exists in this workplace.
 *
 * @module
 */
import type { Abi } from "./types.ts";
import { BSD_ERRNO, BSD_ERRNO_NAMES } from "./_bsd_errno.ts";

/** macOS `sys/errno.h`: the shared BSD values plus Apple's own from 82 on. */
export const DARWIN_ERRNO_NAMES: Readonly<Record<number, string>> = {
  ...BSD_ERRNO_NAMES,
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
  epollEvent: null,
  // struct kevent {uintptr_t ident; int16 filter; uint16 flags; uint32 fflags;
  //                intptr_t data; void *udata;} = 32 bytes.
  kevent: { size: 32, ident: 0, filter: 8, flags: 10, fflags: 12, data: 16, udata: 24, ext: null },
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
} as const;

/** macOS on Intel. */
export const DARWIN_X86_64: Abi = { ...base, arch: "x86_64", variadicPadding: 0 };

/**
 * macOS on Apple silicon. Apple's arm64 ABI passes every variadic argument on the
 * stack, so `fcntl(fd, cmd, arg)` is declared with 6 padding arguments after
 * `fd, cmd`: x0–x7 are then full and `arg` lands in the first stack slot, where
 * `va_arg` reads it.
 */
export const DARWIN_AARCH64: Abi = { ...base, arch: "aarch64", variadicPadding: 6 };
