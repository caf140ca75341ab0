// Which platform-bound cases run here.
import process from "node:process";

/**
 * The reason a case that selects or polls pipes (or needs other POSIX fds) is
 * skipped on Windows, or `false` elsewhere. Windows `select()` and `WSAPoll` watch
 * sockets only, as in CPython, which skips `test_select.py`'s `SelectTestCase` on
 * win32 and has no `select.poll` there; tests/windows/ covers Windows on sockets.
 */
export const POSIX_FDS: string | false = process.platform === "win32"
  ? "Windows select() and WSAPoll take sockets only (CPython skips these cases on win32)"
  : false;

/** The reason an AF_UNIX case is skipped on Windows, or `false` elsewhere. */
export const UNIX_SOCKETS: string | false = process.platform === "win32"
  ? "Windows has no AF_UNIX socketpair() and Wine refuses AF_UNIX sockets " +
    "(tests/windows/unix_socket_test.ts tries them)"
  : false;

/** The reason a case that changes RLIMIT_NOFILE is skipped on Windows, or `false`. */
export const NO_RLIMIT: string | false = process.platform === "win32"
  ? "Windows has no RLIMIT_NOFILE (CPython: no resource module there)"
  : false;

/**
 * The reason a case whose harness is POSIX (a `sh` child process, AF_UNIX pairs,
 * epoll, `/proc`, Unix paths) is skipped on Windows, or `false` elsewhere.
 */
export const POSIX_HARNESS: string | false = process.platform === "win32"
  ? "the case's harness is POSIX (sh children, AF_UNIX, epoll or Unix paths)"
  : false;

/**
 * The reason a case that needs a pipe's own semantics (a hung-up read end, a one-way
 * fd) is skipped on Windows, or `false` elsewhere: Windows `select()` and `WSAPoll`
 * watch sockets only. Cases that need only "readable once written" run there on
 * `tests/_kit/pairs.ts`'s socket pairs instead; tests/windows/ holds the Windows twins.
 */
export const PIPE_WAITS: string | false = process.platform === "win32"
  ? "the case needs pipes, which Windows select() and WSAPoll cannot watch " +
    "(tests/windows/ runs its Windows twin on sockets)"
  : false;

/** `reason` on Windows, `false` elsewhere: a case whose premise only POSIX fds keep. */
export function notOnWindows(reason: string): string | false {
  return process.platform === "win32" ? reason : false;
}
