/**
 * The device toolkit's calls in the libc table (`symbols.ts` spreads them into
 * `LIBC_SYMBOLS`): `dup`, `ioctl` and `fcntl` with a buffer, terminals and
 * pseudo-terminals, `termios`, `posix_spawn` and its attributes, signal sets,
 * `waitpid`, and `strtol` for learning an address. A file of its own because the
 * toolkit (`os/`, `termios/`, `fcntl/`) is the only user of these calls.
 *
 * @module
 */
import type { SymbolSpec } from "./types.ts";

/** The fd, terminal and process calls of `os/`, `termios/` and `fcntl/`, in C types. */
export const DEVICE_SYMBOLS = {
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
} as const satisfies Readonly<Record<string, SymbolSpec>>;
