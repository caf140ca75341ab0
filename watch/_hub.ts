/**
 * The one loop behind every `Watcher`: it keeps each fd's combined interest in one
 * {@linkcode ReadinessSource}, waits on it while any watcher is ref'd, and calls the
 * callbacks of the watchers whose events turned up, on the JS thread. After the
 * callbacks it asks again with no wait, so an fd that stays ready is reported again
 * (level-triggered, as asyncio's `add_reader` and libuv's `uv_poll_t`).
 *
 * Keeping the process alive: a source whose wait can be unref'd (`canUnref`: a poll
 * handle on Node's loop) keeps its wait pending and is told whether any watcher is
 * ref'd (`setRef`), so unref'd watchers hear at once. Otherwise a pending wait keeps
 * every runtime alive until it returns (Deno's `nonblocking` FFI calls cannot be
 * unref'd). So while no watcher is ref'd the hub makes no such wait: it asks the
 * source with a zero timeout on an unref'd timer every {@linkcode UNREF_POLL_MS} ms
 * instead, which lets the process exit and still delivers readiness, later, while
 * something else keeps it running.
 *
 * @module
 */
import type { Readiness, ReadinessSource } from "./_source.ts";
import { pickSource } from "./_pick_source.ts";

/** How often readiness is asked for while every watcher is unref'd. */
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
/** What the source was last told by `setRef` (a new one starts ref'd). */
let sourceRefed = true;
let running = false;
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
  if (source === undefined) {
    source = pickSource();
    sourceRefed = true;
  }
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
  refsChanged();
  kick(entry.refed && refs === 1);
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
  refsChanged();
  kick(refs === (refed ? 1 : 0));
}

/** Stops delivering `entry`'s events (it is closed already). */
export function remove(entry: Entry): void {
  const entries = byFd.get(entry.fd);
  if (entries === undefined || !entries.delete(entry)) return;
  if (entry.refed) refs--;
  refsChanged();
  if (entries.size === 0) byFd.delete(entry.fd);
  try {
    source!.set(entry.fd, combined(entries));
  } catch {
    // The fd was closed before its watcher: the kernel has already forgotten it.
  }
  if (byFd.size === 0 || (refs === 0 && !source!.canUnref)) interrupt?.abort();
}

/** Tells a source that can unref its wait whether any watcher is ref'd. */
function refsChanged(): void {
  if (source?.canUnref !== true || sourceRefed === refs > 0) return;
  sourceRefed = refs > 0;
  source.setRef(sourceRefed);
}

/**
 * For tests: how many fds and ref'd watchers the hub holds, whether it runs, and
 * whether its source's wait can be unref'd.
 */
export function hubState(): { fds: number; refs: number; running: boolean; canUnref: boolean } {
  return { fds: byFd.size, refs, running, canUnref: source?.canUnref ?? false };
}

function kick(modeChange: boolean): void {
  if (!running) {
    running = true;
    void run();
  } else if (modeChange && !source!.canUnref) interrupt?.abort();
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

async function run(): Promise<void> {
  let failed = false;
  try {
    while (byFd.size > 0) {
      let ready: Readiness[];
      const controller = interrupt = new AbortController();
      if (refs > 0 || source!.canUnref) {
        try {
          ready = await source!.wait(controller.signal);
        } catch (error) {
          if (!controller.signal.aborted) throw error;
          ready = [];
        }
      } else {
        await sleep(UNREF_POLL_MS, controller.signal);
        ready = byFd.size > 0 ? source!.ready() : [];
      }
      interrupt = undefined;
      dispatch(ready);
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
