/**
 * A poll handle on Node's own libuv loop, watching one fd for reading: a `uv_poll_t`
 * through `node:ffi` (`uv_wake.ts`) or `koffi.node.poll` (`koffi_wake.ts`). It is
 * how the readiness of iomux's own epoll or kqueue fds reaches Node's loop without a
 * thread or a pending FFI call: the shared waiter's ready set (`epoll_set.ts`,
 * through `loop_round.ts`) and the watchers' selector (`watch/_source_loop.ts`).
 *
 * Such a handle watches one of iomux's own fds only, never a caller's: libuv aborts
 * the process when it registers a poll handle whose fd was closed meanwhile
 * (`deps/uv/src/unix/linux.c`, `uv__epoll_ctl_prep`), sets `O_NONBLOCK` on the fds it
 * polls (`uv_poll_init`), and refuses a second handle on one fd (`UV_EEXIST`).
 *
 * Its callback runs from the loop's poll phase, where Node (26, and koffi there)
 * runs no microtask checkpoint after it: whoever settles promises or calls user code
 * from it calls {@linkcode checkpointSoon}, so that their microtasks run in the
 * check phase of the same loop iteration. At exit each handle must be closed
 * (`ffi/_native.ts`'s `onExit`): Node runs the loop once more while it tears the
 * environment down (`Environment::CleanupHandles`), where a handle that fires would
 * call into JavaScript that can no longer run, and the process would abort. A Worker
 * that is `terminate()`d runs no JavaScript before that teardown, so these handles
 * are for the main thread only.
 *
 * @module
 */
import { isMainThread } from "../ffi/_native.ts";
import { libc } from "../ffi/libc.ts";
import { openKoffiWake } from "./koffi_wake.ts";
import { openUvWake } from "./uv_wake.ts";

function nothing(): void {}

/**
 * Has the microtasks queued so far run in the check phase of this loop iteration:
 * one immediate, whose callback Node runs with a checkpoint after it. For code
 * running in a poll handle's callback.
 */
export function checkpointSoon(): void {
  (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate!(nothing);
}

/** A poll handle on the runtime's loop, watching one fd for reading. */
export interface LoopWake {
  /** Watches again after {@linkcode stop}. */
  start(): void;
  /** Stops watching (a poll handle fires on every loop iteration while its fd is readable). */
  stop(): void;
  /** Whether the handle keeps the loop alive (`uv_ref`/`uv_unref`). */
  setRef(refed: boolean): void;
  /** Releases the handle (libuv frees it after the loop's close phase). */
  close(): void;
}

/**
 * Opens a started, ref'd {@linkcode LoopWake} on `fd`. `onReadable` runs from the
 * loop's poll phase, where Node runs no microtask checkpoint after it: what it
 * settles needs {@linkcode checkpointSoon}. It must not throw. `stopped` says the
 * loop stopped the handle itself (libuv does on `POLLERR`, calling back with
 * `UV_EBADF`: `uv__poll_io`).
 */
export type OpenWake = (fd: number, onReadable: (stopped: boolean) => void) => LoopWake;

/**
 * The opener for this thread's FFI backend: libuv's `uv_poll_t` under `node:ffi`,
 * `koffi.node.poll` under koffi; `undefined` on other runtimes and off the main
 * thread.
 */
export function loopWakeOpener(): OpenWake | undefined {
  if (!isMainThread()) return undefined;
  switch (libc().backend) {
    case "node:ffi":
      return openUvWake;
    case "koffi":
      return openKoffiWake;
  }
  return undefined;
}
