/**
 * A {@linkcode PushingSource} woken by the runtime's own event loop: the hub's
 * selector (epoll, kqueue) is watched by one poll handle on Node's libuv loop
 * (`_wait/loop_wake.ts`: `uv_poll_t` through `node:ffi`, or `koffi.node.poll`), which
 * says when the selector's fd turns readable; the readiness itself is read with a
 * zero-timeout `select`. No thread, no pending FFI call and no Promise: the hub's
 * callbacks run from the loop's poll phase, in the iteration that saw the fd ready,
 * and an unref'd handle lets the process exit while watchers are pending.
 *
 * The handle stays started while the source is open: libuv reports a readable fd on
 * every loop iteration, which is the level-triggered report the hub wants for fds
 * its callbacks left ready, one loop iteration later.
 *
 * When the selector holds one fd, watched for one kind of event, and nothing changed
 * since the last wake, that fd is what is ready, and no `select` is made: the kernel
 * reports an epoll fd readable only after it has polled the fds on its ready list and
 * found one ready for its registered events (`__ep_eventpoll_poll` in
 * `fs/eventpoll.c`; a kqueue fd likewise, `kqueue_poll`), with `EPOLLERR`/`EPOLLHUP`
 * counted as either kind, as the selector counts them. That holds at the moment libuv
 * polled; a callback of the same poll phase may have drained the fd since, which
 * asyncio's readers share (its callbacks run after `select` returned, in turn) and
 * non-blocking reads handle.
 *
 * The loop watches the selector's fd only, never a watcher's fd (see
 * `_wait/loop_wake.ts`): watched fds stay as `selectors.DefaultSelector` treats
 * them. At exit the handle is closed, and these sources are for the main thread
 * only; Workers keep the selector.
 *
 * @module
 */
import { isMainThread, onExit } from "../ffi/_native.ts";
import { checkpointSoon, type LoopWake, type OpenWake } from "../_wait/loop_wake.ts";
import { openKoffiWake } from "../_wait/koffi_wake.ts";
import { openUvWake } from "../_wait/uv_wake.ts";
import { EVENT_READ, EVENT_WRITE } from "../selectors/key.ts";
import { type PushingSource, type Readiness, SelectorSource } from "./_source.ts";

let open = 0;

/** For tests and benches: how each loop wake learned what was ready. */
export const loopWakes = {
  /** The selector's one fd, watched for one kind of event: no `select`. */
  inferred: 0,
  /** A zero-timeout `select`. */
  asked: 0,
};

/** For tests: how many loop sources are open (each holds one poll handle). */
export function loopSources(): number {
  return open;
}

/** The source over a {@linkcode LoopWake}. */
export class LoopSource implements PushingSource {
  readonly canUnref = true;
  readonly #selector = new SelectorSource();
  readonly #wake: LoopWake;
  #onReady: ((ready: Readiness[]) => void) | undefined;
  /** The selector's only fd and events, when one kind is watched on one fd and nothing changed. */
  #only: Readiness | undefined;
  #closed = false;
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
      this.#wake = openWake(fd, (stopped) => this.#readable(stopped));
    } catch (error) {
      this.#selector.close();
      throw error;
    }
    open++;
    this.#offExit = onExit(() => this.#wake.close());
  }

  set(fd: number, events: number, renew = false): void {
    // Until the next wake, what libuv last polled may predate this interest.
    this.#only = undefined;
    this.#selector.set(fd, events, renew);
  }

  ready(): Readiness[] {
    return this.#selector.ready();
  }

  listen(onReady: (ready: Readiness[]) => void): void {
    this.#onReady = onReady;
  }

  setRef(refed: boolean): void {
    this.#wake.setRef(refed);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    open--;
    this.#offExit();
    this.#wake.close();
    this.#selector.close();
  }

  /**
   * From the loop's poll phase. libuv stops a handle itself on `POLLERR` (never seen
   * on an epoll or kqueue fd, but then the handle is started again: the next
   * iteration reports what there is).
   */
  #readable(stopped: boolean): void {
    if (this.#closed || this.#onReady === undefined) return;
    try {
      const only = this.#only;
      let ready: Readiness[];
      // Stopped by libuv (an error on the selector's fd), the wake says nothing: ask.
      if (only !== undefined && !stopped) {
        loopWakes.inferred++;
        ready = [only];
      } else {
        loopWakes.asked++;
        ready = this.#selector.ready();
        this.#only = this.#single();
      }
      this.#onReady(ready);
      if (stopped && !this.#closed) this.#wake.start();
    } catch (error) {
      // No throwing from the loop's callback: the error is reported as uncaught.
      queueMicrotask(() => {
        throw error;
      });
    } finally {
      // What the callbacks queued, or that report, runs in this iteration's check phase.
      checkpointSoon();
    }
  }

  /** `[fd, events]` when the selector holds one fd, for reading or for writing only. */
  #single(): Readiness | undefined {
    const keys = this.#selector.keys();
    if (keys.size !== 1) return undefined;
    const key = keys.values().next().value!;
    const events = key.events;
    return events === EVENT_READ || events === EVENT_WRITE ? [key.fd, events] : undefined;
  }
}

/** The `uv_poll_t` source (`node:ffi`); throws where `node:ffi` or libuv's symbols are missing. */
export function uvSource(): LoopSource {
  return new LoopSource(openUvWake);
}

/** The `koffi.node.poll` source; throws where koffi or its `node.poll` is missing. */
export function koffiSource(): LoopSource {
  return new LoopSource(openKoffiWake);
}
