/**
 * The shared waiting thread behind every `pollAsync` and `selectAsync`: one
 * `poll(2)` at a time, run off the JS thread, over the union of every pending
 * wait's fds plus one wake-up fd.
 *
 * Why one call for all waits rather than one per wait: Deno runs nonblocking FFI
 * calls on its blocking pool (about 32 threads), the same pool that runs its async
 * file system ops. With 31 or more blocked per-wait calls, `Deno.readTextFile`
 * never completed (measured: bench/async_waits.ts, tests/async_test.ts). One
 * shared call costs one thread whatever the number of waits.
 *
 * The wake-up fd (an eventfd on Linux, a pipe elsewhere) ends the pending call
 * whenever the set changes: a new wait, an abort, a `close()`, or a
 * `register`/`modify`/`unregister` on an object that is waiting. The call cannot be
 * cancelled any other way, and it keeps the process alive until it returns, so the
 * waiter wakes it as soon as no wait is left, and closes the wake-up fd then.
 *
 * The waiter only learns readiness; each owner then asks its own primitive with a
 * zero timeout for the exact results (see `async_wait.ts`).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError, osError, waitInterrupted } from "../ffi/errno.ts";
import { libc, toNfds } from "../ffi/libc.ts";
import { POLLFD_SIZE } from "../ffi/structs.ts";
import { monotonicMs } from "../select/_timeout.ts";

const { POLLIN, POLLERR, POLLHUP, POLLNVAL } = abi.poll;
const { O_NONBLOCK, O_CLOEXEC, F_GETFL, F_SETFL, F_SETFD, FD_CLOEXEC } = abi.fcntl;
/** Bits `poll(2)` reports whatever the mask asked for. */
const ALWAYS = POLLERR | POLLHUP | POLLNVAL;
/** The longest single wait, in ms; later deadlines are reached in several calls. */
const MAX_WAIT_MS = 2_147_483_647;

/** How a wait ended without an error. */
export type Outcome = "ready" | "timeout" | "ended";

/** `(fd, POLL* mask)` pairs; a `Map<fd, mask>` is one. */
export type Interests = Iterable<readonly [fd: number, mask: number]>;

interface Pending {
  readonly owner: object;
  readonly interests: () => Interests;
  readonly deadline: number | undefined;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (reason: unknown) => void;
  /** Flat `[fd, mask, fd, mask, …]` as of the last rebuild. */
  watched: number[];
  detach: () => void;
}

const pending = new Set<Pending>();
const byOwner = new Map<object, Set<Pending>>();
let looping = false;
/** Worker calls made so far (tests count restarts with it). */
let calls = 0;
let callOutstanding = false;
let woken = false;
let wakeRead = -1;
let wakeWrite = -1;
let pollfds = new Uint8Array(16 * POLLFD_SIZE);
const wakeBuffer = new Uint8Array(8);

/**
 * Resolves when one of `interests` is ready ("ready"), when `deadline` (monotonic
 * ms) has passed ("timeout"), or when {@linkcode endWaits} is called for `owner`
 * ("ended"); rejects with `signal.reason` on abort, or with an `OSError` if the
 * shared `poll(2)` fails. `interests` is read again at every rebuild.
 */
export function waitFor(
  owner: object,
  interests: () => Interests,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<Outcome> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (libc().poll_async === null) {
    return Promise.reject(
      new Error("iomux: this runtime's FFI cannot wait off the JS thread"),
    );
  }
  return new Promise<Outcome>((resolve, reject) => {
    if (!looping) openWake();
    const wait: Pending = {
      owner,
      interests,
      deadline,
      resolve,
      reject,
      watched: [],
      detach: () => {},
    };
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
    if (looping) wake();
    else {
      looping = true;
      void loop();
    }
  });
}

/** A `register`/`modify`/`unregister` on `owner`: its pending waits watch the new set. */
export function refreshWaits(owner: object): void {
  if (byOwner.has(owner)) wake();
}

/** `owner` is closing: its pending waits resolve "ended" and stop watching its fds. */
export function endWaits(owner: object): void {
  const waits = byOwner.get(owner);
  if (waits === undefined) return;
  for (const wait of [...waits]) {
    if (remove(wait)) wait.resolve("ended");
  }
}

/** The waiter's state, for tests: waits, whether a call is out, its fd, calls made. */
export function waiterState(): {
  pending: number;
  calling: boolean;
  wakeFd: number;
  calls: number;
} {
  return { pending: pending.size, calling: callOutstanding, wakeFd: wakeRead, calls };
}

function remove(wait: Pending): boolean {
  if (!pending.delete(wait)) return false;
  wait.detach();
  const waits = byOwner.get(wait.owner)!;
  waits.delete(wait);
  if (waits.size === 0) byOwner.delete(wait.owner);
  wake();
  return true;
}

async function loop(): Promise<void> {
  const c = libc();
  try {
    while (pending.size > 0) {
      const { count, slots, timeout } = rebuild();
      const set = pollfds;
      const nfds = toNfds(count);
      woken = false;
      callOutstanding = true;
      calls++;
      let n: number;
      try {
        n = await c.poll_async!(set, nfds, timeout);
      } finally {
        callOutstanding = false;
      }
      // Ask again here, without waiting: on -1, errno stayed on the worker thread;
      // otherwise the worker's answer is a hop old, and whatever became ready since
      // (a burst of writes wakes the worker at the first) is settled in this round.
      const now = c.poll(set, nfds, 0);
      if (now >= 0) n = now;
      else if (n < 0) {
        const errno = c.errno();
        if (waitInterrupted(errno)) continue;
        throw osError(errno);
      }
      settle(set, count, slots);
    }
  } catch (error) {
    for (const wait of [...pending]) {
      if (remove(wait)) wait.reject(error);
    }
  } finally {
    looping = false;
    closeWake();
  }
}

/** Writes the union of every pending wait's fds, the wake-up fd last. */
function rebuild(): { count: number; slots: Map<number, number>; timeout: number } {
  const slots = new Map<number, number>();
  const masks: number[] = [];
  let nearest = Infinity;
  for (const wait of [...pending]) {
    const watched: number[] = [];
    let interests: Interests;
    try {
      interests = [...wait.interests()];
    } catch (error) {
      if (remove(wait)) wait.reject(error);
      continue;
    }
    for (const [fd, mask] of interests) {
      watched.push(fd, mask);
      const slot = slots.get(fd);
      if (slot === undefined) {
        slots.set(fd, masks.length);
        masks.push(mask);
      } else masks[slot]! |= mask;
    }
    wait.watched = watched;
    if (wait.deadline !== undefined && wait.deadline < nearest) nearest = wait.deadline;
  }
  const count = masks.length + 1;
  if (pollfds.byteLength < count * POLLFD_SIZE) {
    pollfds = new Uint8Array(Math.max(count, pollfds.byteLength / POLLFD_SIZE * 2) * POLLFD_SIZE);
  }
  const words = new Int32Array(pollfds.buffer, 0, count * 2);
  const halves = new Uint16Array(pollfds.buffer, 0, count * 4);
  for (const [fd, slot] of slots) {
    words[2 * slot] = fd;
    halves[4 * slot + 2] = masks[slot]!;
    halves[4 * slot + 3] = 0;
  }
  words[2 * (count - 1)] = wakeRead;
  halves[4 * (count - 1) + 2] = POLLIN;
  halves[4 * (count - 1) + 3] = 0;
  // Rounded up: the kernel never returns early, so a deadline has passed on return.
  const timeout = nearest === Infinity
    ? -1
    : Math.min(Math.max(Math.ceil(nearest - monotonicMs()), 0), MAX_WAIT_MS);
  return { count, slots, timeout };
}

function settle(set: Uint8Array, count: number, slots: Map<number, number>): void {
  const halves = new Uint16Array(set.buffer, 0, count * 4);
  if (halves[4 * (count - 1) + 3]! !== 0) drainWake();
  const now = monotonicMs();
  for (const wait of [...pending]) {
    const watched = wait.watched;
    let ready = false;
    for (let i = 0; i < watched.length; i += 2) {
      const slot = slots.get(watched[i]!)!;
      if ((halves[4 * slot + 3]! & (watched[i + 1]! | ALWAYS)) !== 0) {
        ready = true;
        break;
      }
    }
    if (ready) {
      if (remove(wait)) wait.resolve("ready");
    } else if (wait.deadline !== undefined && wait.deadline <= now) {
      if (remove(wait)) wait.resolve("timeout");
    }
  }
}

function wake(): void {
  if (!callOutstanding || woken) return;
  woken = true;
  // eventfd adds 1 to its counter; a pipe gets one byte. Either makes it readable.
  wakeBuffer.fill(0);
  wakeBuffer[0] = 1;
  libc().write(wakeWrite, wakeBuffer, wakeRead === wakeWrite ? 8 : 1);
}

function drainWake(): void {
  const c = libc();
  // The fd is non-blocking: reads stop at -1 (EAGAIN) once it is empty.
  while (c.read(wakeRead, wakeBuffer, 8) === 8 && wakeRead !== wakeWrite);
}

function openWake(): void {
  if (wakeRead >= 0) return;
  const c = libc();
  if (c.eventfd !== null) {
    const fd = c.eventfd(0, O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw lastOsError();
    wakeRead = wakeWrite = fd;
    return;
  }
  const ends = new Int32Array(2);
  if (c.pipe(ends) < 0) throw lastOsError();
  for (const fd of ends) {
    const flags = c.fcntl(fd, F_GETFL, 0);
    if (
      flags < 0 || c.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
      c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0
    ) {
      const error = lastOsError();
      c.close(ends[0]!);
      c.close(ends[1]!);
      throw error;
    }
  }
  [wakeRead, wakeWrite] = [ends[0]!, ends[1]!];
}

function closeWake(): void {
  if (wakeRead < 0) return;
  const c = libc();
  c.close(wakeRead);
  if (wakeWrite !== wakeRead) c.close(wakeWrite);
  wakeRead = wakeWrite = -1;
}
