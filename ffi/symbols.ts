/**
 * The libc symbol table: every function iomux calls, declared once, in C types
 * (see {@linkcode CType}). The `Libc` type of `libc.ts` is derived from it, and
 * {@linkcode symbolsFor} resolves it for one platform into the native notation
 * that every backend translates generically.
 *
 * To add a libc function: add it here, and nowhere else.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { CType, NativeSpec, NativeType, SymbolSpec } from "./types.ts";

/**
 * `kqueue(2)` and `kevent(2)`: in libc on macOS and FreeBSD, in a separately
 * loaded libkqueue on Linux (see `kqueue_lib.ts`). `struct timespec` is passed by
 * pointer, so the table is the same on every platform.
 */
export const KQUEUE_SYMBOLS = {
  kqueue: { parameters: [], result: "int" },
  kevent: {
    parameters: [
      "int", // int kq
      "void * | NULL", // const struct kevent *changelist
      "int", // int nchanges
      "void * | NULL", // struct kevent *eventlist
      "int", // int nevents
      "void * | NULL", // const struct timespec *timeout
    ],
    result: "int",
  },
} as const satisfies Readonly<Record<string, SymbolSpec>>;

/**
 * libc as iomux uses it. Every `int` function returns -1 and sets errno on failure.
 * ssize_t results are read as `int`: iomux never asks for more than 0x7ffff000
 * bytes (Linux's own `MAX_RW_COUNT`), and the low half of the register is exact.
 */
export const LIBC_SYMBOLS = {
  select: {
    parameters: [
      "int", // int nfds
      "void * | NULL", // fd_set *readfds
      "void * | NULL", // fd_set *writefds
      "void * | NULL", // fd_set *exceptfds
      "void * | NULL", // struct timeval *timeout
    ],
    result: "int",
  },
  poll: {
    parameters: [
      "void * | NULL", // struct pollfd *fds
      "nfds_t", // nfds_t nfds
      "int", // int timeout
    ],
    result: "int",
  },
  // The same poll(2), run on a worker thread: the waiting thread of _wait/poll_set.ts.
  // `fds` must not be touched until the Promise settles; on -1, repeat the call
  // synchronously with timeout 0 to learn errno.
  poll_async: {
    name: "poll",
    parameters: [
      "void *", // struct pollfd *fds
      "nfds_t", // nfds_t nfds
      "int", // int timeout
    ],
    result: "int",
    nonblocking: true,
    optional: true,
  },
  // The same epoll_wait(2), run on a worker thread: the waiting thread of
  // _wait/epoll_set.ts (same rules as poll_async).
  epoll_wait_async: {
    name: "epoll_wait",
    parameters: [
      "int", // int epfd
      "void *", // struct epoll_event *events
      "int", // int maxevents
      "int", // int timeout
    ],
    result: "int",
    nonblocking: true,
    optional: true,
  },
  kqueue: { ...KQUEUE_SYMBOLS.kqueue, optional: true },
  kevent: { ...KQUEUE_SYMBOLS.kevent, optional: true },
  epoll_create1: { parameters: ["int" /* int flags */], result: "int", optional: true },
  epoll_ctl: {
    parameters: [
      "int", // int epfd
      "int", // int op
      "int", // int fd
      "void *", // struct epoll_event *event
    ],
    result: "int",
    optional: true,
  },
  epoll_wait: {
    parameters: [
      "int", // int epfd
      "void *", // struct epoll_event *events
      "int", // int maxevents
      "int", // int timeout
    ],
    result: "int",
    optional: true,
  },
  eventfd: {
    parameters: ["unsigned int", /* unsigned int initval */ "int" /* int flags */],
    result: "int",
    optional: true,
  },
  pipe: { parameters: ["void *" /* int fds[2] */], result: "int" },
  pipe2: {
    parameters: ["void *", /* int fds[2] */ "int" /* int flags */],
    result: "int",
    optional: true,
  },
  read: {
    parameters: ["int", /* int fd */ "void *", /* void *buf */ "size_t" /* size_t count */],
    result: "int",
  },
  write: {
    parameters: ["int", /* int fd */ "void *", /* const void *buf */ "size_t" /* size_t count */],
    result: "int",
  },
  close: { parameters: ["int" /* int fd */], result: "int" },
  // Read once, with act NULL, to learn whether SIGPIPE is ignored (ffi/libc.ts).
  sigaction: {
    parameters: [
      "int", // int signum
      "void * | NULL", // const struct sigaction *act
      "void * | NULL", // struct sigaction *oldact
    ],
    result: "int",
    optional: true,
  },
  fcntl: {
    parameters: ["int", /* int fd */ "int", /* int cmd */ "int ..." /* int arg */],
    result: "int",
  },
  open: {
    parameters: [
      "void *", // const char *path (NUL-terminated)
      "int", // int flags
      "int ...", // mode_t mode
    ],
    result: "int",
  },
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
  // Host names (netdb.h). Each returns 0 or an EAI_* code (not -1 and errno); the
  // result list is read through read_memory and released with freeaddrinfo.
  getaddrinfo: {
    parameters: [
      "void * | NULL", // const char *node (NUL-terminated)
      "void * | NULL", // const char *service (NUL-terminated)
      "void *", // const struct addrinfo *hints
      "void *", // struct addrinfo **res (one pointer-sized cell)
    ],
    result: "int",
  },
  // The same getaddrinfo, run on a worker thread (getaddrinfoAsync): the buffers must
  // not be touched until the Promise settles; EAI_SYSTEM's errno is lost with the thread.
  getaddrinfo_async: {
    name: "getaddrinfo",
    parameters: [
      "void * | NULL", // const char *node
      "void * | NULL", // const char *service
      "void *", // const struct addrinfo *hints
      "void *", // struct addrinfo **res
    ],
    result: "int",
    nonblocking: true,
    optional: true,
  },
  // void freeaddrinfo(struct addrinfo *res): the pointer getaddrinfo left in *res,
  // passed as the integer it was read as (every supported ABI passes both alike).
  freeaddrinfo: { parameters: ["uintptr_t" /* struct addrinfo *res */], result: "int" },
  // The buffer lengths are socklen_t in glibc and macOS, size_t in FreeBSD, DWORD in
  // Winsock: passed in a full register, each callee reads its own width.
  getnameinfo: {
    parameters: [
      "void *", // const struct sockaddr *addr
      "socklen_t", // socklen_t addrlen
      "void *", // char *host
      "size_t", // socklen_t hostlen
      "void *", // char *serv
      "size_t", // socklen_t servlen
      "int", // int flags
    ],
    result: "int",
  },
  gai_strerror: { parameters: ["int" /* int errcode */], result: "char *", optional: true },
  // memcpy from memory libc owns (a getaddrinfo result), its address an integer;
  // with strlen, the only way iomux reads memory it did not allocate.
  read_memory: {
    name: "memcpy",
    parameters: [
      "void *", // void *dest (iomux's buffer, at least n bytes)
      "uintptr_t", // const void *src
      "size_t", // size_t n
    ],
    result: "int",
  },
  strlen_at: { name: "strlen", parameters: ["uintptr_t" /* const char *s */], result: "int" },
  // The device toolkit: fds, terminals, ioctl, processes. `unsigned long request`
  // and `speed_t` are passed as size_t: a full register, so the callee reads the
  // right value whether the C type is 32 bits (Linux speed_t) or 64 (macOS).
  dup: { parameters: ["int" /* int oldfd */], result: "int" },
  dup2: { parameters: ["int", /* int oldfd */ "int" /* int newfd */], result: "int" },
  dup3: {
    parameters: ["int", /* int oldfd */ "int", /* int newfd */ "int" /* int flags */],
    result: "int",
    optional: true,
  },
  fcntl_buffer: {
    name: "fcntl",
    parameters: ["int", /* int fd */ "int", /* int cmd */ "void * ..." /* void *arg */],
    result: "int",
  },
  ioctl: {
    parameters: [
      "int", // int fd
      "size_t", // unsigned long request
      "int ...", // int arg
    ],
    result: "int",
  },
  ioctl_buffer: {
    name: "ioctl",
    parameters: [
      "int", // int fd
      "size_t", // unsigned long request
      "void * ...", // void *arg
    ],
    result: "int",
  },
  isatty: { parameters: ["int" /* int fd */], result: "int" },
  // Returns 0 or an error number (not -1 and errno).
  ttyname_r: {
    parameters: ["int", /* int fd */ "void *", /* char *buf */ "size_t" /* size_t buflen */],
    result: "int",
  },
  posix_openpt: { parameters: ["int" /* int flags */], result: "int" },
  grantpt: { parameters: ["int" /* int fd */], result: "int" },
  unlockpt: { parameters: ["int" /* int fd */], result: "int" },
  // 0 on success; on failure glibc returns an error number, macOS -1 and errno.
  ptsname_r: {
    parameters: ["int", /* int fd */ "void *", /* char *buf */ "size_t" /* size_t buflen */],
    result: "int",
  },
  tcgetattr: {
    parameters: ["int", /* int fd */ "void *" /* struct termios *termios_p */],
    result: "int",
  },
  tcsetattr: {
    parameters: [
      "int", // int fd
      "int", // int optional_actions
      "void *", // const struct termios *termios_p
    ],
    result: "int",
  },
  tcdrain: { parameters: ["int" /* int fd */], result: "int" },
  tcflush: { parameters: ["int", /* int fd */ "int" /* int queue_selector */], result: "int" },
  tcflow: { parameters: ["int", /* int fd */ "int" /* int action */], result: "int" },
  tcsendbreak: { parameters: ["int", /* int fd */ "int" /* int duration */], result: "int" },
  // speed_t results are read as int: every B* value fits.
  cfgetispeed: { parameters: ["void *" /* const struct termios *termios_p */], result: "int" },
  cfgetospeed: { parameters: ["void *" /* const struct termios *termios_p */], result: "int" },
  cfsetispeed: {
    parameters: ["void *", /* struct termios *termios_p */ "size_t" /* speed_t speed */],
    result: "int",
  },
  cfsetospeed: {
    parameters: ["void *", /* struct termios *termios_p */ "size_t" /* speed_t speed */],
    result: "int",
  },
  // The posix_spawn family returns 0 or an error number (not -1 and errno).
  posix_spawn: {
    parameters: [
      "void *", // pid_t *pid
      "void *", // const char *path (NUL-terminated)
      "void * | NULL", // const posix_spawn_file_actions_t *file_actions
      "void * | NULL", // const posix_spawnattr_t *attrp
      "void *", // char *const argv[] (NULL-terminated pointers)
      "void *", // char *const envp[]
    ],
    result: "int",
  },
  posix_spawnp: {
    parameters: [
      "void *", // pid_t *pid
      "void *", // const char *file
      "void * | NULL", // const posix_spawn_file_actions_t *file_actions
      "void * | NULL", // const posix_spawnattr_t *attrp
      "void *", // char *const argv[]
      "void *", // char *const envp[]
    ],
    result: "int",
  },
  posix_spawn_file_actions_init: {
    parameters: ["void *" /* posix_spawn_file_actions_t *file_actions */],
    result: "int",
  },
  posix_spawn_file_actions_destroy: {
    parameters: ["void *" /* posix_spawn_file_actions_t *file_actions */],
    result: "int",
  },
  posix_spawn_file_actions_adddup2: {
    parameters: [
      "void *", // posix_spawn_file_actions_t *file_actions
      "int", // int fildes
      "int", // int newfildes
    ],
    result: "int",
  },
  posix_spawn_file_actions_addclose: {
    parameters: ["void *", /* posix_spawn_file_actions_t *file_actions */ "int" /* int fildes */],
    result: "int",
  },
  posix_spawn_file_actions_addopen: {
    parameters: [
      "void *", // posix_spawn_file_actions_t *file_actions
      "int", // int fildes
      "void *", // const char *path (copied by libc)
      "int", // int oflag
      "unsigned int", // mode_t mode
    ],
    result: "int",
  },
  posix_spawnattr_init: { parameters: ["void *" /* posix_spawnattr_t *attr */], result: "int" },
  posix_spawnattr_destroy: {
    parameters: ["void *" /* posix_spawnattr_t *attr */],
    result: "int",
  },
  posix_spawnattr_setflags: {
    parameters: ["void *", /* posix_spawnattr_t *attr */ "int" /* short flags */],
    result: "int",
  },
  posix_spawnattr_setpgroup: {
    parameters: ["void *", /* posix_spawnattr_t *attr */ "int" /* pid_t pgroup */],
    result: "int",
  },
  posix_spawnattr_setsigmask: {
    parameters: ["void *", /* posix_spawnattr_t *attr */ "void *" /* const sigset_t *sigmask */],
    result: "int",
  },
  posix_spawnattr_setsigdefault: {
    parameters: ["void *", /* posix_spawnattr_t *attr */ "void *" /* const sigset_t *sigdefault */],
    result: "int",
  },
  sigemptyset: { parameters: ["void *" /* sigset_t *set */], result: "int" },
  sigaddset: { parameters: ["void *", /* sigset_t *set */ "int" /* int signum */], result: "int" },
  waitpid: {
    parameters: [
      "int",
      /* pid_t pid */ "void * | NULL",
      /* int *wstatus */ "int", /* int options */
    ],
    result: "int",
  },
  // Learns a buffer's address portably, for arrays of pointers (argv, envp): on a
  // string with no digits, strtol stores nptr itself in *endptr.
  strtol: {
    parameters: [
      "void *", // const char *nptr
      "void *", // char **endptr
      "int", // int base
    ],
    result: "int",
  },
  strerror: { parameters: ["int" /* int errnum */], result: "char *" },
  // Windows only (ws2_32.dll): a socket is closed and made non-blocking with these,
  // not with close(2) and fcntl(2).
  closesocket: { parameters: ["int" /* SOCKET s */], result: "int", optional: true },
  ioctlsocket: {
    parameters: ["int", /* SOCKET s */ "int", /* long cmd */ "void *" /* u_long *argp */],
    result: "int",
    optional: true,
  },
} as const satisfies Readonly<Record<string, SymbolSpec>>;

/** The C symbol a table entry binds on this platform (`select$1050` on Intel macOS). */
export function symbolName(key: string, spec: SymbolSpec, abi: Abi): string {
  const c = spec.name ?? key;
  return abi.symbolNames[c] ?? c;
}

/** The native types one C parameter type takes on this platform. */
function nativeParameters(type: CType, abi: Abi): NativeType[] {
  switch (type) {
    case "int":
      return ["i32"];
    case "unsigned int":
    case "socklen_t":
      return ["u32"];
    case "size_t":
    case "uintptr_t":
      return ["usize"];
    case "nfds_t":
      return [abi.nfdsBytes === 8 ? "u64" : "u32"];
    case "int ...":
      // Apple arm64 passes variadic arguments on the stack: fill x0–x7 with padding
      // so that the variadic argument is the first stack slot (see abi/darwin.ts).
      return abi.variadicPadding > 0
        ? new Array<NativeType>(abi.variadicPadding + 1).fill("i64")
        : ["i32"];
    case "void * ...":
      return [...new Array<NativeType>(abi.variadicPadding).fill("i64"), "buffer"];
    case "void *":
    case "void * | NULL":
      return ["buffer"];
  }
}

/** Resolves a table for one platform: native types and the C symbol names. */
export function resolveTable(
  table: Readonly<Record<string, SymbolSpec>>,
  abi: Abi,
): Record<string, NativeSpec> {
  const out: Record<string, NativeSpec> = {};
  for (const [key, spec] of Object.entries(table)) {
    const name = symbolName(key, spec, abi);
    out[key] = {
      parameters: spec.parameters.flatMap((t) => nativeParameters(t, abi)),
      result: spec.result === "char *" ? "pointer" : "i32",
      ...(name === key ? {} : { name }),
      ...(spec.optional ? { optional: true } : {}),
      ...(spec.nonblocking ? { nonblocking: true } : {}),
    };
  }
  return out;
}

/** The libc table for one platform, with its errno function (`() -> int *`). */
export function symbolsFor(abi: Abi): Record<string, NativeSpec> {
  return {
    ...resolveTable(LIBC_SYMBOLS, abi),
    [abi.errnoFunction]: { parameters: [], result: "pointer" },
  };
}
