/**
 * The shape of one platform's ABI table: everything iomux must know about an OS and
 * architecture that the C headers would otherwise tell a C program.
 *
 * @module
 */

/** Byte layout of `struct timeval` / `struct timespec`. */
export interface TimeLayout {
  /** `sizeof(struct ...)`. */
  readonly size: number;
  /** Width in bytes of the second field (`tv_usec` or `tv_nsec`). */
  readonly fractionBytes: 4 | 8;
}

/** Byte layout of `struct epoll_event` (`{u32 events; u64 data}`). */
export interface EpollEventLayout {
  /** 12 on x86_64 (the struct is packed), 16 elsewhere. */
  readonly size: number;
  /** Offset of `data`; iomux keeps the fd in its low 32 bits. */
  readonly dataOffset: number;
}

/** Byte layout of `struct kevent`. */
export interface KeventLayout {
  /** 32 on macOS and libkqueue, 64 on FreeBSD 12 and later. */
  readonly size: number;
  /** Offsets of the fields. */
  readonly ident: number;
  readonly filter: number;
  readonly flags: number;
  readonly fflags: number;
  readonly data: number;
  readonly udata: number;
  /** Offset of `ext[4]` (FreeBSD), zeroed on every write; `null` where absent. */
  readonly ext: number | null;
}

/** One platform's ABI facts. */
export interface Abi {
  readonly os: "linux" | "darwin" | "freebsd";
  readonly arch: "x86_64" | "aarch64";
  /** Names to try with dlopen, in order. */
  readonly libcNames: readonly string[];
  /** The function that returns the calling thread's `&errno`. */
  readonly errnoFunction: "__errno_location" | "__error";
  /** `sizeof(nfds_t)`: 8 on Linux (`unsigned long`), 4 on macOS and FreeBSD. */
  readonly nfdsBytes: 4 | 8;
  /**
   * Apple arm64 passes variadic arguments on the stack. iomux declares `fcntl` and
   * `open` with this many padding integer arguments before the variadic one, so
   * that it lands in the first stack slot; 0 where variadic ints go in registers.
   */
  readonly variadicPadding: number;
  /** Whether `pipe2(2)` exists (otherwise `pipe` + `fcntl`). */
  readonly hasPipe2: boolean;
  /** `FD_SETSIZE`; `fd_set` is `FD_SETSIZE / 8` bytes. */
  readonly fdSetSize: number;
  readonly timeval: TimeLayout;
  readonly timespec: TimeLayout;
  /** `null` where epoll does not exist. */
  readonly epollEvent: EpollEventLayout | null;
  /** `null` where kqueue is not native (Linux may still load libkqueue). */
  readonly kevent: KeventLayout | null;
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
