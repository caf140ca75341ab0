/**
 * The address of an iomux-made block, for structs that hold pointers (`argv`, a
 * `msghdr`'s `iovec`s): learnt from libc itself, since `strtol` on a string with no
 * digits stores its own `nptr` in `*endptr`, which works the same under every FFI
 * backend. The block must be a fresh `ArrayBuffer`'s bytes (the engines never move
 * that memory), start with a NUL (where `strtol` stops), and stay referenced until
 * the calls that use the pointers have returned.
 *
 * @module
 */
import { libc } from "./libc.ts";

const cell = new BigUint64Array(1);

/** The address of `block[0]`; `block[0]` must be 0. */
export function addressOf(block: Uint8Array): bigint {
  libc().strtol(block, cell, 10);
  return cell[0]!;
}
