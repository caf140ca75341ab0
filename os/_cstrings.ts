/**
 * NULL-terminated arrays of C strings (`char *const argv[]`), built in one
 * iomux-allocated block whose pointers point into itself.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { addressOf } from "../ffi/address.ts";

const encoder = new TextEncoder();

/** `argv`/`envp` ready for a call: each a view of one block that must stay alive. */
export interface CStringArrays {
  /** The block: keep a reference until the call has returned. */
  readonly block: Uint8Array;
  /** One `char *[]` per input list, each NULL-terminated. */
  readonly arrays: readonly Uint8Array[];
}

/** Encodes `text` with a NUL, refusing an embedded one as CPython does. */
export function cString(text: string): Uint8Array {
  if (text.includes("\0")) throw new ValueError("embedded null byte");
  return encoder.encode(text + "\0");
}

/**
 * Lays `lists` out as pointer arrays followed by their strings, in one block whose
 * address comes from `ffi/address.ts`.
 */
export function cStringArrays(lists: readonly (readonly string[])[]): CStringArrays {
  const encoded = lists.map((list) => list.map(cString));
  const pointerSlots = encoded.reduce((n, list) => n + list.length + 1, 0);
  // Byte 0 is a NUL for strtol to stop at; the pointers start 8-aligned after it.
  const stringsAt = 8 + pointerSlots * 8;
  const size = encoded.flat().reduce((n, s) => n + s.byteLength, stringsAt);
  const block = new Uint8Array(new ArrayBuffer(size));
  const base = addressOf(block);
  const pointers = new BigUint64Array(block.buffer, 8, pointerSlots);
  const arrays: Uint8Array[] = [];
  let slot = 0;
  let at = stringsAt;
  for (const list of encoded) {
    arrays.push(block.subarray(8 + slot * 8, 8 + (slot + list.length + 1) * 8));
    for (const s of list) {
      block.set(s, at);
      pointers[slot++] = base + BigInt(at);
      at += s.byteLength;
    }
    pointers[slot++] = 0n;
  }
  return { block, arrays };
}
