/**
 * The real extent of a caller's bytes, read through the built-in getters
 * (`%TypedArray%.prototype.buffer`/`byteOffset`/`byteLength`, `DataView`'s), never
 * through the view's own properties: a subclass or an own property could claim a
 * larger `length` than the memory behind it, and that length would reach read(2).
 *
 * @module
 */
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;

function getter(prototype: object, name: string): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(prototype, name)!.get! as (this: unknown) => unknown;
}

const typedTag = Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!
  .get! as (this: unknown) => unknown;
const typedBuffer = getter(typedArrayPrototype, "buffer");
const typedOffset = getter(typedArrayPrototype, "byteOffset");
const typedLength = getter(typedArrayPrototype, "byteLength");
const viewBuffer = getter(DataView.prototype, "buffer");
const viewOffset = getter(DataView.prototype, "byteOffset");
const viewLength = getter(DataView.prototype, "byteLength");

/**
 * A plain `Uint8Array` over exactly the memory of `view` (any `ArrayBufferView`).
 * Throws `TypeError` for anything else.
 */
export function bytesView(view: unknown): Uint8Array {
  if (ArrayBuffer.isView(view)) {
    // The built-in tag getter answers undefined for anything but a typed array.
    const isDataView = typedTag.call(view) === undefined;
    const [buffer, offset, length] = isDataView
      ? [viewBuffer.call(view), viewOffset.call(view), viewLength.call(view)]
      : [typedBuffer.call(view), typedOffset.call(view), typedLength.call(view)];
    return new Uint8Array(buffer as ArrayBuffer, offset as number, length as number);
  }
  throw new TypeError(
    `a bytes-like object is required, not '${view === null ? "None" : typeof view}'`,
  );
}
