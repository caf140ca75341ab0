/**
 * Python's timeout rules, each in one place: CPython's arithmetic (`Python/pytime.c`:
 * `_PyTime_FromObject`, `_PyTime_Divide`, `_PyDeadline_Init`/`_PyDeadline_Get`), each
 * primitive's timeout parser (`Modules/selectmodule.c`), and each selector's own step
 * before it (`Lib/selectors.py`).
 *
 * A timeout object becomes an int64 count of nanoseconds, rounded with a mode, then a
 * count of the system call's unit. Numbers are used while they are exact (|ns| ≤ 2^53) and
 * BigInt beyond, so the common cases make no BigInt at all.
 *
 * JS numbers stand for both Python types: a safe integer follows Python `int`
 * rules (exact, "timestamp too large to convert to C PyTime_t" on overflow), any
 * other number follows Python `float` rules (NaN, infinities and 1e300 fail with
 * "timestamp out of range for platform time_t"). A BigInt is a Python `int`.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { pyTypeName } from "./convert.ts";

/** A nanosecond count: a number while exact, a BigInt beyond 2^53. */
export type Ns = number | bigint;

/** Rounding modes of `_PyTime_round_t`. */
export const FLOOR = 0;
/** Toward +∞. */
export const CEILING = 1;
/** Away from zero (`_PyTime_ROUND_UP`, which `_PyTime_ROUND_TIMEOUT` is). */
export const UP = 3;
/** One of {@linkcode FLOOR}, {@linkcode CEILING}, {@linkcode UP}. */
export type Round = typeof FLOOR | typeof CEILING | typeof UP;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The largest Python-int timeout whose `value * unit` fits in int64. */
const INT_LIMIT: Readonly<Record<number, number>> = {
  1e9: 9223372036,
  1e6: 9223372036854,
};

/** A BigInt back to a number when that is exact. */
function narrow(ns: bigint): Ns {
  return ns >= -9007199254740991n && ns <= 9007199254740991n ? Number(ns) : ns;
}

/**
 * `_PyTime_FromObject(obj, ROUND_TIMEOUT, unit)`: `unitNs` is 1e9 for seconds and
 * 1e6 for milliseconds. A value that is not a number throws `TypeError(typeMessage)`,
 * the message each caller substitutes for Python's.
 */
export function timeoutToNs(value: unknown, unitNs: 1e9 | 1e6, typeMessage: string): Ns {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) {
      const limit = INT_LIMIT[unitNs]!;
      if (value > limit || value < -limit) {
        throw new RangeError("timestamp too large to convert to C PyTime_t");
      }
      const ns = value * unitNs + 0; // + 0 turns -0 into 0
      return Number.isSafeInteger(ns) ? ns : BigInt(value) * BigInt(unitNs);
    }
    if (Number.isNaN(value)) throw new ValueError("Invalid value NaN (not a number)");
    let d = value * unitNs;
    d = d >= 0 ? Math.ceil(d) : Math.floor(d);
    if (!(d >= -(2 ** 63) && d < 2 ** 63)) {
      throw new RangeError("timestamp out of range for platform time_t");
    }
    return Number.isSafeInteger(d) ? d + 0 : BigInt(d);
  }
  if (typeof value === "bigint") {
    if (value > INT64_MAX || value < INT64_MIN) {
      throw new RangeError("timestamp too large to convert to C PyTime_t");
    }
    const ns = value * BigInt(unitNs);
    if (ns > INT64_MAX || ns < INT64_MIN) {
      throw new RangeError("timestamp too large to convert to C PyTime_t");
    }
    return narrow(ns);
  }
  throw new TypeError(typeMessage);
}

/** `_PyTime_Divide(ns, k, round)`, exact for numbers and BigInts alike. */
export function divide(ns: Ns, k: number, round: Round): Ns {
  if (typeof ns === "number") {
    const r = ns % k;
    let q = (ns - r) / k;
    if (r !== 0) {
      if (r > 0 && round !== FLOOR) q += 1;
      else if (r < 0 && round !== CEILING) q -= 1;
    }
    return q + 0;
  }
  const bk = BigInt(k);
  const r = ns % bk;
  let q = ns / bk;
  if (r !== 0n) {
    if (r > 0n && round !== FLOOR) q += 1n;
    else if (r < 0n && round !== CEILING) q -= 1n;
  }
  return narrow(q);
}

/** A count in a syscall unit, or `RangeError("timeout is too large")` outside C int. */
export function timeoutToCInt(count: Ns): number {
  if (count > 2147483647 || count < -2147483648) {
    throw new RangeError("timeout is too large");
  }
  return Number(count);
}

/** Monotonic milliseconds (fractional). */
export const monotonicMs: () => number = () => performance.now();

/** A deadline `ns` from now, in monotonic milliseconds (`_PyDeadline_Init`). */
export function deadlineAfter(ns: Ns): number {
  // A zero timeout has always expired by the time EINTR asks how much is left
  // (CPython's nanosecond clock moves on across any system call), so it needs no
  // clock read: performance.now() costs ~0.1 µs and a 16-byte HeapNumber per poll(0)
  // (bench/results.md). -1 lies before any monotonicMs() reading.
  if (ns === 0) return -1;
  return monotonicMs() + Number(ns) / 1e6;
}

/** Nanoseconds left until `deadline` (`_PyDeadline_Get`); negative once it has passed. */
export function nsLeft(deadline: number): number {
  return Math.ceil((deadline - monotonicMs()) * 1e6);
}

/*
 * Each primitive's timeout, as its C function in `Modules/selectmodule.c` parses it:
 * nanoseconds to wait (never negative), or `null` to wait with no limit. The blocking
 * call hands the result to the wait loop (`_py/wait_loop.ts`), which writes it in the
 * system call's unit, rounded up, and keeps the deadline; the async twin makes the
 * same checks and waits until the same deadline.
 */

/**
 * `select.select`'s timeout (`select_select_impl`): seconds; `null` blocks.
 *
 * @throws {TypeError} "timeout must be a float or None".
 * @throws {ValueError} A negative timeout ("timeout must be non-negative").
 */
export function parseSelectTimeout(timeout: unknown): Ns | null {
  if (timeout === undefined || timeout === null) return null;
  const ns = timeoutToNs(timeout, 1e9, "timeout must be a float or None");
  // CPython tests tv_sec of the timeval rounded away from zero: any negative count of
  // nanoseconds, -1 ns included, gives a negative tv_sec.
  if (ns < 0) throw new ValueError("timeout must be non-negative");
  return ns;
}

/**
 * `poll.poll`'s timeout (`select_poll_poll_impl`): **milliseconds**, rounded away
 * from zero; `null` and every negative value block.
 *
 * @throws {TypeError} "timeout must be an integer or None".
 * @throws {RangeError} More milliseconds than a C `int` holds ("timeout is too large").
 */
export function parsePollTimeout(timeout: unknown): Ns | null {
  if (timeout === undefined || timeout === null) return null;
  const ns = timeoutToNs(timeout, 1e6, "timeout must be an integer or None");
  timeoutToCInt(divide(ns, 1_000_000, UP));
  return ns < 0 ? null : ns;
}

/**
 * `epoll.poll`'s timeout (`select_epoll_poll_impl`): seconds, rounded up (toward +∞)
 * to the millisecond; `null` and anything at or below -1 ms block.
 *
 * @throws {TypeError} "timeout must be an integer or None".
 * @throws {RangeError} More milliseconds than a C `int` holds ("timeout is too large").
 */
export function parseEpollTimeout(timeout: unknown): Ns | null {
  if (timeout === undefined || timeout === null) return null;
  const ns = timeoutToNs(timeout, 1e9, "timeout must be an integer or None");
  if (timeoutToCInt(divide(ns, 1_000_000, CEILING)) < 0) return null;
  // Above -1 ms, a negative timeout rounds up to 0 ms: it polls once, as 0 does.
  return ns < 0 ? 0 : ns;
}

/**
 * `kqueue.control`'s timeout (`select_kqueue_control_impl`): seconds, written exactly
 * as a `struct timespec`; `null` blocks.
 *
 * @throws {TypeError} Any conversion error, NaN and overflow included ("timeout
 *   argument must be a number or None, got float").
 * @throws {ValueError} A negative timeout ("timeout must be positive or None").
 */
export function parseKqueueTimeout(timeout: unknown): Ns | null {
  if (timeout === undefined || timeout === null) return null;
  let ns: Ns;
  try {
    ns = timeoutToNs(timeout, 1e9, "");
  } catch {
    // Python's type name as timeoutToNs sees numbers: a safe integer is an `int`.
    const type = typeof timeout === "number"
      ? Number.isSafeInteger(timeout) ? "int" : "float"
      : pyTypeName(timeout);
    throw new TypeError(`timeout argument must be a number or None, got ${type}`);
  }
  if (ns < 0) throw new ValueError("timeout must be positive or None");
  return ns;
}

/*
 * Each selector's own step before it calls its primitive (`Lib/selectors.py`): the
 * primitive's parser above then applies its rules to what this step returns.
 */

/** `timeout` as a number, or Python's comparison TypeError (`op` and operand order as CPython's). */
function comparable(timeout: unknown, message: (type: string) => string): number {
  if (typeof timeout === "number") return timeout;
  if (typeof timeout === "bigint") return Number(timeout);
  throw new TypeError(message(pyTypeName(timeout)));
}

/** `math.ceil(x)` on a float: an exact integer, or Python's errors. */
function ceil(x: number): number {
  if (Number.isNaN(x)) throw new ValueError("cannot convert float NaN to integer");
  if (!Number.isFinite(x)) throw new RangeError("cannot convert float infinity to integer");
  return Math.ceil(x);
}

/**
 * `SelectSelector.select` and `KqueueSelector.select`: `max(timeout, 0)` seconds,
 * `null` when no timeout. NaN and -0 pass through, as Python's `max` lets them; a
 * BigInt stays one (a Python `int`), so that the primitive applies the int rules to it.
 */
export function selectSelectorTimeout(timeout: unknown): number | bigint | null {
  if (timeout === undefined || timeout === null) return null;
  if (typeof timeout === "bigint") return timeout < 0n ? 0 : timeout;
  const t = comparable(
    timeout,
    (type) => `'>' not supported between instances of 'int' and '${type}'`,
  );
  return 0 > t ? 0 : t;
}

/**
 * `_PollLikeSelector.select` (PollSelector): `math.ceil(timeout * 1e3)` milliseconds,
 * 0 for `timeout <= 0`, `null` to block. An integer beyond 2^53 goes on as a BigInt
 * so that `poll` applies Python's int rules to it, as it does to Python's int.
 */
export function pollSelectorTimeout(timeout: unknown): number | bigint | null {
  if (timeout === undefined || timeout === null) return null;
  const t = comparable(
    timeout,
    (type) => `'<=' not supported between instances of '${type}' and 'int'`,
  );
  if (t <= 0) return 0;
  const ms = ceil(t * 1e3);
  return Number.isSafeInteger(ms) ? ms : BigInt(ms);
}

/** The largest float of seconds whose nanoseconds fit `PyTime_t`. */
const MAX_FLOAT_SECONDS = 2 ** 63 / 1e9;

/**
 * `EpollSelector.select`: `math.ceil(timeout * 1e3) * 1e-3` seconds (a float), 0 for
 * `timeout <= 0`, -1 to block. `checkOpen` runs before the float's range check,
 * because CPython's `epoll.poll` checks for a closed object before converting it.
 */
export function epollSelectorTimeout(timeout: unknown, checkOpen?: () => void): number {
  if (timeout === undefined || timeout === null) return -1;
  const t = comparable(
    timeout,
    (type) => `'<=' not supported between instances of '${type}' and 'int'`,
  );
  if (t <= 0) return 0;
  const seconds = ceil(t * 1e3) * 1e-3;
  checkOpen?.();
  // The value is a Python float, so a huge one fails as a float does, even when
  // it happens to be integral (where `Epoll.poll` would apply the int message).
  if (seconds >= MAX_FLOAT_SECONDS) {
    throw new RangeError("timestamp out of range for platform time_t");
  }
  return seconds;
}

/**
 * A parsed timeout in seconds, as `selectAsync` waits it: `Infinity` for no limit.
 * A selector's async checks are its blocking ones, composed: e.g. for `PollSelector`,
 * `secondsToWait(parsePollTimeout(pollSelectorTimeout(timeout)))`.
 */
export function secondsToWait(timeout: Ns | null): number {
  return timeout === null ? Infinity : Number(timeout) / 1e9;
}
