/**
 * A bytes-like argument's real memory, read with the engine's own getters, never
 * with properties a subclass or the object itself could redefine.
 *
 * @module
 */

const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const getter = (proto: object, name: string) =>
  Object.getOwnPropertyDescriptor(proto, name)!.get! as (this: unknown) => unknown;
const taBuffer = getter(typedArrayPrototype, "buffer");
const taOffset = getter(typedArrayPrototype, "byteOffset");
const taLength = getter(typedArrayPrototype, "byteLength");
const dvBuffer = getter(DataView.prototype, "buffer");
const dvOffset = getter(DataView.prototype, "byteOffset");
const dvLength = getter(DataView.prototype, "byteLength");
const abLength = getter(ArrayBuffer.prototype, "byteLength");
const abImmutable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "immutable")?.get as
  | ((this: ArrayBuffer) => boolean)
  | undefined;

/** A view of exactly the memory `data` covers, and whether it may be written. */
export interface RawBytes {
  readonly bytes: Uint8Array;
  readonly writable: boolean;
}

/** The memory of a typed array, DataView or ArrayBuffer; `null` for anything else. */
export function rawBytes(data: unknown): RawBytes | null {
  let buffer: ArrayBufferLike;
  let offset = 0;
  let length: number;
  if (ArrayBuffer.isView(data)) {
    const isDataView = data instanceof DataView;
    buffer = (isDataView ? dvBuffer : taBuffer).call(data) as ArrayBufferLike;
    offset = (isDataView ? dvOffset : taOffset).call(data) as number;
    length = (isDataView ? dvLength : taLength).call(data) as number;
  } else if (data instanceof ArrayBuffer) {
    buffer = data;
    length = abLength.call(data) as number;
  } else {
    return null;
  }
  const writable = !(buffer instanceof ArrayBuffer && abImmutable?.call(buffer));
  return { bytes: new Uint8Array(buffer, offset, length), writable };
}
