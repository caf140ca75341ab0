/**
 * Reading memory that libc allocated (the `struct addrinfo` list `getaddrinfo`
 * returns): its address is an integer read out of a pointer-sized cell, and the bytes
 * are copied into a buffer iomux sizes itself, with libc's own `memcpy` and `strlen`.
 * No backend needs a pointer API of its own for it.
 *
 * @module
 */
import { libc } from "./libc.ts";

/** A pointer read from memory: `0n` is NULL. */
export type Address = bigint;

/** The pointer stored at `offset` of `bytes` (little-endian, 64-bit: every supported ABI). */
export function pointerAt(bytes: Uint8Array, offset: number): Address {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(
    offset,
    true,
  );
}

/** A copy of the `length` bytes at `address`. */
export function readBytes(address: Address, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (length > 0) libc().read_memory(out, address, length);
  return out;
}

const decoder = new TextDecoder();

/** The NUL-terminated string at `address`, decoded as UTF-8 (`null` for NULL). */
export function readCString(address: Address): string | null {
  if (address === 0n) return null;
  const length = libc().strlen_at(address);
  return decoder.decode(readBytes(address, length));
}
