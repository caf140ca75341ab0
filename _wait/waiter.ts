/**
 * The shared waiting thread behind every `pollAsync` and `selectAsync`: one call at
 * a time, run off the JS thread, blocked on a ready set that holds every pending
 * wait's fds plus one wake-up fd (`ready_set.ts`: epoll on Linux, `WSAPoll` on
 * Windows, `poll(2)` elsewhere).
 *
 * Why one call for all waits rather than one per wait: Deno runs nonblocking FFI
 * calls on its blocking pool (about 32 threads), the same pool that runs its async
 * file system ops. With 31 or more blocked per-wait calls, `Deno.readTextFile`
 * never completed (measured: bench/async_waits.ts). One shared call costs one
 * thread whatever the number of waits.
 *
 * The set is changed as waits start and end and as owners `register`, `modify` or
 * `unregister` (`refreshWaits`); each wait says which reported bits count for its
 * owner, so a wait wakes only on what its owner's own call would report. The
 * wake-up fd ends the pending call early: when a wait needs an earlier deadline,
 * when a `poll(2)` set must be rebuilt, and when no wait is left (a pending call
 * keeps the process alive until it returns). Each call is also bounded
 * ({@linkcode SLICE_MS}): a Worker torn down while its wait is pending then gets
 * its thread back (`Worker.terminate()` waits for the call to return).
 *
 * On Node's main thread, with epoll, no thread is involved: Node's own loop watches
 * the set's fd through a poll handle (`loop_round.ts`), and a round that turns ready
 * costs one loop iteration instead of two thread wake-ups and a message.
 *
 * The waiter only learns readiness; each owner then asks its own primitive with a
 * zero timeout for the exact results (see `async_wait.ts`).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { monotonicMs } from "../_py/timeout.ts";
import { Deadlines, type Timed } from "./deadlines.ts";
import { EpollSet } from "./epoll_set.ts";
import { PollSet } from "./poll_set.ts";
import { flatten, type Interests, type ReadySet, type Watch } from "./ready_set.ts";
import { WsaPollSet } from "./wsapoll_set.ts";

export type { Interests } from "./ready_set.ts";

/** The longest single off-thread call, in ms; longer waits take several. */
export const SLICE_MS = 500;

/** How a wait ended without an error. */
export type Outcome = "ready" | "timeout" | "ended";

interface Pending extends Watch, Timed {
  readonly owner: object;
  readonly source: () => Interests;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (reason: unknown) => void;
  detach: () => void;
}

const pending = new Set<Pending>();
const byOwner = new Map<object, Set<Pending>>();
const deadlines = new Deadlines<Pending>();
let kind: "epoll" | "poll" | undefined;
let set: EpollSet | PollSet | undefined;
let looping = false;
/** Off-thread calls made so far (tests count restarts with it). */
let calls = 0;
let callOutstanding = false;
/** When the pending call returns by itself (monotonic ms). */
let callEnds = -Infinity;
let woken = false;

function readySet(): ReadySet {
  if (set !== undefined) return set;
  const c = libc();
  kind ??= c.epoll_wait_async !== null ? "epoll" : "poll";
  if (kind === "epoll" ? c.epoll_wait_async === null : c.poll_async === null) {
    throw new Error("iomux: this runtime's FFI cannot wait off the JS thread");
  }
  return set = kind === "epoll"
    ? new EpollSet()
    : abi.winsock !== undefined
    ? new WsaPollSet()
    : new PollSet();
}

/**
 * Resolves when one of `interests` reports a bit that counts ("ready"), when
 * `deadline` (monotonic ms) has passed ("timeout"), or when {@linkcode endWaits} is
 * called for `owner` ("ended"); rejects with `signal.reason` on abort, or with an
 * `OSError` when the kernel refuses to watch one of this wait's own fds.
 * `interests` is read now and again at each {@linkcode refreshWaits}.
 */
export function waitFor(
  owner: object,
  interests: () => Interests,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<Outcome> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Outcome>((resolve, reject) => {
    const wait: Pending = {
      owner,
      source: interests,
      interests: [],
      deadline,
      heapIndex: -1,
      resolve,
      reject,
      detach: () => {},
    };
    try {
      wait.interests = flatten(interests());
      const readyNow = readySet();
      if (readyNow.add(wait)) {
        readyNow.remove(wait);
        return resolve("ready");
      }
    } catch (error) {
      return reject(error);
    }
    if (signal !== undefined) {
      const onAbort = () => {
        if (remove(wait)) reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      wait.detach = () => signal.removeEventListener("abort", onAbort);
    }
    pending.add(wait);
    let waits = byOwner.get(owner);
    if (waits === undefined) byOwner.set(owner, waits = new Set());
    waits.add(wait);
    if (deadline !== undefined) deadlines.push(wait);
    if (!looping) {
      looping = true;
      void loop();
    } else if (deadline !== undefined && deadline < callEnds) wake();
  });
}

/** A `register`/`modify`/`unregister` on `owner`: its pending waits watch the new set. */
export function refreshWaits(owner: object): void {
  if (set === undefined) return;
  const waits = [...byOwner.get(owner) ?? []];
  for (const wait of waits) set.remove(wait);
  set.forget(owner);
  for (const wait of waits) {
    let ready: boolean;
    try {
      wait.interests = flatten(wait.source());
      ready = set.add(wait);
    } catch (error) {
      wait.interests = [];
      if (remove(wait)) wait.reject(error);
      continue;
    }
    if (ready && remove(wait)) wait.resolve("ready");
  }
}

/** `owner` is closing: its pending waits resolve "ended" and stop watching its fds. */
export function endWaits(owner: object): void {
  for (const wait of [...byOwner.get(owner) ?? []]) {
    if (remove(wait)) wait.resolve("ended");
  }
  set?.drop(owner);
}

/** Which ready set the waiter uses from now on; only while no wait is pending (tests). */
export function useReadySet(choice: "epoll" | "poll"): void {
  if (looping || pending.size > 0) throw new Error("iomux: the waiter is busy");
  kind = choice;
  set?.close();
  set = undefined;
}

/**
 * The waiter's state, for tests: its ready set's kind, waits, whether a call is out, its wake-up fd (open
 * from the first wait on), every fd it holds, calls made (and those a signal
 * interrupted), and the work its set
 * did so far (`epoll_ctl` calls, or `poll(2)` array rebuilds), and whether its
 * rounds wait on the runtime's own loop (Node's main thread) instead of a thread.
 */
export function waiterState(): {
  kind: "epoll" | "poll" | undefined;
  pending: number;
  calling: boolean;
  wakeFd: number;
  ownFds: readonly number[];
  calls: number;
  interrupted: number;
  setWork: number;
  onLoop: boolean;
} {
  const own = set?.ownFds ?? [];
  return {
    kind,
    pending: pending.size,
    calling: callOutstanding,
    wakeFd: set instanceof EpollSet ? own[1]! : own[0] ?? -1,
    ownFds: own,
    calls,
    interrupted: set?.interrupted ?? 0,
    setWork: set === undefined ? 0 : set instanceof EpollSet ? set.ctlCalls : set.rebuilds,
    onLoop: set instanceof EpollSet && set.onLoop,
  };
}

function remove(wait: Pending): boolean {
  if (!pending.delete(wait)) return false;
  wait.detach();
  deadlines.delete(wait);
  set!.remove(wait);
  const waits = byOwner.get(wait.owner)!;
  waits.delete(wait);
  if (waits.size === 0) byOwner.delete(wait.owner);
  if (pending.size === 0) wake();
  return true;
}

async function loop(): Promise<void> {
  const readySetNow = set!;
  try {
    while (pending.size > 0) {
      const now = monotonicMs();
      const nearest = deadlines.peek()?.deadline;
      // Rounded up: the kernel never returns early, so a deadline has passed on return.
      const timeout = nearest === undefined
        ? SLICE_MS
        : Math.min(Math.max(Math.ceil(nearest - now), 0), SLICE_MS);
      callEnds = now + timeout;
      woken = false;
      callOutstanding = true;
      calls++;
      let round;
      try {
        round = await readySetNow.round(timeout);
      } finally {
        callOutstanding = false;
        callEnds = -Infinity;
      }
      for (const [wait, error] of round.failed) {
        if (remove(wait as Pending)) (wait as Pending).reject(error);
      }
      for (const wait of round.ready) {
        if (remove(wait as Pending)) (wait as Pending).resolve("ready");
      }
      const after = monotonicMs();
      for (let top = deadlines.peek(); top !== undefined; top = deadlines.peek()) {
        if (top.deadline! > after) break;
        if (remove(top)) top.resolve("timeout");
        else deadlines.delete(top);
      }
    }
  } catch (error) {
    for (const wait of [...pending]) {
      if (remove(wait)) wait.reject(error);
    }
  } finally {
    looping = false;
  }
}

function wake(): void {
  if (!callOutstanding || woken) return;
  woken = true;
  set!.wake();
}
