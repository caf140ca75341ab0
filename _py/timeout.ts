/**
 * CPython's timeout arithmetic (`Python/pytime.c`, reference §0.1.2): a timeout
 * object becomes an int64 count of nanoseconds, rounded with a mode, then a count of
 * the system call's unit. Numbers are used while they are exact (|ns| ≤ 2^53) and
 * BigInt beyond, so the common cases make no BigInt at all.
 *
 * JS numbers stand for both Python types: a safe integer follows Python `int`
 * rules (exact, "timestamp too large to convert to C PyTime_t" on overflow), any
 * other number follows Python `float` rules (NaN, infinities and 1e300 fail with
 * "timestamp out of range for platform time_t"). A BigInt is a Python `int`.
 *
 * @module
 */
import { ValueError } from "../errors.ts";

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

/** Whether `ns < 0`. */
export function isNegative(ns: Ns): boolean {
  return ns < 0;
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
