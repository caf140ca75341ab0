/**
 * The one seam between `watch/` and whatever learns readiness off the JS thread.
 * The hub (`_hub.ts`) keeps one {@linkcode ReadinessSource} for every watcher in the
 * process and tells it each fd's combined interest; a faster waiter for one runtime
 * (libuv's `uv_poll_t` under `node:ffi`, `koffi.node.poll`, a Deno Worker blocked in
 * `poll(2)` that wakes the main thread) is another implementation of this interface.
 *
 * @module
 */
import { DefaultSelector } from "../selectors/default.ts";
import type { BaseSelectorImpl } from "../selectors/impl.ts";
import type { SelectorMapping } from "../selectors/mapping.ts";
import { OSError } from "../errors.ts";
import { KeyError } from "../_plain_errors.ts";

/** `[fd, EVENT_READ | EVENT_WRITE bits]`, as a selector reports them. */
export type Readiness = readonly [fd: number, events: number];

/** What the hub needs from every source. */
interface SourceBase {
  /**
   * Watches `fd` for `events` (`EVENT_READ`/`EVENT_WRITE` bits); `0` stops watching
   * it. O(1) per call. Throws the `OSError` the kernel gave for a bad fd.
   * `renew` (a new watcher joined the fd) registers the fd with the kernel again even
   * when its events did not change: the fd may have been closed under its old
   * watchers and its number reused, and the kernel forgot the old one.
   */
  set(fd: number, events: number, renew?: boolean): void;
  /** What is ready now, without waiting. */
  ready(): Readiness[];
  /** Releases the source's fds and handles; no wait may be pending. */
  close(): void;
  /**
   * Whether a pending wait can stop keeping the process alive ({@linkcode setRef}).
   * When it cannot, the hub makes no wait while no watcher is ref'd and polls
   * {@linkcode ready} on an unref'd timer instead.
   */
  readonly canUnref: boolean;
  /**
   * `false`: a pending wait no longer keeps the process alive (readiness is still
   * delivered at once while something else does); `true`: it does again. Called only
   * where {@linkcode canUnref} is true.
   */
  setRef(refed: boolean): void;
}

/** A source the hub waits on, one Promise per round. */
export interface WaitingSource extends SourceBase {
  /**
   * Waits, beside the event loop, until something is ready and returns it
   * (possibly nothing, after a spurious wake); rejects with `signal.reason` on abort.
   * While it is pending the process stays alive (unless unref'd).
   */
  wait(signal: AbortSignal): Promise<Readiness[]>;
}

/**
 * A source that hears of readiness in a callback of the runtime's own loop and calls
 * the hub from there, with no Promise between (a poll handle on Node's loop).
 */
export interface PushingSource extends SourceBase {
  /**
   * From now until {@linkcode close}, `onReady` runs from the loop (never from
   * inside this call) with what is ready whenever something may be, once per loop
   * iteration at most, and again on later iterations while anything stays ready; the
   * microtasks it queues run in the same loop iteration. It must not throw; what the
   * source fails to read is reported as an uncaught error.
   */
  listen(onReady: (ready: Readiness[]) => void): void;
}

/** What the hub needs from a waiter. */
export type ReadinessSource = WaitingSource | PushingSource;

/**
 * The portable source: a `DefaultSelector` (epoll on Linux, kqueue on macOS and
 * FreeBSD) whose `selectAsync` waits on `_wait/`'s shared thread. With epoll and
 * kqueue the shared thread watches the selector's own fd only, so adding a watcher
 * is one `epoll_ctl`/`kevent` call whatever the number of watchers.
 */
export class SelectorSource implements WaitingSource {
  /** The selector that holds every watched fd's combined interest. */
  protected readonly selector: BaseSelectorImpl<undefined> = new DefaultSelector<undefined>();
  /** A pending `selectAsync` keeps the process alive: it runs on a thread no one can unref. */
  readonly canUnref: boolean = false;

  /** The selector's own fd (epoll, kqueue), readable while anything is ready; none for poll/select. */
  fileno(): number | undefined {
    const selector = this.selector as { fileno?(): number };
    return selector.fileno?.();
  }

  set(fd: number, events: number, renew = false): void {
    const selector = this.selector;
    if (events === 0) {
      try {
        selector.unregister(fd);
      } catch (error) {
        if (!(error instanceof KeyError)) throw error;
      }
      return;
    }
    if (!selector.getMap().has(fd)) {
      selector.register(fd, events);
      return;
    }
    if (renew) {
      selector.unregister(fd);
      selector.register(fd, events);
      return;
    }
    try {
      selector.modify(fd, events);
    } catch (error) {
      // The fd was closed under its watchers (the kernel dropped it from the set) and
      // its number reused: forget the old registration and register the new fd.
      if (!(error instanceof OSError) || error.code !== "ENOENT") throw error;
      selector.unregister(fd);
      selector.register(fd, events);
    }
  }

  ready(): Readiness[] {
    return this.#pairs(this.selector.select(0));
  }

  /** The watched fds' keys (the selector's `getMap()`), for a source built on this one. */
  keys(): SelectorMapping<undefined> {
    return this.selector.getMap();
  }

  async wait(signal: AbortSignal): Promise<Readiness[]> {
    return this.#pairs(await this.selector.selectAsync(null, { signal }));
  }

  close(): void {
    this.selector.close();
  }

  setRef(_refed: boolean): void {
    throw new Error("iomux: SelectorSource cannot unref its wait");
  }

  #pairs(keys: [{ readonly fd: number }, number][]): Readiness[] {
    const result: Readiness[] = [];
    for (const [key, events] of keys) result.push([key.fd, events]);
    return result;
  }
}
