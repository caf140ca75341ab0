/**
 * The shape of one platform's ABI table: everything iomux must know about an OS and
 * architecture that the C headers would otherwise tell a C program.
 *
 * @module
 */
import type { FcntlConstantName, TermiosName } from "./termios_linux.ts";
import type { SocketExtraConstantName } from "./socket_names.ts";

/** Byte layout of `struct timeval` / `struct timespec`. */
export interface TimeLayout {
  /** `sizeof(struct ...)`. */
  readonly size: number;
  /** Width in bytes of the second field (`tv_usec` or `tv_nsec`). */
  readonly fractionBytes: 4 | 8;
}

/**
 * Byte layout of `struct pollfd` (`{int fd; short events; short revents;}` on
 * POSIX: 8 bytes). Windows' `WSAPOLLFD` has a `SOCKET` (pointer-sized) fd: 16 bytes.
 */
export interface PollfdLayout {
  /** `sizeof(struct pollfd)`. */
  readonly size: number;
  /** Offset of `fd`. */
  readonly fd: number;
  /** Width of `fd` in bytes: 4 for an `int`, 8 for a 64-bit `SOCKET`. */
  readonly fdBytes: 4 | 8;
  /** Offset of `short events`. */
  readonly events: number;
  /** Offset of `short revents`. */
  readonly revents: number;
}

/** Byte layout of `struct epoll_event` (`{u32 events; u64 data}`). */
export interface EpollEventLayout {
  /** 12 on x86_64 (the struct is packed), 16 elsewhere. */
  readonly size: number;
  /** Offset of `data`; iomux keeps the fd in its low 32 bits. */
  readonly dataOffset: number;
}

/**
 * Byte layout of `struct kevent` on a 64-bit platform. The field types are the same
 * everywhere iomux runs: `uintptr_t ident` (8 bytes), `short filter`, `u_short flags`,
 * `u_int fflags`, `intptr_t`/`int64_t data` (8), `void *udata` (8); only the size
 * and the FreeBSD `ext[4]` tail differ.
 */
export interface KeventLayout {
  /** 32 on macOS and libkqueue, 64 on FreeBSD 12 and later. */
  readonly size: number;
  /** Offset of `uintptr_t ident`. */
  readonly ident: number;
  /** Offset of `short filter`. */
  readonly filter: number;
  /** Offset of `unsigned short flags`. */
  readonly flags: number;
  /** Offset of `unsigned int fflags`. */
  readonly fflags: number;
  /** Offset of the 64-bit signed `data`. */
  readonly data: number;
  /** Offset of `void *udata`. */
  readonly udata: number;
  /** Offset of `uint64_t ext[4]` (FreeBSD), zeroed on every write; `null` where absent. */
  readonly ext: number | null;
}

/** One platform's ABI facts. */
export interface Abi {
  readonly os: "linux" | "darwin" | "freebsd" | "windows";
  readonly arch: "x86_64" | "aarch64";
  /** Names to try with dlopen, in order. */
  readonly libcNames: readonly string[];
  /**
   * The function that returns the calling thread's `&errno`; on Windows the function
   * that returns the error itself (`WSAGetLastError`).
   */
  readonly errnoFunction: "__errno_location" | "__error" | "WSAGetLastError";
  /** `sizeof(nfds_t)`: 8 on Linux (`unsigned long`), 4 on macOS and FreeBSD. */
  readonly nfdsBytes: 4 | 8;
  /**
   * Apple arm64 passes variadic arguments on the stack. iomux declares `fcntl` and
   * `open` with this many padding integer arguments before the variadic one, so
   * that it lands in the first stack slot; 0 where variadic ints go in registers.
   */
  readonly variadicPadding: number;
  /**
   * C symbols to bind instead of a table entry's plain name, where the platform's
   * headers redirect the call (Intel macOS: `select` → `select$1050`).
   */
  readonly symbolNames: Readonly<Record<string, string>>;
  /** Whether `pipe2(2)` exists (otherwise `pipe` + `fcntl`). */
  readonly hasPipe2: boolean;
  /** `FD_SETSIZE`; `fd_set` is `FD_SETSIZE / 8` bytes. */
  readonly fdSetSize: number;
  readonly timeval: TimeLayout;
  readonly timespec: TimeLayout;
  readonly pollfd: PollfdLayout;
  /** `null` where epoll does not exist. */
  readonly epollEvent: EpollEventLayout | null;
  /** `null` where kqueue is not native (Linux may still load libkqueue). */
  readonly kevent: KeventLayout | null;
  /**
   * `NOTE_PCTRLMASK` as CPython exports it: macOS defines it as `~NOTE_PDATAMASK`, a
   * signed int (-1048576); FreeBSD and libkqueue as `0xf0000000` (4026531840).
   */
  readonly KQ_NOTE_PCTRLMASK: number;
  /** `PIPE_BUF`. */
  readonly PIPE_BUF: number;
  /** The `POLL*` bits; a bit the platform lacks is 0. */
  readonly poll: Readonly<Record<PollName, number>>;
  /** `open(2)` and `fcntl(2)` constants. */
  readonly fcntl: Readonly<Record<FcntlName, number>>;
  /** errno values iomux itself tests for. */
  readonly errno: Readonly<Record<ErrnoName, number>>;
  /** errno value → symbolic name, for `OSError.code`. */
  readonly errnoNames: Readonly<Record<number, string>>;
  /** Socket constants and `sockaddr` layouts. */
  readonly socket: SocketAbi;
  /** `getaddrinfo`/`getnameinfo`: `netdb.h`'s constants and `struct addrinfo`. */
  readonly netdb: NetdbAbi;
  /** Terminals, ioctl, posix_spawn, waitpid. */
  readonly devices: DevicesAbi;
  /** Windows only: where Winsock and the C runtime differ from a Unix libc. */
  readonly winsock?: WinsockAbi;
}

/**
 * What Windows needs beyond a Unix table: two libraries instead of one libc, a
 * pointer-sized `SOCKET`, `fd_set` as a counted array of handles, and errors from
 * `WSAGetLastError()` with their `FormatMessage` texts.
 */
export interface WinsockAbi {
  /** `select`, `WSAPoll`, the socket calls, `WSAGetLastError`. */
  readonly winsockLibrary: string;
  /** `_pipe`, `_read`, `_write`, `_close`, `_open`, `_get_errno`. */
  readonly crtLibrary: string;
  /** `sizeof(SOCKET)`. */
  readonly socketBytes: 8;
  /** Error code → its text (the C runtime's `strerror`, Winsock's `FormatMessage`). */
  readonly messages: Readonly<Record<number, string>>;
  /** Offset of `fd_array` in `fd_set` (after `u_int fd_count` and its padding). */
  readonly fdArrayOffset: number;
  readonly WSAEINVAL: number;
  readonly WSAENOTSOCK: number;
  readonly WSAEWOULDBLOCK: number;
  /** `ioctlsocket`'s `FIONBIO` (`_IOW('f', 126, u_long)`), as a signed `long`. */
  readonly FIONBIO: number;
  /**
   * The `events` bits `WSAPoll` accepts; any other (`POLLPRI`, an output-only bit)
   * fails the whole call with WSAEINVAL. Callers mask their requests with it.
   */
  readonly pollEvents: number;
}

/** The poll bits exported by CPython. */
export type PollName =
  | "POLLIN"
  | "POLLPRI"
  | "POLLOUT"
  | "POLLERR"
  | "POLLHUP"
  | "POLLNVAL"
  | "POLLRDNORM"
  | "POLLRDBAND"
  | "POLLWRNORM"
  | "POLLWRBAND"
  | "POLLMSG"
  | "POLLRDHUP";

/** The `open`/`fcntl` constants iomux uses or exports. */
export type FcntlName =
  | "O_RDONLY"
  | "O_WRONLY"
  | "O_RDWR"
  | "O_APPEND"
  | "O_CREAT"
  | "O_EXCL"
  | "O_TRUNC"
  | "O_NONBLOCK"
  | "O_NOCTTY"
  | "O_SYNC"
  | "O_DIRECTORY"
  | "O_NOFOLLOW"
  | "O_CLOEXEC"
  | "F_GETFD"
  | "F_SETFD"
  | "F_GETFL"
  | "F_SETFL"
  | "FD_CLOEXEC";

/** errno names that iomux's own code branches on. */
export type ErrnoName =
  | "EPERM"
  | "ENOENT"
  | "EINTR"
  | "EBADF"
  | "EAGAIN"
  | "EEXIST"
  | "EINVAL"
  | "ENOSYS"
  | "EINPROGRESS";

/**
 * Sockets: the constants of `sys/socket.h`, `netinet/in.h` and `netinet/tcp.h`, and
 * how `struct sockaddr_*` is laid out. A constant the platform lacks is 0.
 */
export interface SocketAbi {
  readonly constants: Readonly<Record<SocketConstantName | SocketExtraConstantName, number>>;
  /**
   * BSD sockaddrs start with a one-byte `sa_len` and a one-byte `sa_family`; Linux's
   * start with a two-byte `sa_family`. The offsets after those two bytes are the same
   * everywhere (`sin_port` 2, `sin_addr` 4; `sin6_flowinfo` 4, `sin6_addr` 8,
   * `sin6_scope_id` 24).
   */
  readonly sockaddrHasLen: boolean;
  /** `struct sockaddr_nl` (`linux/netlink.h`); `null` where there is no `AF_NETLINK`. */
  readonly sockaddrNl: SockaddrNlLayout | null;
  /** `sizeof(((struct sockaddr_un *)0)->sun_path)`: 108 on Linux, 104 on BSD. */
  readonly sunPathSize: number;
  /** `accept4(2)` exists (otherwise `accept` + `fcntl`). */
  readonly hasAccept4: boolean;
  /** `SOCK_CLOEXEC`/`SOCK_NONBLOCK` are accepted by `socket(2)` and `socketpair(2)`. */
  readonly hasSockFlags: boolean;
  /** `sendmsg`/`recvmsg`'s structs; `null` where CPython has no `sendmsg` (Windows). */
  readonly msg: MsgAbi | null;
}

/**
 * `struct msghdr`, `struct iovec` and `struct cmsghdr` (`sys/socket.h`, `sys/uio.h`)
 * and the alignment of the `CMSG_*` macros, with the control-message constants.
 * Pointers are 8 bytes (every target is LP64); `iov_base` is at 0 and `iov_len` at 8.
 */
export interface MsgAbi {
  /** `sizeof(struct msghdr)`: 56 on Linux, 48 on the BSDs. */
  readonly size: number;
  readonly name: number;
  readonly namelen: number;
  readonly iov: number;
  readonly iovlen: number;
  /** `sizeof(msg_iovlen)`: `size_t` on Linux, `int` on the BSDs. */
  readonly iovlenBytes: 4 | 8;
  readonly control: number;
  readonly controllen: number;
  /** `sizeof(msg_controllen)`: `size_t` on Linux, `socklen_t` on the BSDs. */
  readonly controllenBytes: 4 | 8;
  readonly flags: number;
  /** `sizeof(struct iovec)`. */
  readonly iovecSize: 16;
  /** `sizeof(struct cmsghdr)`: 16 on Linux, 12 on the BSDs. */
  readonly cmsghdrSize: number;
  /** `sizeof(cmsg_len)` (at offset 0): `size_t` on Linux, `socklen_t` on the BSDs. */
  readonly cmsgLenBytes: 4 | 8;
  readonly cmsgLevel: number;
  readonly cmsgType: number;
  /** What `CMSG_ALIGN` rounds to: 8 on Linux and FreeBSD, 4 on macOS. */
  readonly cmsgAlign: 4 | 8;
}

/**
 * Byte layout of `struct sockaddr_nl`: `{sa_family_t nl_family; unsigned short
 * nl_pad; __u32 nl_pid; __u32 nl_groups;}`, 12 bytes.
 */
export interface SockaddrNlLayout {
  /** `sizeof(struct sockaddr_nl)`. */
  readonly size: number;
  /** Offset of `nl_pid`. */
  readonly pid: number;
  /** Offset of `nl_groups`. */
  readonly groups: number;
}

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

/** The core socket constants iomux exports (the rest: `SocketExtraConstantName`). */
export type SocketConstantName =
  | "AF_UNSPEC"
  | "AF_UNIX"
  | "AF_INET"
  | "AF_INET6"
  | "SOCK_STREAM"
  | "SOCK_DGRAM"
  | "SOCK_RAW"
  | "SOCK_SEQPACKET"
  | "SOCK_NONBLOCK"
  | "SOCK_CLOEXEC"
  | "SOL_SOCKET"
  | "SO_DEBUG"
  | "SO_ACCEPTCONN"
  | "SO_REUSEADDR"
  | "SO_KEEPALIVE"
  | "SO_DONTROUTE"
  | "SO_BROADCAST"
  | "SO_LINGER"
  | "SO_OOBINLINE"
  | "SO_REUSEPORT"
  | "SO_SNDBUF"
  | "SO_RCVBUF"
  | "SO_SNDLOWAT"
  | "SO_RCVLOWAT"
  | "SO_SNDTIMEO"
  | "SO_RCVTIMEO"
  | "SO_ERROR"
  | "SO_TYPE"
  | "SO_PROTOCOL"
  | "SO_NOSIGPIPE"
  | "IPPROTO_IP"
  | "IPPROTO_TCP"
  | "IPPROTO_UDP"
  | "IPPROTO_IPV6"
  | "TCP_NODELAY"
  | "IPV6_V6ONLY"
  | "SHUT_RD"
  | "SHUT_WR"
  | "SHUT_RDWR"
  | "MSG_OOB"
  | "MSG_PEEK"
  | "MSG_DONTROUTE"
  | "MSG_EOR"
  | "MSG_TRUNC"
  | "MSG_CTRUNC"
  | "MSG_WAITALL"
  | "MSG_DONTWAIT"
  | "MSG_NOSIGNAL"
  | "SOMAXCONN";

/** Byte layout of `struct termios`; `NCCS` is in the constants. */
export interface TermiosLayout {
  /** `sizeof(struct termios)`. */
  readonly size: number;
  readonly iflag: number;
  readonly oflag: number;
  readonly cflag: number;
  readonly lflag: number;
  /** Offset of `cc_t c_cc[NCCS]`. */
  readonly cc: number;
  /** `sizeof(tcflag_t)`: 4, or 8 on macOS (`unsigned long`). */
  readonly flagBytes: 4 | 8;
}

/** Terminals, `ioctl`, `posix_spawn` and `waitpid`: the device toolkit's facts. */
export interface DevicesAbi {
  readonly termios: TermiosLayout;
  /** CPython's `termios` constants by name (a name the platform lacks is 0). */
  readonly termiosConstants: Readonly<Record<TermiosName, number>>;
  /** CPython's `fcntl` constants by name (a name the platform lacks is 0). */
  readonly fcntlConstants: Readonly<Record<FcntlConstantName, number>>;
  /** `sizeof(posix_spawn_file_actions_t)` (a pointer on the BSDs). */
  readonly posixSpawnFileActionsSize: number;
  /** `sizeof(posix_spawnattr_t)` (a pointer on the BSDs). */
  readonly posixSpawnattrSize: number;
  /** `sizeof(sigset_t)`. */
  readonly sigsetSize: number;
  /** The `POSIX_SPAWN_*` attribute flags; `SETSID` is 0 where absent. */
  readonly spawnFlags: Readonly<
    Record<"RESETIDS" | "SETPGROUP" | "SETSIGDEF" | "SETSIGMASK" | "SETSID", number>
  >;
  /** `waitpid(2)` options. */
  readonly wait: Readonly<Record<"WNOHANG" | "WUNTRACED" | "WCONTINUED", number>>;
}
