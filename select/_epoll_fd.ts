/**
 * The system calls that make and change an epoll fd, apart from the wait:
 * `epoll_create1(2)`, refused with ENOSYS where there is no epoll, and
 * `epoll_ctl(2)` with one `struct epoll_event` (`Modules/selectmodule.c`
 * `newPyEpoll_Object`, `pyepoll_internal_ctl`). Separate from `epoll.ts`, which
 * keeps CPython's argument checks and their order.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError, strerror } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { EPOLL_DATA_WORD, EPOLL_EVENT_SIZE } from "../ffi/structs.ts";
import { EPOLL_CLOEXEC } from "./constants.ts";

const { ENOSYS } = abi.errno;
/** `epoll_ctl`'s `op`: start watching an fd. */
export const EPOLL_CTL_ADD = 1;
/** `epoll_ctl`'s `op`: stop watching an fd. */
export const EPOLL_CTL_DEL = 2;
/** `epoll_ctl`'s `op`: change the events watched on an fd. */
export const EPOLL_CTL_MOD = 3;

/** Throws `OSError(ENOSYS)` where there is no epoll (anywhere but Linux). */
export function requireEpoll(): void {
  if (libc().epoll_create1 === null) {
    throw new OSError(ENOSYS, `${strerror(ENOSYS)}: epoll exists only on Linux`);
  }
}

/** A new epoll fd, `epoll_create1(EPOLL_CLOEXEC)`: never inherited by child processes. */
export function createEpoll(): number {
  requireEpoll();
  const fd = libc().epoll_create1!(EPOLL_CLOEXEC);
  if (fd < 0) throw lastOsError();
  return fd;
}

/** `epoll_ctl(2)`'s `struct epoll_event`, one per instance. */
export class EpollCtl {
  readonly #event = new Uint8Array(Math.max(EPOLL_EVENT_SIZE, 16));
  readonly #words = new Uint32Array(this.#event.buffer);

  /** `epoll_ctl(epfd, op, fd, { events, data.fd = fd })`; throws the kernel's error. */
  call(epfd: number, op: number, fd: number, events: number): void {
    const words = this.#words;
    words[0] = events;
    words[EPOLL_DATA_WORD] = fd;
    words[EPOLL_DATA_WORD + 1] = 0;
    const c = libc();
    if (c.epoll_ctl!(epfd, op, fd, this.#event) < 0) throw lastOsError();
  }
}
