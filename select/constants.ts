/**
 * The `select` module's constants with this platform's values (`Modules/selectmodule.c`,
 * `_select_exec`).
 * `POLL*` bits a platform lacks are 0; `EPOLL*` keep Linux's values everywhere so
 * that code type-checks and runs the same on every OS.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

/** There is data to read. */
export const POLLIN: number = abi.poll.POLLIN;
/** There is urgent data to read. */
export const POLLPRI: number = abi.poll.POLLPRI;
/** Ready for output: writing will not block. */
export const POLLOUT: number = abi.poll.POLLOUT;
/** Error condition (always reported). */
export const POLLERR: number = abi.poll.POLLERR;
/** Hung up (always reported). */
export const POLLHUP: number = abi.poll.POLLHUP;
/** Invalid request: the fd is not open (always reported). */
export const POLLNVAL: number = abi.poll.POLLNVAL;
/** Normal data may be read. */
export const POLLRDNORM: number = abi.poll.POLLRDNORM;
/** Priority band data may be read. */
export const POLLRDBAND: number = abi.poll.POLLRDBAND;
/** Normal data may be written (equals `POLLOUT` on macOS and FreeBSD). */
export const POLLWRNORM: number = abi.poll.POLLWRNORM;
/** Priority data may be written. */
export const POLLWRBAND: number = abi.poll.POLLWRBAND;
/** Linux only (unused by the kernel); 0 elsewhere. */
export const POLLMSG: number = abi.poll.POLLMSG;
/** The peer closed its writing half (Linux, FreeBSD 14+: older ones ignore it); 0 elsewhere. */
export const POLLRDHUP: number = abi.poll.POLLRDHUP;

/** Available for read. */
export const EPOLLIN = 0x1;
/** Urgent data for read. */
export const EPOLLPRI = 0x2;
/** Available for write. */
export const EPOLLOUT = 0x4;
/** Error condition (always reported). */
export const EPOLLERR = 0x8;
/** Hang up (always reported). */
export const EPOLLHUP = 0x10;
/** Same as `EPOLLIN` for most fds. */
export const EPOLLRDNORM = 0x40;
/** Priority data for read. */
export const EPOLLRDBAND = 0x80;
/** Same as `EPOLLOUT` for most fds. */
export const EPOLLWRNORM = 0x100;
/** Priority data for write. */
export const EPOLLWRBAND = 0x200;
/** Ignored by the kernel. */
export const EPOLLMSG = 0x400;
/** The peer shut down its writing half. */
export const EPOLLRDHUP = 0x2000;
/** Wake only one of several epoll instances waiting on the same fd (Linux 4.5+). */
export const EPOLLEXCLUSIVE = 0x10000000;
/** Disarm the fd after one event; `modify` re-arms it. */
export const EPOLLONESHOT = 0x40000000;
/** Edge-triggered: report changes, not states. 2^31, positive as in CPython. */
export const EPOLLET = 0x80000000;
/** `O_CLOEXEC` for `epoll_create1` (x86_64 and aarch64). */
export const EPOLL_CLOEXEC = 0x80000;

/** Bytes a pipe write is guaranteed to be atomic up to (4096 on Linux, 512 on BSD). */
export const PIPE_BUF: number = abi.PIPE_BUF;
