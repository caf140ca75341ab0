/**
 * The one place where a caller's bytes become memory that a system call reads or
 * writes. CPython asks the buffer protocol (`PyObject_GetBuffer`, see
 * `Objects/abstract.c`), which reports the object's real extent; JavaScript's
 * `length`, `byteLength`, `byteOffset` and `buffer` are getters that a subclass, an
 * own property or a Proxy can redefine, and `subarray`/`slice` follow
 * `Symbol.species`. A lying count handed to `write(2)` or `recv(2)` beside the
 * real pointer discloses or overwrites the heap.
 *
 * So the extent is read here through the engine's own getters, captured when this
 * module loads (`%TypedArray%.prototype`, `DataView.prototype`,
 * `ArrayBuffer.prototype`, `SharedArrayBuffer.prototype`), and the FFI gets a
 * plain `Uint8Array` built by the intrinsic constructor over exactly that extent.
 * Callers read the size back with {@linkcode byteLengthOf}, never with
 * `.length`, and take windows with {@linkcode bytesFrom}, never with `subarray`.
 *
 * @module
 */
import { ValueError } from "../errors.ts";

type Getter = (this: unknown) => unknown;

function getter(prototype: object, name: PropertyKey): Getter {
  return Object.getOwnPropertyDescriptor(prototype, name)!.get as Getter;
}

const apply = Reflect.apply;
const isView = ArrayBuffer.isView;
const PlainBytes = Uint8Array;
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getter(typedArrayPrototype, Symbol.toStringTag);
const typedArrayBuffer = getter(typedArrayPrototype, "buffer");
const typedArrayByteOffset = getter(typedArrayPrototype, "byteOffset");
const typedArrayByteLength = getter(typedArrayPrototype, "byteLength");
const dataViewBuffer = getter(DataView.prototype, "buffer");
const dataViewByteOffset = getter(DataView.prototype, "byteOffset");
const dataViewByteLength = getter(DataView.prototype, "byteLength");
const arrayBufferByteLength = getter(ArrayBuffer.prototype, "byteLength");
const sharedByteLength = typeof SharedArrayBuffer === "function"
  ? getter(SharedArrayBuffer.prototype, "byteLength")
  : undefined;

/** Runs an intrinsic getter; `undefined` when `value` lacks the internal slot. */
function brand(read: Getter, value: unknown): unknown {
  try {
    return apply(read, value, []);
  } catch {
    return undefined;
  }
}

function detached(): ValueError {
  return new ValueError("operation forbidden on a detached ArrayBuffer");
}

/**
 * A plain `Uint8Array` over `buffer` from `offset`, `length` bytes long, made by
 * the intrinsic constructor (which reads the buffer's internal slots only).
 */
function window(buffer: ArrayBufferLike, offset: number, length: number): Uint8Array {
  try {
    return new PlainBytes(buffer, offset, length);
  } catch (e) {
    // The only way the intrinsic extent can fail to fit is a buffer detached
    // (or shrunk) since it was read.
    if (e instanceof TypeError || e instanceof RangeError) throw detached();
    throw e;
  }
}

/**
 * The bytes of a bytes-like value (any typed array, DataView, ArrayBuffer or
 * SharedArrayBuffer, subclasses included) as a plain `Uint8Array` over its real
 * extent, or `undefined` when `data` is not one (a Proxy around a view is not:
 * it has no buffer of its own).
 *
 * @throws {ValueError} The buffer is detached.
 */
export function plainBytes(data: unknown): Uint8Array | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  if (isView(data)) {
    // %TypedArray%.prototype[@@toStringTag] is undefined for anything but a
    // typed array, without throwing: the spec's own brand check.
    const typed = apply(typedArrayTag, data, []) !== undefined;
    const buffer = apply(typed ? typedArrayBuffer : dataViewBuffer, data, []) as ArrayBufferLike;
    // DataView's getters throw on a detached buffer; %TypedArray%'s give 0.
    let offset: number, length: number;
    try {
      offset = apply(typed ? typedArrayByteOffset : dataViewByteOffset, data, []) as number;
      length = apply(typed ? typedArrayByteLength : dataViewByteLength, data, []) as number;
    } catch {
      throw detached();
    }
    return window(buffer, offset, length);
  }
  const plain = brand(arrayBufferByteLength, data);
  if (plain !== undefined) return window(data as ArrayBuffer, 0, plain as number);
  if (sharedByteLength !== undefined) {
    const shared = brand(sharedByteLength, data);
    if (shared !== undefined) return window(data as SharedArrayBuffer, 0, shared as number);
  }
  return undefined;
}

/**
 * The real byte length of a typed array (read through the intrinsic getter, so an
 * override on `Uint8Array.prototype` cannot change it).
 */
export function byteLengthOf(view: Uint8Array): number {
  return apply(typedArrayByteLength, view, []) as number;
}

/**
 * The bytes of `view` from `start` to its end, as a new plain `Uint8Array` (what
 * `view.subarray(start)` gives, without consulting `Symbol.species`).
 *
 * @throws {ValueError} The buffer has been detached since `view` was made.
 */
export function bytesFrom(view: Uint8Array, start: number): Uint8Array {
  const buffer = apply(typedArrayBuffer, view, []) as ArrayBufferLike;
  const offset = apply(typedArrayByteOffset, view, []) as number;
  const length = apply(typedArrayByteLength, view, []) as number;
  const begin = Math.min(Math.max(start, 0), length);
  return window(buffer, offset + begin, length - begin);
}
