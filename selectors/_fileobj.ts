/**
 * `_fileobj_to_fd`, `_BaseSelectorImpl._fileobj_lookup` and the event-mask checks
 * of `_BaseSelectorImpl.register` and `.modify` (`Lib/selectors.py`).
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { denoHandleHint, pyTypeName } from "../_py/convert.ts";
import type { SelectorKey } from "./key.ts";
import { pyRepr } from "./_repr.ts";

/**
 * Python's `int(x)` for what a `fileno()` may return. Unlike the `select`
 * module, `selectors` applies `int()`, so `"7"` and `7.9` both mean fd 7.
 * Throws TypeError/ValueError where `int()` raises them; infinity raises
 * Python's OverflowError, which `_fileobj_to_fd` does not catch.
 */
function pyInt(value: unknown): number {
  switch (typeof value) {
    case "number":
      if (Number.isNaN(value)) throw new ValueError("cannot convert float NaN to integer");
      if (!Number.isFinite(value)) throw new RangeError("cannot convert float infinity to integer");
      return Math.trunc(value) + 0;
    case "bigint":
      return Number(value);
    case "boolean":
      return value ? 1 : 0;
    case "string": {
      const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(value);
      if (match === null) {
        throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(value)}`);
      }
      const n = Number(match[2]!.replaceAll("_", ""));
      return match[1] === "-" ? -n + 0 : n;
    }
  }
  throw new TypeError(
    `int() argument must be a string, a bytes-like object or a real number, not '${
      pyTypeName(value)
    }'`,
  );
}

/**
 * `_fileobj_to_fd`: an integer is the fd itself; anything else must have a
 * `fileno()` whose result `int()` accepts. A missing or failing `fileno()`
 * (TypeError, ValueError) becomes `ValueError("Invalid file object: <repr>")`;
 * a negative fd `ValueError("Invalid file descriptor: N")`. No upper bound.
 */
export function fileobjToFd(fileobj: unknown): number {
  let fd: number;
  if (typeof fileobj === "number" && Number.isInteger(fileobj)) {
    fd = fileobj + 0;
  } else if (typeof fileobj === "boolean" || typeof fileobj === "bigint") {
    // Python's bool and int are ints; JS keys need one number type.
    fd = Number(fileobj);
  } else {
    try {
      const fileno = (fileobj as { fileno?: unknown } | null | undefined)?.fileno;
      if (typeof fileno !== "function") throw new TypeError("no fileno()");
      fd = pyInt(fileno.call(fileobj));
    } catch (error) {
      if (error instanceof TypeError || error instanceof ValueError) {
        throw new ValueError(`Invalid file object: ${pyRepr(fileobj)}${denoHandleHint(fileobj)}`);
      }
      throw error;
    }
  }
  if (fd < 0) throw new ValueError(`Invalid file descriptor: ${fd}`);
  return fd;
}

/**
 * `_fileobj_lookup`: the fd of `fileobj`; when that fails with ValueError (a
 * closed object), the fd of a key of `fdToKey` holding this very object.
 */
export function fileobjLookup(
  fileobj: unknown,
  fdToKey: ReadonlyMap<number, SelectorKey<unknown>>,
): number {
  try {
    return fileobjToFd(fileobj);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    for (const key of fdToKey.values()) {
      if (key.fileobj === fileobj) return key.fd;
    }
    throw error;
  }
}

/**
 * `events` as an integer for `&`: Python raises "unsupported operand type(s)"
 * for anything that is not an int (bool included as 0/1).
 */
export function eventBits(events: unknown): number {
  if (typeof events === "number" && Number.isInteger(events)) return events + 0;
  if (typeof events === "boolean") return events ? 1 : 0;
  if (typeof events === "bigint") return Number(events);
  throw new TypeError(
    `unsupported operand type(s) for &: '${pyTypeName(events)}' and 'int'`,
  );
}

/** Python's truth value of `events` for the `not events` test of `register`. */
function isFalsy(value: unknown): boolean {
  return value === 0 || value === false || value === "" || value === undefined ||
    value === null || value === 0n || (Array.isArray(value) && value.length === 0) ||
    isEmptyDict(value);
}

/** An empty plain object: iomux's stand-in for a dict (see `pyTypeName`), and `{}` is falsy. */
function isEmptyDict(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.keys(value).length === 0;
}

/**
 * `register`'s check, run before the fd is looked at:
 * `ValueError("Invalid events: <repr>")` unless `events` is 1, 2 or 3
 * (`EVENT_READ`, `EVENT_WRITE` or both); a non-integer is a TypeError.
 */
export function checkEvents(events: unknown): number {
  if (isFalsy(events)) throw new ValueError(`Invalid events: ${pyRepr(events)}`);
  const bits = eventBits(events);
  if (bits < 1 || bits > 3) throw new ValueError(`Invalid events: ${pyRepr(events)}`);
  return bits;
}

/** Python's `events != key.events`, negated: `True == 1` and `1n == 1` (one int type there). */
export function sameEvents(events: unknown, current: number): boolean {
  if (typeof events === "bigint") return events === BigInt(current);
  return (typeof events === "boolean" ? Number(events) : events) === current;
}
