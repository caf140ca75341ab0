/**
 * The one loop behind every `Watcher`: it keeps each fd's combined interest in one
 * {@linkcode ReadinessSource}, waits on it while any watcher is ref'd, and calls the
 * callbacks of the watchers whose events turned up, on the JS thread. After the
 * callbacks it asks again with no wait, so an fd that stays ready is reported again
 * (level-triggered, as asyncio's `add_reader` and libuv's `uv_poll_t`).
 *
 * Two kinds of source (`_source.ts`). A waiting source is waited on, one Promise a
 * round, by the hub's loop ({@linkcode run}). A pushing source (a poll handle on
 * Node's loop) calls the hub from the loop's poll phase, and the callbacks run right
 * there ({@linkcode pushed}): there is no Promise to settle, and no `setImmediate` to
 * wait for, between the wake-up and the callbacks.
 *
 * Keeping the process alive: the source is the runtime's fastest
 * (`_pick_source.ts`). One whose pending wait can be unref'd
 * (`ReadinessSource.canUnref`) keeps its wait pending whatever the watchers' refs
 * and is told when the first is ref'd or the last unref'd, so readiness is delivered
 * at once either way. With one that cannot (the selector source: a `nonblocking` FFI
 * call keeps every runtime alive until it returns), the hub makes no wait while no
 * watcher is ref'd: it asks the source with a zero timeout on an unref'd timer every
 * {@linkcode UNREF_POLL_MS} ms instead, which lets the process exit and still
 * delivers readiness, later, while something else keeps it running.
 *
 * @module
 */
import type { Readiness, ReadinessSource, WaitingSource } from "./_source.ts";
import { pickSource } from "./_pick_source.ts";

/** How often readiness is asked for while every watcher is unref'd and the source cannot unref. */
export const UNREF_POLL_MS = 10;

/** One watcher as the hub sees it. */
export interface Entry {
  readonly fd: number;
  events: number;
  refed: boolean;
  closed: boolean;
  readonly callback: (events: number) => void;
}

let source: ReadinessSource | undefined;
const byFd = new Map<number, Set<Entry>>();
let refs = 0;
/** The hub's loop runs, or a pushing source has its listener. */
let running = false;
/** A wait of the source is pending (not the unref'd timer's sleep). */
let waiting = false;
/** Ends the pending wait or sleep when the hub's mode changes. */
let interrupt: AbortController | undefined;

function combined(entries: Set<Entry>): number {
  let events = 0;
  for (const entry of entries) events |= entry.events;
  return events;
}

function changed(fd: number, entries: Set<Entry>, renew = false): void {
  source!.set(fd, combined(entries), renew);
}

/** Starts delivering `entry`'s events. Throws (and adds nothing) when the kernel refuses its fd. */
export function add(entry: Entry): void {
  source ??= pickSource();
  let entries = byFd.get(entry.fd);
  const fresh = entries === undefined;
  entries ??= new Set();
  entries.add(entry);
  try {
    changed(entry.fd, entries, true);
  } catch (error) {
    entries.delete(entry);
    if (!fresh) {
      try {
        changed(entry.fd, entries, true);
      } catch {
        // The fd is gone: its old watchers will hear nothing more, as before.
      }
    }
    throw error;
  }
  if (fresh) byFd.set(entry.fd, entries);
  if (entry.refed) refs++;
  kick(entry.refed && refs === 1);
}

/**
 * The first watcher was ref'd or the last unref'd: a source that can unref its wait
 * is told; otherwise the pending wait or sleep ends, and the next is of the other kind.
 */
function refsChanged(): void {
  if (source?.canUnref) source.setRef(refs > 0);
  else interrupt?.abort();
}

/** `entry.events` changed. */
export function update(entry: Entry): void {
  changed(entry.fd, byFd.get(entry.fd)!);
}

/** `entry.refed` changed to `refed`. */
export function setRef(entry: Entry, refed: boolean): void {
  if (entry.refed === refed) return;
  entry.refed = refed;
  refs += refed ? 1 : -1;
  kick(refs === (refed ? 1 : 0));
}

/** Stops delivering `entry`'s events (it is closed already). */
export function remove(entry: Entry): void {
  const entries = byFd.get(entry.fd);
  if (entries === undefined || !entries.delete(entry)) return;
  if (entry.refed) refs--;
  if (entries.size === 0) byFd.delete(entry.fd);
  try {
    source!.set(entry.fd, combined(entries));
  } catch {
    // The fd was closed before its watcher: the kernel has already forgotten it.
  }
  if (byFd.size === 0) {
    if (source !== undefined && "listen" in source && running) stopPushing();
    else interrupt?.abort();
  } else if (entry.refed && refs === 0) refsChanged();
}

/** What {@linkcode hubState} reports. */
export interface HubState {
  /** Watched fds. */
  fds: number;
  /** Ref'd watchers. */
  refs: number;
  /** Whether the hub's loop runs. */
  running: boolean;
  /** Whether a wait of the source is pending (rather than the unref'd timer's sleep). */
  waiting: boolean;
  /** Whether the source keeps its wait pending while no watcher is ref'd. */
  canUnref: boolean;
}

/** For tests: what the hub holds and does. */
export function hubState(): HubState {
  // A pushing source waits whenever it listens.
  const pushing = running && source !== undefined && "listen" in source;
  return {
    fds: byFd.size,
    refs,
    running,
    waiting: waiting || pushing,
    canUnref: source?.canUnref ?? false,
  };
}

function kick(refsCrossed: boolean): void {
  if (!running) {
    running = true;
    const current = source!;
    if (current.canUnref) current.setRef(refs > 0);
    if ("listen" in current) current.listen(pushed);
    else void run(current);
  } else if (refsCrossed) refsChanged();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    unrefTimer(timer);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

type TimerId = ReturnType<typeof setTimeout>;
function unrefTimer(timer: TimerId): void {
  const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno;
  if (typeof timer === "number" && deno?.unrefTimer !== undefined) deno.unrefTimer(timer);
  else (timer as { unref?(): void }).unref?.();
}

type Immediate = { unref?(): void };
const timers = globalThis as unknown as {
  setImmediate?: (callback: () => void) => Immediate;
  clearImmediate?: (immediate: Immediate) => void;
};

/**
 * Lets the event loop turn (timers, I/O, the process's exit) before fds that are still
 * ready after their callbacks are reported again. A callback that leaves its fd ready
 * is then called again on the next turn, as libuv's `uv_poll_t` calls it on the next
 * loop iteration, never in a loop of microtasks that would starve timers. While a
 * watcher is ref'd the turn is an immediate; while none is, it is an unref'd
 * zero-delay timer, so such a watcher does not keep the process alive either. (An
 * unref'd immediate would not do: the loop runs it only once something else wakes
 * it, and Bun's may never run it.) `signal` (the hub's interrupt: the last watcher
 * went) ends the turn at once.
 */
function nextTurn(refed: boolean, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let cancel: () => void;
    const done = () => {
      signal.removeEventListener("abort", done);
      cancel();
      resolve();
    };
    const { setImmediate, clearImmediate } = timers;
    if (refed && setImmediate !== undefined && clearImmediate !== undefined) {
      const immediate = setImmediate(done);
      cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(done, 0);
      if (!refed) unrefTimer(timer);
      cancel = () => clearTimeout(timer);
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * A pushing source's listener, from the loop's poll phase: the callbacks run here.
 * The source has the promises they settled, their `process.nextTick`s and an error
 * one threw run in the same loop iteration, after the last of them (Node's own I/O
 * callbacks get a checkpoint each; the hub's callbacks of one round share one, as they
 * do under a waiting source, where they run in one microtask). An fd the callbacks
 * left ready is reported again by the source on the loop's next iteration.
 */
function pushed(ready: Readiness[]): void {
  if (byFd.size > 0) dispatch(ready);
}

/** The last watcher of a pushing source went: the source is closed (the next `add` opens one). */
function stopPushing(): void {
  running = false;
  source!.close();
  source = undefined;
}

async function run(waitOn: WaitingSource): Promise<void> {
  let failed = false;
  try {
    let ready: Readiness[] = [];
    while (byFd.size > 0) {
      if (ready.length === 0) ready = await nextRound(waitOn);
      dispatch(ready);
      ready = [];
      // What the callbacks left ready is reported again, once the loop has turned. When
      // nothing is, the next wait starts at once: a turn there would hold the wait back
      // until the loop woke for something else.
      if (byFd.size > 0 && source!.ready().length > 0) {
        const turn = interrupt = new AbortController();
        await nextTurn(refs > 0, turn.signal);
        interrupt = undefined;
        if (byFd.size > 0) ready = source!.ready();
      }
    }
  } catch (error) {
    failed = true;
    report(error);
  } finally {
    running = false;
    interrupt = undefined;
    if (byFd.size > 0 && !failed) kick(false);
    else {
      source?.close();
      source = undefined;
    }
  }
}

/**
 * The next readiness: a wait of the source, or, while no watcher is ref'd and the
 * source cannot unref its wait, a zero-timeout ask after an unref'd sleep. Empty when
 * the wait was interrupted (the hub's mode changed) or woke spuriously.
 */
async function nextRound(waitOn: WaitingSource): Promise<Readiness[]> {
  const controller = interrupt = new AbortController();
  try {
    if (refs > 0 || source!.canUnref) {
      waiting = true;
      try {
        return await waitOn.wait(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) throw error;
        return [];
      } finally {
        waiting = false;
      }
    }
    await sleep(UNREF_POLL_MS, controller.signal);
    return byFd.size > 0 ? source!.ready() : [];
  } finally {
    interrupt = undefined;
  }
}

function dispatch(ready: Readiness[]): void {
  for (const [fd, events] of ready) {
    const entries = byFd.get(fd);
    if (entries === undefined) continue;
    for (const entry of [...entries]) {
      const mine = events & entry.events;
      if (entry.closed || mine === 0) continue;
      try {
        entry.callback(mine);
      } catch (error) {
        report(error);
      }
    }
  }
}

/** A callback's error reaches the runtime as an uncaught error (never swallowed). */
function report(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
