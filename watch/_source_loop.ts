/**
 * A {@linkcode ReadinessSource} woken by the runtime's own event loop: the hub's
 * selector (epoll, kqueue) is watched by one poll handle on Node's libuv loop
 * (`_wait/loop_wake.ts`: `uv_poll_t` through `node:ffi`, or `koffi.node.poll`), which
 * says when the selector's fd turns readable; the readiness itself is read with a
 * zero-timeout `select`. No thread and no pending FFI call: a wait costs a loop
 * iteration, and an unref'd handle lets the process exit while the wait is pending.
 *
 * The loop watches the selector's fd only, never a watcher's fd (see
 * `_wait/loop_wake.ts`): watched fds stay as `selectors.DefaultSelector` treats
 * them. At exit the handle is closed, and these sources are for the main thread
 * only; Workers keep the selector.
 *
 * @module
 */
import { isMainThread, onExit } from "../ffi/_native.ts";
import type { LoopWake, OpenWake } from "../_wait/loop_wake.ts";
import { openKoffiWake } from "../_wait/koffi_wake.ts";
import { openUvWake } from "../_wait/uv_wake.ts";
import { type Readiness, type ReadinessSource, SelectorSource } from "./_source.ts";

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

/** The `uv_poll_t` source (`node:ffi`); throws where `node:ffi` or libuv's symbols are missing. */
export function uvSource(): LoopSource {
  return new LoopSource(openUvWake);
}

/** The `koffi.node.poll` source; throws where koffi or its `node.poll` is missing. */
export function koffiSource(): LoopSource {
  return new LoopSource(openKoffiWake);
}
