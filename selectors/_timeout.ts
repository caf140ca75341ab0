/**
 * Each selector's own timeout conversion before it calls its primitive
 * (reference §6.5, §6.6, §6.9). The primitives then apply their own rules.
 *
 * @module
 */
import { ValueError } from "../errors.ts";
import { pyTypeName } from "../_py/convert.ts";
import { CEILING, divide, timeoutToCInt, timeoutToNs, UP } from "../_py/timeout.ts";

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
 * `SelectSelector`: `max(timeout, 0)` seconds, `null` when no timeout. NaN and
 * -0 pass through, as Python's `max` lets them; a BigInt stays one (a Python
 * `int`), so that `select` applies the int rules to it.
 */
export function selectTimeout(timeout: unknown): number | bigint | null {
  if (timeout === undefined || timeout === null) return null;
  if (typeof timeout === "bigint") return timeout < 0n ? 0 : timeout;
  const t = comparable(
    timeout,
    (type) => `'>' not supported between instances of 'int' and '${type}'`,
  );
  return 0 > t ? 0 : t;
}

/**
 * `PollSelector`: `math.ceil(timeout * 1e3)` milliseconds, 0 for `timeout <= 0`,
 * `null` to block. An integer beyond 2^53 goes on as a BigInt so that `poll`
 * applies Python's int rules to it, as it does to Python's int.
 */
export function pollTimeout(timeout: unknown): number | bigint | null {
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
 * `EpollSelector`: `math.ceil(timeout * 1e3) * 1e-3` seconds (a float), 0 for
 * `timeout <= 0`, -1 to block. `checkOpen` runs before the float's range check,
 * because CPython's `epoll.poll` checks for a closed object before converting it.
 */
export function epollTimeout(timeout: unknown, checkOpen?: () => void): number {
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

/*
 * What `selectAsync` waits: the same checks, in the same order, as each selector's
 * blocking `select(timeout)` makes before it waits (its own conversion, then its
 * primitive's), so that both throw alike. Each returns the seconds to wait:
 * `Infinity` for no limit, 0 to poll once.
 */

/** `SelectSelector`: `max(timeout, 0)`, then `select.select`'s conversion. */
export function selectWaitSeconds(timeout: unknown): number {
  const t = selectTimeout(timeout);
  if (t === null) return Infinity;
  timeoutToNs(t, 1e9, "timeout must be a float or None");
  return Number(t);
}

/** `KqueueSelector`: `max(timeout, 0)`, then `kqueue.control`'s conversion. */
export function kqueueWaitSeconds(timeout: unknown): number {
  const t = selectTimeout(timeout);
  if (t === null) return Infinity;
  try {
    timeoutToNs(t, 1e9, "");
  } catch {
    const type = typeof t === "bigint" || Number.isSafeInteger(t) ? "int" : "float";
    throw new TypeError(`timeout argument must be a number or None, got ${type}`);
  }
  return Number(t);
}

/** `PollSelector`: whole milliseconds, then `poll.poll`'s conversion. */
export function pollWaitSeconds(timeout: unknown): number {
  const ms = pollTimeout(timeout);
  if (ms === null) return Infinity;
  const ns = timeoutToNs(ms, 1e6, "timeout must be an integer or None");
  timeoutToCInt(divide(ns, 1_000_000, UP));
  return Number(ms) / 1000;
}

/** `EpollSelector`: seconds rounded up to the millisecond, then `epoll.poll`'s conversion. */
export function epollWaitSeconds(timeout: unknown, checkOpen?: () => void): number {
  const seconds = epollTimeout(timeout, checkOpen);
  if (seconds === -1) return Infinity;
  const ns = timeoutToNs(seconds, 1e9, "timeout must be an integer or None");
  timeoutToCInt(divide(ns, 1_000_000, CEILING));
  return seconds;
}
