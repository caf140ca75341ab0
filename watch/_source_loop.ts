/**
 * A {@linkcode ReadinessSource} woken by the runtime's own event loop: the hub's
 * selector (epoll, kqueue) is watched by one poll handle on Node's libuv loop
 * (`uv_poll_t` through `node:ffi`, or `koffi.node.poll`), which says when the
 * selector's fd turns readable; the readiness itself is read with a zero-timeout
 * `select`. No thread and no pending FFI call: a wait costs a loop iteration, and an
 * unref'd handle lets the process exit while the wait is pending.
 *
 * The loop watches the selector's fd only, never a watcher's fd: libuv aborts the
 * process when it registers a poll handle whose fd was closed meanwhile
 * (`deps/uv/src/unix/linux.c`, `uv__epoll_ctl_prep`), sets `O_NONBLOCK` on the fds
 * it polls (`uv_poll_init`), and refuses a second handle on one fd (`UV_EEXIST`);
 * watched fds stay as `selectors.DefaultSelector` treats them.
 *
 * At exit the handle is closed: Node runs the loop once more while it tears the
 * environment down (`Environment::CleanupHandles`), where a handle that fires would
 * call into JavaScript that can no longer run, and the process would abort. A Worker
 * thread that is `terminate()`d runs no JavaScript before that teardown (no `exit`
 * event), so these sources are for the main thread only; Workers keep the selector.
 *
 * @module
 */
import { isMainThread, onExit } from "../ffi/_native.ts";
import { type Readiness, type ReadinessSource, SelectorSource } from "./_source.ts";

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
 * loop's poll phase, where Node runs no microtask checkpoint after it: it must not
 * rely on a promise settling (nor throw). `stopped` says the loop stopped the handle
 * itself (libuv does on `POLLERR`, calling back with `UV_EBADF`: `uv__poll_io`).
 */
export type OpenWake = (fd: number, onReadable: (stopped: boolean) => void) => LoopWake;

interface PendingWait {
  readonly resolve: (ready: Readiness[]) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

let open = 0;

/** For tests: how many loop sources are open (each holds one poll handle). */
export function loopSources(): number {
  return open;
}

type Immediate = (callback: () => void) => unknown;

/** The source over a {@linkcode LoopWake}. */
export class LoopSource implements ReadinessSource {
  readonly canUnref = true;
  readonly #selector = new SelectorSource();
  readonly #wake: LoopWake;
  readonly #setImmediate: Immediate;
  #started = true;
  #scheduled = false;
  #pending: PendingWait | undefined;
  #offExit: () => void = () => {};

  /** Opens the selector and its wake; throws (and leaves nothing open) when either fails. */
  constructor(openWake: OpenWake) {
    try {
      if (!isMainThread()) {
        throw new Error(
          "iomux: a loop source is for the main thread (a Worker's teardown would abort)",
        );
      }
      const fd = this.#selector.fileno();
      if (fd === undefined) throw new Error("iomux: the default selector here has no fd to poll");
      this.#setImmediate = (globalThis as { setImmediate?: Immediate }).setImmediate!;
      this.#wake = openWake(fd, (stopped) => this.#readable(stopped));
    } catch (error) {
      this.#selector.close();
      throw error;
    }
    open++;
    this.#offExit = onExit(() => this.#wake.close());
  }

  set(fd: number, events: number, renew = false): void {
    this.#selector.set(fd, events, renew);
  }

  ready(): Readiness[] {
    return this.#selector.ready();
  }

  wait(signal: AbortSignal): Promise<Readiness[]> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#pending = undefined;
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#pending = { resolve, reject, signal, onAbort };
      if (!this.#started) {
        this.#started = true;
        this.#wake.start();
      }
    });
  }

  setRef(refed: boolean): void {
    this.#wake.setRef(refed);
  }

  close(): void {
    open--;
    this.#offExit();
    this.#wake.close();
    this.#selector.close();
  }

  /**
   * From the loop's poll phase. The wait is settled in the check phase of the same
   * iteration (`setImmediate`): a promise settled here would run its reactions only
   * at the next microtask checkpoint, after whatever the loop does next. Readable
   * with no wait pending, the handle is stopped until the next wait, or it would
   * fire on every iteration. Stopped by the loop, it is started again by the next
   * wait, whose zero-timeout select reports what there is.
   */
  #readable(stopped: boolean): void {
    if (stopped) this.#started = false;
    if (this.#pending === undefined) {
      if (!this.#started) return;
      this.#started = false;
      this.#wake.stop();
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      this.#setImmediate(this.#deliver);
    }
  }

  readonly #deliver = (): void => {
    this.#scheduled = false;
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    pending.signal.removeEventListener("abort", pending.onAbort);
    let ready: Readiness[];
    try {
      ready = this.#selector.ready();
    } catch (error) {
      pending.reject(error);
      return;
    }
    pending.resolve(ready);
  };
}
