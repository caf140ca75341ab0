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
 * plain `Uint8Array` over exactly that extent: the caller's own object when it is
 * a genuine `Uint8Array` of the intrinsic class, else one built by the intrinsic
 * constructor.
 * Callers read the size back with {@linkcode byteLengthOf}, never with
 * `.length`, and take windows with {@linkcode bytesFrom}, never with `subarray`.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";

type Getter = (receiver: unknown) => unknown;

/** An intrinsic getter as a plain function of its receiver, immune to later tampering. */
function getter(prototype: object, name: PropertyKey): Getter {
  const get = Object.getOwnPropertyDescriptor(prototype, name)!.get!;
  return Function.prototype.call.bind(get) as Getter;
}

const isView = ArrayBuffer.isView;
const getPrototypeOf = Object.getPrototypeOf;
const PlainBytes = Uint8Array;
const plainPrototype = Uint8Array.prototype;
const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
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
// ES2026 immutable ArrayBuffers; absent from older engines.
const arrayBufferImmutable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "immutable")
    ?.get
  ? getter(ArrayBuffer.prototype, "immutable")
  : undefined;

/** Runs an intrinsic getter; `undefined` when `value` lacks the internal slot. */
function brand(read: Getter, value: unknown): unknown {
  try {
    return read(value);
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
 * The intrinsic byte length of `data` when it is a genuine, attached, non-empty
 * `Uint8Array` of the intrinsic class (the case {@linkcode plainBytes} hands back as
 * it is), else -1. The fast paths' test: no user code runs (a Proxy is no view, so
 * its traps are never reached), and the FFI may take `data` itself with this length.
 */
export function plainLength(data: unknown): number {
  // %TypedArray%.prototype[@@toStringTag] is undefined for anything but a typed
  // array, without throwing and without reaching a Proxy's traps: the spec's own
  // brand check. Past it, `data` is a genuine typed array, whose prototype is read
  // from its own slot. A detached buffer reads as length 0: the slow path tells.
  if (typedArrayTag(data) !== "Uint8Array" || getPrototypeOf(data) !== plainPrototype) return -1;
  const length = typedArrayByteLength(data) as number;
  return length === 0 ? -1 : length;
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
    // A genuine Uint8Array of the intrinsic class goes to the FFI as it is: the
    // FFI reads its internal slots, and its own properties, if it has any, are
    // never read.
    if (plainLength(data) > 0) return data as Uint8Array;
    const tag = typedArrayTag(data);
    const typed = tag !== undefined;
    const buffer = (typed ? typedArrayBuffer : dataViewBuffer)(data) as ArrayBufferLike;
    // DataView's getters throw on a detached buffer; %TypedArray%'s give 0.
    let offset: number, length: number;
    try {
      offset = (typed ? typedArrayByteOffset : dataViewByteOffset)(data) as number;
      length = (typed ? typedArrayByteLength : dataViewByteLength)(data) as number;
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
  return typedArrayByteLength(view) as number;
}

/**
 * The bytes of `view` from `start` to its end, as a new plain `Uint8Array` (what
 * `view.subarray(start)` gives, without consulting `Symbol.species`).
 *
 * @throws {ValueError} The buffer has been detached since `view` was made.
 */
export function bytesFrom(view: Uint8Array, start: number): Uint8Array {
  const buffer = typedArrayBuffer(view) as ArrayBufferLike;
  const offset = typedArrayByteOffset(view) as number;
  const length = typedArrayByteLength(view) as number;
  const begin = Math.min(Math.max(start, 0), length);
  return window(buffer, offset + begin, length - begin);
}

/**
 * Whether the kernel may write into `view`'s memory: false only when its buffer is
 * an immutable `ArrayBuffer` (CPython's writable-buffer request,
 * `PyObject_GetBuffer` with `PyBUF_WRITABLE`, fails for `bytes` the same way).
 * Read through the intrinsic getters, never through the object.
 */
export function isWritable(view: Uint8Array): boolean {
  if (arrayBufferImmutable === undefined) return true;
  return brand(arrayBufferImmutable, typedArrayBuffer(view)) !== true;
}
