/**
 * The shape of one platform's ABI table: everything iomux must know about an OS and
 * architecture that the C headers would otherwise tell a C program. The shapes of its
 * `socket`, `netdb` and `devices` parts are in `socket_types.ts`, `netdb_types.ts`
 * and `devices_types.ts`.
 *
 * @module
 */
import type { DevicesAbi } from "./devices_types.ts";
import type { NetdbAbi } from "./netdb_types.ts";
import type { SocketAbi } from "./socket_types.ts";

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
