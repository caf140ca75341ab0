/**
 * `select.select()`: wait until some of three sets of fds are ready, with
 * CPython's checks, rounding, EINTR handling and result order
 * (`Modules/selectmodule.c` `select_select_impl`).
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { libc } from "../ffi/libc.ts";
import { FD_SETSIZE, newFdSet, newTimeval, writeTime } from "../ffi/structs.ts";
import { fillHandleSet, newHandleSet, readyHandles } from "../ffi/fd_set.ts";
import { fildes } from "../_py/convert.ts";
import { CEILING, divide, FLOOR, type Ns, parseSelectTimeout } from "../_py/timeout.ts";
import { type InterruptibleWait, waitFor } from "../_py/wait_loop.ts";
import { fastPaths, sleepFor, WINDOWS } from "./_internal.ts";
import { readyItems, readySets, selectNow } from "./_select_now.ts";

// Windows: `fd_set` is a list of socket handles, any value goes in (no range check,
// `nfds` ignored), and Winsock's `select` refuses three empty sets with WSAEINVAL
// where Unix sleeps (`Modules/selectmodule.c` `seq2set` skips the range check under
// `_MSC_VER`; FD_SETSIZE is 512 there).

/** The fds and objects one list contributed, and the `fd_set` built from them. */
class ListState {
  readonly set: Uint8Array = WINDOWS ? new Uint8Array(newHandleSet().buffer) : newFdSet();
  readonly handles: Uint32Array = new Uint32Array(this.set.buffer);
  readonly fds: Int32Array = new Int32Array(FD_SETSIZE);
  readonly objects: unknown[] = [];
  count = 0;
  max = -1;
}

/**
 * Buffers of one select() call, and the `select(2)` call over them as the wait loop
 * drives it; a fresh set is made only for re-entrant calls.
 */
class Scratch implements InterruptibleWait {
  readonly rlist: ListState = new ListState();
  readonly wlist: ListState = new ListState();
  readonly xlist: ListState = new ListState();
  readonly timeval: Int32Array = newTimeval();
  readonly timevalBytes: Uint8Array = new Uint8Array(this.timeval.buffer);
  nfds = 0;
  timeout: Uint8Array | null = null;

  block(): void {
    this.timeout = null;
  }

  limit(ns: Ns): void {
    writeTimeout(this.timeval, ns);
    this.timeout = this.timevalBytes;
  }

  attempt(): number {
    if (WINDOWS && this.nfds === 0) return sleepOnWindows(this);
    // select(2) overwrites the sets: each attempt fills them again.
    return libc().select(
      this.nfds,
      fill(this.rlist),
      fill(this.wlist),
      fill(this.xlist),
      this.timeout,
    );
  }
}

const shared = new Scratch();
let sharedInUse = false;

function asSequence(value: unknown): ArrayLike<unknown> {
  if (Array.isArray(value)) return value;
  if (
    value !== null && value !== undefined &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  ) {
    return Array.from(value as Iterable<unknown>);
  }
  throw new TypeError("arguments 1-3 must be sequences");
}

/**
 * CPython's `seq2set`: converts each item in order (its length re-read every step,
 * so a `fileno()` that shrinks the list is seen), checks the fd range and count,
 * and remembers the item for the result.
 */
function collect(seq: ArrayLike<unknown>, state: ListState): void {
  state.count = 0;
  state.max = -1;
  for (let i = 0; i < seq.length; i++) {
    const item = seq[i];
    const fd = fildes(item);
    if (fd >= FD_SETSIZE && !WINDOWS) {
      throw new ValueError("filedescriptor out of range in select()");
    }
    if (state.count >= FD_SETSIZE) throw new ValueError("too many file descriptors in select()");
    if (fd > state.max) state.max = fd;
    state.fds[state.count] = fd;
    state.objects[state.count] = item;
    state.count++;
  }
}

function fill(state: ListState): Uint8Array | null {
  if (state.count === 0) return null;
  if (WINDOWS) {
    fillHandleSet(state.handles, state.fds, state.count);
    return state.set;
  }
  const set = state.set;
  set.fill(0);
  const fds = state.fds;
  for (let i = 0; i < state.count; i++) {
    const fd = fds[i]!;
    set[fd >> 3]! |= 1 << (fd & 7);
  }
  return set;
}

function ready<T>(state: ListState, result: T[]): T[] {
  if (WINDOWS) return readyOnWindows(state, result);
  const set = state.set;
  const fds = state.fds;
  const objects = state.objects;
  for (let i = 0; i < state.count; i++) {
    const fd = fds[i]!;
    if (set[fd >> 3]! & (1 << (fd & 7))) result.push(objects[i] as T);
  }
  return result;
}

/** CPython's `set2list`: every input entry whose handle is still in the set, in order. */
function readyOnWindows<T>(state: ListState, result: T[]): T[] {
  if (state.count === 0) return result;
  const handles = readyHandles(state.handles);
  for (let i = 0; i < state.count; i++) {
    if (handles.has(state.fds[i]!)) result.push(state.objects[i] as T);
  }
  return result;
}

/**
 * Windows with three empty lists: sleep for the timeout, since Winsock's select
 * fails with WSAEINVAL on empty sets; no timeout sleeps for good.
 */
function sleepOnWindows(scratch: Scratch): number {
  return sleepFor(
    scratch.timeout === null ? Infinity : scratch.timeval[0]! * 1000 + scratch.timeval[1]! / 1000,
  );
}

function release(scratch: Scratch): void {
  // Drop the references to the caller's objects so that nothing is kept alive.
  // A plain loop: Array.prototype.fill is a C++ builtin, ~25 ns a call even for
  // nothing and ~1 µs for 1,000 items, three times per select() (bench/results.md).
  clear(scratch.rlist);
  clear(scratch.wlist);
  clear(scratch.xlist);
}

function clear(state: ListState): void {
  const objects = state.objects;
  for (let i = 0; i < state.count; i++) objects[i] = undefined;
  state.count = 0;
}

/**
 * Writes `ns` (never negative) as a `struct timeval`, rounded up to the microsecond:
 * CPython's first call rounds away from zero (`_PyTime_ROUND_TIMEOUT`) and its
 * retries toward +∞, which agree on counts that are not negative.
 */
function writeTimeout(timeval: Int32Array, ns: Ns): void {
  const us = divide(ns, 1000, CEILING);
  const sec = divide(us, 1_000_000, FLOOR);
  // Beyond 2^53 µs (about 285 years) `us` is a BigInt: subtract in BigInt, or
  // Number(us) rounds and tv_usec is off by one (CPython parity, tests/parity_test.ts).
  const usec = typeof us === "bigint"
    ? Number(us - BigInt(sec) * 1_000_000n)
    : us - Number(sec) * 1_000_000;
  // Windows' tv_sec is a 32-bit long (Python/pytime.c `pytime_as_timeval`).
  if (WINDOWS && Number(sec) > 0x7fff_ffff) {
    throw new RangeError("timestamp out of range for platform time_t");
  }
  writeTime(timeval, Number(sec), usec);
}

/**
 * Waits until some of the given objects are ready for reading, writing, or have an
 * exceptional condition (out-of-band data), as Python's `select.select()`.
 *
 * Each list may hold fds and objects with a `fileno()` method; at most 1,024
 * entries each, every fd below `FD_SETSIZE` (1,024). The result holds the caller's
 * own objects, in input order, duplicates kept, in three new arrays.
 *
 * @param rlist Objects to wait on until they are readable.
 * @param wlist Objects to wait on until they are writable.
 * @param xlist Objects to wait on for an exceptional condition.
 * @param timeout Seconds to wait (rounded up to whole microseconds); `undefined`
 *   or `null` waits with no limit; 0 polls.
 * @returns The ready subsets of `rlist`, `wlist` and `xlist`.
 * @throws {TypeError} An argument is not iterable ("arguments 1-3 must be
 *   sequences"), an item is not an fd, or the timeout is not a number.
 * @throws {ValueError} A negative timeout or fd, an fd ≥ 1,024, more than 1,024
 *   entries in one list, or a NaN timeout.
 * @throws {RangeError} A timeout too large for the platform.
 * @throws {OSError} The system call failed (EBADF for a closed fd).
 *
 * @example Wait for a pipe to become readable
 * ```ts
 * import assert from "node:assert/strict";
 * import { select } from "@iomux/iomux/select";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * assert.deepEqual(select([r], [w], [], 0), [[], [w], []]);
 * write(w, new TextEncoder().encode("hi"));
 * const [readable] = select([r], [], [], 1);
 * assert.deepEqual(readable, [r]);
 * close(r);
 * close(w);
 * ```
 */
export function select<T>(
  rlist: Iterable<T>,
  wlist: Iterable<T>,
  xlist: Iterable<T>,
  timeout?: number | null,
): [T[], T[], T[]] {
  if (arguments.length < 3) {
    throw new TypeError(`select expected at least 3 arguments, got ${arguments.length}`);
  }
  if (arguments.length > 4) {
    throw new TypeError(`select expected at most 4 arguments, got ${arguments.length}`);
  }
  if (
    !WINDOWS && (timeout === 0 || timeout === undefined || timeout === null) &&
    Array.isArray(rlist) && Array.isArray(wlist) && Array.isArray(xlist)
  ) {
    // Arrays of plain fds, polled or waited on for good, need none of the full path's steps.
    const n = selectNow(rlist, wlist, xlist, timeout !== 0);
    if (n >= 0) {
      fastPaths.select++;
      if (n === 0) return [[], [], []];
      const sets = readySets;
      return [readyItems(rlist, sets.r), readyItems(wlist, sets.w), readyItems(xlist, sets.x)];
    }
    fastPaths.selectFallback++;
  }
  const ns = parseSelectTimeout(timeout);

  const scratch = sharedInUse ? new Scratch() : shared;
  const ownsShared = scratch === shared;
  if (ownsShared) sharedInUse = true;
  try {
    const { rlist: rs, wlist: ws, xlist: xs } = scratch;
    // CPython's seq2set checks each argument just before its items: an item error
    // in rlist wins over a wlist that is not a sequence.
    collect(asSequence(rlist), rs);
    collect(asSequence(wlist), ws);
    collect(asSequence(xlist), xs);
    // Winsock ignores nfds; there it only says whether any list is non-empty.
    scratch.nfds = Math.max(rs.max, ws.max, xs.max) + 1;
    if (waitFor(scratch, ns) === 0) return [[], [], []];
    return [ready(rs, []), ready(ws, []), ready(xs, [])];
  } finally {
    release(scratch);
    if (ownsShared) sharedInUse = false;
  }
}
