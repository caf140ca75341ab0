/**
 * FreeBSD ABI tables (12 and later; amd64 and arm64), from FreeBSD's headers quoted
 * in the reference (Appendix A, §5). Not run here: no BSD machine exists in this
 * workplace.
 *
 * @module
 */
import type { Abi } from "./types.ts";
import { BSD_ERRNO, BSD_ERRNO_NAMES } from "./_bsd_errno.ts";

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
  os: "freebsd",
  libcNames: ["libc.so.7"],
  errnoFunction: "__error",
  // nfds_t is `unsigned int` on FreeBSD.
  nfdsBytes: 4,
  variadicPadding: 0,
  hasPipe2: true,
  fdSetSize: 1024,
  timeval: { size: 16, fractionBytes: 8 },
  timespec: { size: 16, fractionBytes: 8 },
  epollEvent: null,
  // FreeBSD 12+: {uintptr_t ident; short filter; u_short flags; u_int fflags;
  //               int64_t data; void *udata; uint64_t ext[4];} = 64 bytes.
  kevent: { size: 64, ident: 0, filter: 8, flags: 10, fflags: 12, data: 16, udata: 24, ext: 32 },
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
} as const;

/** FreeBSD on amd64. */
export const FREEBSD_X86_64: Abi = { ...base, arch: "x86_64" };

/** FreeBSD on arm64 (variadic ints go in registers, as on Linux). */
export const FREEBSD_AARCH64: Abi = { ...base, arch: "aarch64" };
