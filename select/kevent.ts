/**
 * `select.kevent`: one kqueue change or event, with CPython's defaults, C-type
 * conversions and ordering (CPython `Modules/selectmodule.c` `kqueue_event_init` and
 * `kqueue_event_richcompare`).
 *
 * @module
 */
import { type KeventFields, narrow64 } from "../ffi/kevent.ts";
import { fildes, type FileLike, pyTypeName } from "../_py/convert.ts";
import { KQ_EV_ADD, KQ_FILTER_READ } from "./kq_constants.ts";

const TWO_64 = 2n ** 64n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isIntegral(value: unknown): value is number | bigint {
  return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
}

function requireInteger(value: unknown): number | bigint {
  if (!isIntegral(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  return value;
}

/** `PyLong_AsSize_t` (3.13's ident conversion for ints). */
function sizeT(value: number | bigint): number | bigint {
  if (value < 0) throw new RangeError("can't convert negative value to size_t");
  const big = BigInt(value);
  if (big >= TWO_64) throw new RangeError("Python int too large to convert to C size_t");
  return narrow64(big);
}

/** `ident`: an integer as `size_t`, anything else through `fildes`. */
function identOf(value: unknown): number | bigint {
  return isIntegral(value) ? sizeT(value) : fildes(value);
}

/** The `h` converter: a range-checked `short`. */
function shortOf(value: unknown): number {
  const n = Number(requireInteger(value));
  if (n >= 2 ** 63 || n < -(2 ** 63)) {
    throw new RangeError("Python int too large to convert to C long");
  }
  if (n < -32768) throw new RangeError("signed short integer is less than minimum");
  if (n > 32767) throw new RangeError("signed short integer is greater than maximum");
  return n;
}

/** The `H` and `I` converters: masked to 16 or 32 bits, no overflow check. */
function maskedOf(value: unknown, bits: 16 | 32): number {
  const v = requireInteger(value);
  const n = typeof v === "bigint" ? Number(BigInt.asUintN(32, v)) : v >>> 0;
  return bits === 16 ? n & 0xffff : n;
}

/** The `L` converter: a range-checked `long long` (`intptr_t` data). */
function int64Of(value: unknown): number | bigint {
  const v = requireInteger(value);
  if (typeof v === "number" && Number.isSafeInteger(v)) return v + 0;
  const big = BigInt(v);
  if (big < INT64_MIN || big > INT64_MAX) throw new RangeError("int too big to convert");
  return narrow64(big);
}

/** The `K` converter: any int, masked to 64 bits (`uintptr_t` udata). */
function uint64Of(value: unknown): number | bigint {
  if (!isIntegral(value)) {
    throw new TypeError(`kevent() argument 6 must be int, not ${pyTypeName(value)}`);
  }
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value + 0;
  return narrow64(BigInt.asUintN(64, BigInt(value)));
}

function compareValues(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `udata` as the signed `intptr_t` CPython compares it as. */
function signed64(value: number | bigint): number | bigint {
  return typeof value === "number" ? value : BigInt.asIntN(64, value);
}

function hex64(value: number | bigint): string {
  return BigInt.asUintN(64, BigInt(value)).toString(16);
}

let storedFields: (value: unknown) => KeventFields | undefined;

/**
 * The six fields a `KEvent` stores, already converted to their C ranges, or
 * `undefined` for anything that is not a `KEvent`: what goes into a changelist.
 * CPython copies the C struct; reading the public getters instead would let a
 * subclass hand the kernel values that never passed the conversions.
 */
export function keventFields(value: unknown): KeventFields | undefined {
  return storedFields(value);
}

/** Set only while {@linkcode keventFromFields} builds an event from kernel output. */
let trusted: KeventFields | undefined;

/**
 * A kqueue event, as Python's `select.kevent`: the six fields of `struct kevent`,
 * each converted and checked as CPython does for its C type.
 *
 * - `ident` (`uintptr_t`): an integer from 0 to 2^64-1, or an object with `fileno()`.
 * - `filter` (`short`): checked to -32768..32767.
 * - `flags` (`unsigned short`) and `fflags` (`unsigned int`): masked, never rejected.
 * - `data` (`intptr_t`): checked to the int64 range.
 * - `udata` (`uintptr_t`): an integer, masked to 64 bits (never an object reference).
 *
 * 64-bit fields read back as a number while exact (a safe integer) and as a
 * BigInt beyond. Fields are writable, with the same conversions (CPython's
 * attribute setters store a truncated `filter` or `ident` with a RuntimeWarning
 * instead; iomux throws the constructor's RangeError).
 *
 * Comparison: JavaScript has no operator overloading, so Python's `==` is
 * {@linkcode KEvent.equals} and Python's `<`/`<=`/`>`/`>=` are
 * {@linkcode KEvent.compare}. Both order lexicographically over
 * `(ident, filter, flags, fflags, data, udata)` with C signedness (`udata`
 * compared as a signed `intptr_t`).
 *
 * @example Python's defaults, and Python's repr
 * ```ts
 * import assert from "node:assert/strict";
 * import { KEvent, KQ_EV_ADD, KQ_FILTER_READ, KQ_FILTER_WRITE } from "@iomux/iomux/select";
 *
 * const ev = new KEvent(5);
 * assert.equal(ev.filter, KQ_FILTER_READ);
 * assert.equal(ev.flags, KQ_EV_ADD);
 * assert.equal(
 *   String(new KEvent(5, KQ_FILTER_WRITE)),
 *   "<select.kevent ident=5 filter=-2 flags=0x1 fflags=0x0 data=0x0 udata=0x0>",
 * );
 * ```
 */
export class KEvent {
  #ident: number | bigint;
  #filter: number;
  #flags: number;
  #fflags: number;
  #data: number | bigint;
  #udata: number | bigint;

  static {
    storedFields = (value) =>
      typeof value === "object" && value !== null && #ident in value
        ? {
          ident: value.#ident,
          filter: value.#filter,
          flags: value.#flags,
          fflags: value.#fflags,
          data: value.#data,
          udata: value.#udata,
        }
        : undefined;
  }

  /**
   * Builds an event, as `select.kevent(ident, filter=KQ_FILTER_READ,
   * flags=KQ_EV_ADD, fflags=0, data=0, udata=0)`.
   *
   * @param ident An fd, an object with `fileno()`, or any integer 0..2^64-1
   *   (a pid, a signal number, a timer id).
   * @param filter A `KQ_FILTER_*` value.
   * @param flags `KQ_EV_*` bits.
   * @param fflags Filter-specific `KQ_NOTE_*` bits.
   * @param data Filter-specific data.
   * @param udata An opaque integer handed back with the event.
   * @throws {TypeError} A field that is not an integer, or an `ident` object
   *   without a usable `fileno()`.
   * @throws {RangeError} A negative or too large `ident`, a `filter` outside
   *   `short`, or a `data` outside int64 (Python's `OverflowError`).
   * @throws {ValueError} `fileno()` returned a negative fd.
   */
  constructor(
    ident: FileLike | bigint,
    filter: number = KQ_FILTER_READ,
    flags: number = KQ_EV_ADD,
    fflags: number = 0,
    data: number | bigint = 0,
    udata: number | bigint = 0,
  ) {
    if (trusted !== undefined) {
      ({
        ident: this.#ident,
        filter: this.#filter,
        flags: this.#flags,
        fflags: this.#fflags,
        data: this.#data,
        udata: this.#udata,
      } = trusted);
      return;
    }
    if (arguments.length < 1) {
      throw new TypeError("kevent() missing required argument 'ident' (pos 1)");
    }
    if (arguments.length > 6) {
      throw new TypeError(`kevent() takes at most 6 arguments (${arguments.length} given)`);
    }
    this.#ident = identOf(ident);
    this.#filter = shortOf(filter);
    this.#flags = maskedOf(flags, 16);
    this.#fflags = maskedOf(fflags, 32);
    this.#data = int64Of(data);
    this.#udata = uint64Of(udata);
  }

  /** The identifier: usually an fd (`uintptr_t`). */
  get ident(): number | bigint {
    return this.#ident;
  }
  set ident(value: number | bigint) {
    this.#ident = sizeT(requireInteger(value));
  }

  /** The filter, a `KQ_FILTER_*` value (`short`). */
  get filter(): number {
    return this.#filter;
  }
  set filter(value: number) {
    this.#filter = shortOf(value);
  }

  /** `KQ_EV_*` flags (`unsigned short`). */
  get flags(): number {
    return this.#flags;
  }
  set flags(value: number) {
    this.#flags = maskedOf(value, 16);
  }

  /** Filter-specific flags (`unsigned int`). */
  get fflags(): number {
    return this.#fflags;
  }
  set fflags(value: number) {
    this.#fflags = maskedOf(value, 32);
  }

  /** Filter-specific data, such as the bytes ready to read (`intptr_t`). */
  get data(): number | bigint {
    return this.#data;
  }
  set data(value: number | bigint) {
    this.#data = int64Of(value);
  }

  /** The caller's opaque integer (`uintptr_t`). */
  get udata(): number | bigint {
    return this.#udata;
  }
  set udata(value: number | bigint) {
    this.#udata = uint64Of(value);
  }

  /**
   * Python's `==`: whether `other` is a `KEvent` with the same six fields. Anything
   * that is not a `KEvent` is unequal (Python's `NotImplemented` leads there too).
   *
   * @param other Any value.
   * @returns `true` when all six fields are equal.
   *
   * @example Equal fields, equal events
   * ```ts
   * import assert from "node:assert/strict";
   * import { KEvent } from "@iomux/iomux/select";
   *
   * assert.equal(new KEvent(3).equals(new KEvent(3)), true);
   * assert.equal(new KEvent(3).equals(null), false);
   * ```
   */
  equals(other: unknown): boolean {
    return other instanceof KEvent && this.compare(other) === 0;
  }

  /**
   * Python's ordering of kevents, as a comparator: negative, 0 or positive as this
   * event sorts before, equal to or after `other`. Usable with `Array.sort`.
   *
   * @param other Another `KEvent`.
   * @returns -1, 0 or 1.
   * @throws {TypeError} `other` is not a `KEvent` (Python raises TypeError for
   *   `<` against a non-kevent).
   *
   * @example Sort events as Python sorts them
   * ```ts
   * import assert from "node:assert/strict";
   * import { KEvent } from "@iomux/iomux/select";
   *
   * const events = [new KEvent(9), new KEvent(4)];
   * events.sort((a, b) => a.compare(b));
   * assert.deepEqual(events.map((e) => e.ident), [4, 9]);
   * ```
   */
  compare(other: KEvent): number {
    if (!(other instanceof KEvent)) {
      throw new TypeError(
        `compare() not supported between instances of 'select.kevent' and '${pyTypeName(other)}'`,
      );
    }
    return compareValues(this.#ident, other.#ident) ||
      compareValues(this.#filter, other.#filter) ||
      compareValues(this.#flags, other.#flags) ||
      compareValues(this.#fflags, other.#fflags) ||
      compareValues(this.#data, other.#data) ||
      compareValues(signed64(this.#udata), signed64(other.#udata));
  }

  /**
   * CPython's repr: `<select.kevent ident=3 filter=-1 flags=0x1 fflags=0x0 data=0x0
   * udata=0x0>` (`data` in hex as an unsigned 64-bit value, as `%llx` prints it).
   *
   * @returns The repr.
   *
   * @example Python's repr
   * ```ts
   * import assert from "node:assert/strict";
   * import { KEvent } from "@iomux/iomux/select";
   *
   * assert.equal(
   *   new KEvent(3).toString(),
   *   "<select.kevent ident=3 filter=-1 flags=0x1 fflags=0x0 data=0x0 udata=0x0>",
   * );
   * ```
   */
  toString(): string {
    return `<select.kevent ident=${this.#ident} filter=${this.#filter} flags=0x${
      this.#flags.toString(16)
    } fflags=0x${this.#fflags.toString(16)} data=0x${hex64(this.#data)} udata=0x${
      hex64(this.#udata)
    }>`;
  }

  /** Deno's `console.log` shows the repr. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Node's and Bun's `console.log` show the repr. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * Creates a {@linkcode KEvent}, as Python's `select.kevent(ident, filter, flags,
 * fflags, data, udata)`, with the same defaults (`KQ_FILTER_READ`, `KQ_EV_ADD`, 0,
 * 0, 0).
 *
 * @param ident An fd, an object with `fileno()`, or an integer identifier.
 * @param filter A `KQ_FILTER_*` value.
 * @param flags `KQ_EV_*` bits.
 * @param fflags `KQ_NOTE_*` bits.
 * @param data Filter-specific data.
 * @param udata An opaque integer.
 * @returns The new event.
 * @throws {TypeError} A field that is not an integer.
 * @throws {RangeError} A field outside its C type's range.
 *
 * @example A change that deletes a write filter
 * ```ts
 * import assert from "node:assert/strict";
 * import { kevent, KQ_EV_DELETE, KQ_FILTER_WRITE } from "@iomux/iomux/select";
 *
 * const ev = kevent(7, KQ_FILTER_WRITE, KQ_EV_DELETE);
 * assert.deepEqual([ev.ident, ev.filter, ev.flags], [7, KQ_FILTER_WRITE, KQ_EV_DELETE]);
 * ```
 */
export function kevent(
  ident: FileLike | bigint,
  filter?: number,
  flags?: number,
  fflags?: number,
  data?: number | bigint,
  udata?: number | bigint,
): KEvent {
  if (arguments.length < 1) {
    throw new TypeError("kevent() missing required argument 'ident' (pos 1)");
  }
  if (arguments.length > 6) {
    throw new TypeError(`kevent() takes at most 6 arguments (${arguments.length} given)`);
  }
  return new KEvent(ident, filter, flags, fflags, data, udata);
}

/** A `KEvent` holding fields already in their C ranges (read back from the kernel). */
export function keventFromFields(fields: KeventFields): KEvent {
  trusted = fields;
  try {
    return new KEvent(0);
  } finally {
    trusted = undefined;
  }
}
