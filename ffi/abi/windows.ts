/**
 * Windows ABI tables (x86_64 and arm64): Winsock 2 (`winsock2.h`, `ws2def.h`,
 * `ws2ipdef.h`) for sockets, `select` and `WSAPoll`, and the Universal C Runtime
 * (`ucrtbase.dll`, `errno.h`, `fcntl.h`) for `_pipe`/`_read`/`_write`/`_close`.
 * Both architectures are LLP64 with the same headers, so the two tables differ only
 * in `arch`: the arm64 one is made by construction and has not run anywhere.
 *
 * @module
 */
import type { Abi, WinsockAbi } from "./types.ts";
import { WINDOWS_DEVICES } from "./devices.ts";
import { WINDOWS_SOCKET_EXTRA } from "./socket_windows.ts";
import { WINDOWS_NETDB } from "./netdb.ts";

/**
 * errno names on Windows. The C runtime's own `errno.h` values (1–42) come back from
 * `_pipe`, `_read`, `_write`, `_close`; Winsock's `WSAE*` codes (10004 and up) come
 * back from every socket call. The two ranges do not overlap, so one table names
 * both; a Winsock code is named by the errno CPython gives it (`PC/errmap.h`
 * `winerror_to_errno`: six codes map to `code - 10000`, the rest keep their value,
 * which Python's `errno` module on Windows defines as `EWOULDBLOCK` etc.).
 */
export const WINDOWS_ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: "EPERM",
  2: "ENOENT",
  3: "ESRCH",
  4: "EINTR",
  5: "EIO",
  6: "ENXIO",
  7: "E2BIG",
  8: "ENOEXEC",
  9: "EBADF",
  10: "ECHILD",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  14: "EFAULT",
  16: "EBUSY",
  17: "EEXIST",
  18: "EXDEV",
  19: "ENODEV",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  25: "ENOTTY",
  27: "EFBIG",
  28: "ENOSPC",
  29: "ESPIPE",
  30: "EROFS",
  31: "EMLINK",
  32: "EPIPE",
  33: "EDOM",
  34: "ERANGE",
  36: "EDEADLK",
  38: "ENAMETOOLONG",
  39: "ENOLCK",
  40: "ENOSYS",
  41: "ENOTEMPTY",
  42: "EILSEQ",
  10035: "EWOULDBLOCK",
  10036: "EINPROGRESS",
  10037: "EALREADY",
  10038: "ENOTSOCK",
  10039: "EDESTADDRREQ",
  10040: "EMSGSIZE",
  10041: "EPROTOTYPE",
  10042: "ENOPROTOOPT",
  10043: "EPROTONOSUPPORT",
  10044: "ESOCKTNOSUPPORT",
  10045: "EOPNOTSUPP",
  10046: "EPFNOSUPPORT",
  10047: "EAFNOSUPPORT",
  10048: "EADDRINUSE",
  10049: "EADDRNOTAVAIL",
  10050: "ENETDOWN",
  10051: "ENETUNREACH",
  10052: "ENETRESET",
  10053: "ECONNABORTED",
  10054: "ECONNRESET",
  10055: "ENOBUFS",
  10056: "EISCONN",
  10057: "ENOTCONN",
  10058: "ESHUTDOWN",
  10059: "ETOOMANYREFS",
  10060: "ETIMEDOUT",
  10061: "ECONNREFUSED",
  10062: "ELOOP",
  10063: "ENAMETOOLONG",
  10064: "EHOSTDOWN",
  10065: "EHOSTUNREACH",
  10066: "ENOTEMPTY",
  10067: "EPROCLIM",
  10068: "EUSERS",
  10069: "EDQUOT",
  10070: "ESTALE",
  10071: "EREMOTE",
};

/**
 * The texts `strerror` and `FormatMessage` give (CPython strips the trailing period
 * and line break of `FormatMessage`'s text, `PyErr_SetExcFromWindowsErr`). The C
 * runtime's are its `_sys_errlist`; Winsock's are Microsoft's "Windows Sockets Error
 * Codes" in English. A code missing here reads "Unknown error N".
 */
const MESSAGES: Readonly<Record<number, string>> = {
  1: "Operation not permitted",
  2: "No such file or directory",
  3: "No such process",
  4: "Interrupted function call",
  5: "Input/output error",
  9: "Bad file descriptor",
  11: "Resource temporarily unavailable",
  12: "Not enough space",
  13: "Permission denied",
  17: "File exists",
  22: "Invalid argument",
  24: "Too many open files",
  28: "No space left on device",
  32: "Broken pipe",
  40: "Function not implemented",
  10004: "A blocking operation was interrupted by a call to WSACancelBlockingCall",
  10009: "The file handle supplied is not valid",
  10013: "An attempt was made to access a socket in a way forbidden by its access permissions",
  10014:
    "The system detected an invalid pointer address in attempting to use a pointer argument in a call",
  10022: "An invalid argument was supplied",
  10024: "Too many open sockets",
  10035: "A non-blocking socket operation could not be completed immediately",
  10036: "A blocking operation is currently executing",
  10037:
    "An operation was attempted on a non-blocking socket that already had an operation in progress",
  10038: "An operation was attempted on something that is not a socket",
  10040:
    "A message sent on a datagram socket was larger than the internal message buffer or some other network limit, or the buffer used to receive a datagram into was smaller than the datagram itself",
  10045: "The attempted operation is not supported for the type of object referenced",
  10047: "An address incompatible with the requested protocol was used",
  10048:
    "Only one usage of each socket address (protocol/network address/port) is normally permitted",
  10049: "The requested address is not valid in its context",
  10053: "An established connection was aborted by the software in your host machine",
  10054: "An existing connection was forcibly closed by the remote host",
  10056: "A connect request was made on an already connected socket",
  10057:
    "A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied",
  10058:
    "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call",
  10060:
    "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond",
  10061: "No connection could be made because the target machine actively refused it",
  10093: "Either the application has not called WSAStartup, or WSAStartup failed",
};

const winsock: WinsockAbi = {
  winsockLibrary: "ws2_32.dll",
  crtLibrary: "ucrtbase.dll",
  // SOCKET is UINT_PTR. 64-bit Windows keeps handle values in 32 bits (sign-extended)
  // so that 32- and 64-bit processes can share them ("Interprocess Communication
  // Between 32-bit and 64-bit Applications"), so iomux reads one as an int, as
  // CPython's `fileno()` returns one.
  socketBytes: 8,
  messages: MESSAGES,
  // winsock2.h FD_SETSIZE is 64, but the set is the caller's to size: CPython defines
  // 512 before including it (Modules/selectmodule.c), and so does iomux.
  // fd_set = {u_int fd_count; SOCKET fd_array[FD_SETSIZE]}: fd_array at offset 8.
  fdArrayOffset: 8,
  WSAEINVAL: 10022,
  WSAENOTSOCK: 10038,
  WSAEWOULDBLOCK: 10035,
  FIONBIO: 0x8004667e | 0,
  // POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND: Microsoft's WSAPOLLFD
  // documentation (POLLPRI is not supported by the Microsoft provider).
  pollEvents: 0x100 | 0x200 | 0x10 | 0x20,
};

const base = {
  os: "windows",
  libcNames: ["ws2_32.dll"],
  errnoFunction: "WSAGetLastError",
  // WSAPoll's nfds is a ULONG, 32 bits on LLP64.
  nfdsBytes: 4,
  variadicPadding: 0,
  symbolNames: {},
  hasPipe2: false,
  fdSetSize: 512,
  // struct timeval {long tv_sec; long tv_usec;} with a 32-bit long (LLP64).
  timeval: { size: 8, fractionBytes: 4 },
  timespec: { size: 16, fractionBytes: 4 },
  // WSAPOLLFD {SOCKET fd; SHORT events; SHORT revents;}: 16 bytes with its padding.
  pollfd: { size: 16, fd: 0, fdBytes: 8, events: 8, revents: 10 },
  epollEvent: null,
  kevent: null,
  KQ_NOTE_PCTRLMASK: 0xf0000000,
  // CPython's select.PIPE_BUF exists only where limits.h defines it; 512 is POSIX's
  // minimum, kept so that the constant has a value everywhere.
  PIPE_BUF: 512,
  // winsock2.h: POLLIN is POLLRDNORM | POLLRDBAND, POLLOUT is POLLWRNORM. WSAPoll
  // accepts only those four in `events` (POLLPRI fails with WSAEINVAL: Microsoft's
  // WSAPOLLFD documentation), see select/poll.ts.
  poll: {
    POLLIN: 0x300,
    POLLPRI: 0x400,
    POLLOUT: 0x10,
    POLLERR: 0x1,
    POLLHUP: 0x2,
    POLLNVAL: 0x4,
    POLLRDNORM: 0x100,
    POLLRDBAND: 0x200,
    POLLWRNORM: 0x10,
    POLLWRBAND: 0x20,
    POLLMSG: 0,
    POLLRDHUP: 0,
  },
  // The C runtime's fcntl.h; a flag it lacks is 0. O_CLOEXEC is 0: the CRT spells
  // it O_NOINHERIT (0x80), which CPython's os.open adds on its own.
  fcntl: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_APPEND: 0x8,
    O_CREAT: 0x100,
    O_TRUNC: 0x200,
    O_EXCL: 0x400,
    O_NONBLOCK: 0,
    O_NOCTTY: 0,
    O_SYNC: 0,
    O_DIRECTORY: 0,
    O_NOFOLLOW: 0,
    O_CLOEXEC: 0,
    F_GETFD: 0,
    F_SETFD: 0,
    F_GETFL: 0,
    F_SETFL: 0,
    FD_CLOEXEC: 0,
  },
  // The values errno() returns where iomux branches: Winsock's for the socket calls
  // (EINTR, EAGAIN as WSAEWOULDBLOCK, EINPROGRESS), the C runtime's for the rest.
  errno: {
    EPERM: 1,
    ENOENT: 2,
    EINTR: 10004,
    EBADF: 9,
    EAGAIN: 10035,
    EEXIST: 17,
    EINVAL: 22,
    ENOSYS: 40,
    // A non-blocking connect() under way fails with WSAEWOULDBLOCK on Windows
    // (Modules/socketmodule.c SOCK_INPROGRESS_ERR), not WSAEINPROGRESS.
    EINPROGRESS: 10035,
  },
  errnoNames: WINDOWS_ERRNO_NAMES,
  socket: {
    // winsock2.h, ws2def.h, ws2ipdef.h; a constant Windows lacks is 0.
    constants: {
      ...WINDOWS_SOCKET_EXTRA,
      AF_UNSPEC: 0,
      AF_UNIX: 1,
      AF_INET: 2,
      AF_INET6: 23,
      SOCK_STREAM: 1,
      SOCK_DGRAM: 2,
      SOCK_RAW: 3,
      SOCK_SEQPACKET: 5,
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
      SO_REUSEPORT: 0,
      SO_SNDBUF: 0x1001,
      SO_RCVBUF: 0x1002,
      SO_SNDLOWAT: 0x1003,
      SO_RCVLOWAT: 0x1004,
      SO_SNDTIMEO: 0x1005,
      SO_RCVTIMEO: 0x1006,
      SO_ERROR: 0x1007,
      SO_TYPE: 0x1008,
      SO_PROTOCOL: 0,
      SO_NOSIGPIPE: 0,
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
      MSG_EOR: 0,
      MSG_TRUNC: 0x100,
      MSG_CTRUNC: 0x200,
      MSG_WAITALL: 0x8,
      MSG_DONTWAIT: 0,
      MSG_NOSIGNAL: 0,
      SOMAXCONN: 0x7fffffff,
    },
    sockaddrNl: null,
    sockaddrHasLen: false,
    // afunix.h UNIX_PATH_MAX.
    sunPathSize: 108,
    hasAccept4: false,
    hasSockFlags: false,
    // CPython's socket has no sendmsg/recvmsg on Windows.
    msg: null,
  },
  winsock,
  devices: WINDOWS_DEVICES,
  netdb: WINDOWS_NETDB,
} as const;

/** Windows on x86_64 (LLP64). */
export const WINDOWS_X86_64: Abi = { ...base, arch: "x86_64" };

/** Windows on arm64: the same headers and layouts as x86_64. */
export const WINDOWS_AARCH64: Abi = { ...base, arch: "aarch64" };
