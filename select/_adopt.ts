/**
 * The fd lifecycle `Epoll` and `Kqueue` share: `fromFd` adopts an fd instead of
 * creating one (`Modules/selectmodule.c` `select_epoll_fromfd`,
 * `select_kqueue_fromfd`, through `newPyEpoll_Object` and `newKqueue_Object` with
 * `fd != -1`), and an instance collected while open closes its fd
 * (`pyepoll_dealloc`, `kqueue_queue_dealloc`).
 *
 * @module
 */
import { closeOnCollection } from "../_py/resource_warning.ts";
import { cInt } from "../_py/convert.ts";
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";

/** One class's pending adoption: set by its `fromFd` while its constructor runs. */
export class Adoption {
  #fd: number | undefined;

  /**
   * `fromfd(fd)`: `-1` makes a new instance; any other negative number is EBADF;
   * otherwise `ready()` runs (the mechanism's own presence check) and `make()`
   * builds an instance whose constructor {@linkcode take}s `fd`.
   */
  from<T>(fd: number, make: () => T, ready?: () => void): T {
    const n = cInt(fd);
    if (n === -1) return make();
    if (n < 0) throw osError(abi.errno.EBADF);
    ready?.();
    this.#fd = n;
    try {
      return make();
    } finally {
      this.#fd = undefined;
    }
  }

  /** In the constructor: the fd being adopted, owned by `owner` from now on, if any. */
  take(owner: object): number | undefined {
    const fd = this.#fd;
    if (fd !== undefined) closeOnCollection(owner, fd);
    return fd;
  }

  /** In the constructor: `fd`, just created, owned by `owner` from now on. */
  own(owner: object, fd: number): number {
    closeOnCollection(owner, fd);
    return fd;
  }
}
