/**
 * Encoding and decoding `struct kevent` for a given layout: macOS and libkqueue
 * (32 bytes) or FreeBSD 12+ (64 bytes, `ext[4]` zeroed). All targets iomux
 * supports are little-endian and LP64.
 *
 * 64-bit fields come back as a number while the value is a safe integer and as a
 * BigInt beyond, so the usual fds, byte counts and small tokens need no BigInt.
 *
 * @module
 */
import type { KeventLayout } from "./abi/types.ts";

/** The six fields of a `struct kevent`, already converted to their C ranges. */
export interface KeventFields {
  /** `uintptr_t ident`: 0 to 2^64-1. */
  readonly ident: number | bigint;
  /** `short filter`: -32768 to 32767. */
  readonly filter: number;
  /** `unsigned short flags`: 0 to 0xffff. */
  readonly flags: number;
  /** `unsigned int fflags`: 0 to 0xffffffff. */
  readonly fflags: number;
  /** `intptr_t data`: -2^63 to 2^63-1. */
  readonly data: number | bigint;
  /** `void *udata` as an integer: 0 to 2^64-1. */
  readonly udata: number | bigint;
}

const TWO_32 = 0x1_0000_0000;

/** A 64-bit value as a number when that is exact, else the BigInt itself. */
export function narrow64(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

function writeUint64(view: DataView, at: number, value: number | bigint): void {
  if (typeof value === "number") {
    view.setUint32(at, value % TWO_32, true);
    view.setUint32(at + 4, Math.floor(value / TWO_32), true);
  } else {
    view.setBigUint64(at, value, true);
  }
}

function writeInt64(view: DataView, at: number, value: number | bigint): void {
  if (typeof value === "number" && value >= 0) {
    writeUint64(view, at, value);
  } else {
    view.setBigInt64(at, BigInt(value), true);
  }
}

function readUint64(view: DataView, at: number): number | bigint {
  const value = view.getUint32(at + 4, true) * TWO_32 + view.getUint32(at, true);
  // Rounding is monotonic, so an inexact sum is never taken for a safe integer.
  return Number.isSafeInteger(value) ? value : view.getBigUint64(at, true);
}

function readInt64(view: DataView, at: number): number | bigint {
  const value = view.getInt32(at + 4, true) * TWO_32 + view.getUint32(at, true);
  return Number.isSafeInteger(value) ? value : view.getBigInt64(at, true);
}

/**
 * Writes `events` into `buffer` as consecutive `struct kevent`s. The buffer must
 * hold `events.length * layout.size` bytes; the FreeBSD `ext` words are zeroed.
 */
export function encodeKevents(
  buffer: Uint8Array,
  layout: KeventLayout,
  events: readonly KeventFields[],
): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const count = events.length;
  if (count * layout.size > buffer.byteLength) {
    throw new RangeError("changelist does not fit its buffer");
  }
  for (let i = 0; i < count; i++) {
    const event = events[i]!;
    const at = i * layout.size;
    writeUint64(view, at + layout.ident, event.ident);
    view.setInt16(at + layout.filter, event.filter, true);
    view.setUint16(at + layout.flags, event.flags, true);
    view.setUint32(at + layout.fflags, event.fflags, true);
    writeInt64(view, at + layout.data, event.data);
    writeUint64(view, at + layout.udata, event.udata);
    if (layout.ext !== null) buffer.fill(0, at + layout.ext, at + layout.size);
  }
}

/** Reads the `index`-th `struct kevent` of `buffer`. */
export function decodeKevent(
  buffer: Uint8Array,
  layout: KeventLayout,
  index: number,
): KeventFields {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const at = index * layout.size;
  return {
    ident: readUint64(view, at + layout.ident),
    filter: view.getInt16(at + layout.filter, true),
    flags: view.getUint16(at + layout.flags, true),
    fflags: view.getUint32(at + layout.fflags, true),
    data: readInt64(view, at + layout.data),
    udata: readUint64(view, at + layout.udata),
  };
}

/**
 * Hands `(ident, filter)` of the first `count` `struct kevent`s of `buffer` to
 * `sink`, with no object made per event: what selectors need (their idents are
 * fds, so the low 32 bits of `ident` are read, as an int).
 */
export function forEachIdentFilter(
  buffer: Uint8Array,
  layout: KeventLayout,
  count: number,
  sink: (ident: number, filter: number) => void,
): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  for (let i = 0, at = 0; i < count; i++, at += layout.size) {
    sink(view.getInt32(at + layout.ident, true), view.getInt16(at + layout.filter, true));
  }
}
