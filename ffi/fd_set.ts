/**
 * Winsock's `fd_set`: not a bitmap but a counted list of handles,
 * `{u_int fd_count; SOCKET fd_array[FD_SETSIZE]}` (`winsock2.h`), with
 * `fd_array` at offset 8 on 64-bit Windows. `select()` rewrites it in place to
 * the ready handles. The Unix bitmap is `select/select.ts`'s own.
 *
 * @module
 */
import { abi } from "./abi.ts";

const FD_ARRAY_WORD = (abi.winsock?.fdArrayOffset ?? 8) >> 2;

/** A fresh Winsock `fd_set` of `FD_SETSIZE` handles. */
export function newHandleSet(): Uint32Array {
  return new Uint32Array(FD_ARRAY_WORD + 2 * abi.fdSetSize);
}

/**
 * Writes `count` handles from `fds`, each once: `winsock2.h`'s `FD_SET` skips a
 * handle already in the set, so a duplicate in a Python list is one entry.
 */
export function fillHandleSet(set: Uint32Array, fds: Int32Array, count: number): void {
  seen.clear();
  let n = 0;
  for (let i = 0; i < count; i++) {
    const fd = fds[i]!;
    if (seen.has(fd)) continue;
    seen.add(fd);
    // A handle value fits in 32 bits (ffi/abi/windows.ts): the high word is 0.
    set[FD_ARRAY_WORD + 2 * n] = fd;
    set[FD_ARRAY_WORD + 2 * n + 1] = 0;
    n++;
  }
  set[0] = n;
}

const seen = new Set<number>();

/** The handles `select()` left in `set`: the ready ones. */
export function readyHandles(set: Uint32Array): Set<number> {
  const ready = new Set<number>();
  const n = set[0]!;
  for (let i = 0; i < n; i++) ready.add(set[FD_ARRAY_WORD + 2 * i]! | 0);
  return ready;
}
