/**
 * The fast path of `select()` and of `SelectSelector.select`: one `select(2)` with a
 * zero timeout (or none) over lists of plain fds, the `fd_set` bitmaps filled and read
 * as 32-bit words. Anything unusual (an object with `fileno()`, an fd out of range, a
 * list too long, a failed call) makes it decline, and the caller takes the full path
 * of `select.ts`, which makes CPython's checks in CPython's order
 * (`Modules/selectmodule.c` `select_select_impl`, `seq2set`). Declining happens before
 * anything a caller could observe: no `fileno()` is called and no result is built.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { FD_SETSIZE, newFdSet, newTimeval, writeTime } from "../ffi/structs.ts";

/**
 * The three `fd_set`s of the last fast call, as the kernel left them: fd `n` is
 * ready when bit `n & 31` of word `n >> 5` is set (all targets are little-endian,
 * so this is `FD_ISSET`'s byte and bit).
 */
export const readySets: { r: Int32Array; w: Int32Array; x: Int32Array } = {
  r: new Int32Array(newFdSet().buffer),
  w: new Int32Array(newFdSet().buffer),
  x: new Int32Array(newFdSet().buffer),
};
const bytes = {
  r: new Uint8Array(readySets.r.buffer),
  w: new Uint8Array(readySets.w.buffer),
  x: new Uint8Array(readySets.x.buffer),
};
const zeroTimeval = new Uint8Array(newTimeval().buffer);
writeTime(new Int32Array(zeroTimeval.buffer), 0, 0);

/** Whether `fd_set` is a bitmap here (Winsock's is a count and an array of handles). */
const BITMAP_SETS = (abi.os as string) !== "windows";

/** The result of {@linkcode selectNow} that means "take the full path". */
export const DECLINED = -1;

/**
 * The highest fd of `items` after checking them all, or -2 when one is not an int
 * fd in `[0, FD_SETSIZE)` or there are more than `FD_SETSIZE` items.
 */
function scan(items: ArrayLike<unknown> | ReadonlySet<number>): number {
  let max = -1;
  if (items instanceof Set) {
    if (items.size > FD_SETSIZE) return -2;
    for (const fd of items) {
      if (!(fd >= 0 && fd < FD_SETSIZE)) return -2;
      if (fd > max) max = fd;
    }
    return max;
  }
  const list = items as ArrayLike<unknown>;
  const length = list.length;
  if (length > FD_SETSIZE) return -2;
  for (let i = 0; i < length; i++) {
    const fd = list[i];
    // Integers only: a float, a bool or an object goes the full way (fildes()).
    if (typeof fd !== "number" || !(fd >= 0 && fd < FD_SETSIZE) || (fd | 0) !== fd) return -2;
    if (fd > max) max = fd;
  }
  return max;
}

/** Clears words `[0, words)` of `set` and sets the bits of `items` (all checked). */
function fill(
  set: Int32Array,
  words: number,
  items: ArrayLike<unknown> | ReadonlySet<number>,
): void {
  for (let i = 0; i < words; i++) set[i] = 0;
  if (items instanceof Set) {
    for (const fd of items) set[fd >> 5]! |= 1 << (fd & 31);
    return;
  }
  const list = items as ArrayLike<number>;
  for (let i = 0; i < list.length; i++) {
    const fd = list[i]!;
    set[fd >> 5]! |= 1 << (fd & 31);
  }
}

/**
 * One `select(2)` over three lists of plain fds (arrays, or the `Set`s of a
 * selector), waiting `block ? forever : 0`. An empty list passes `NULL`, as the
 * full path does.
 *
 * @returns The kernel's count (the ready bits are in {@linkcode readySets}), or
 *   {@linkcode DECLINED} when the lists need the full path or the call failed.
 */
export function selectNow(
  rlist: ArrayLike<unknown> | ReadonlySet<number>,
  wlist: ArrayLike<unknown> | ReadonlySet<number>,
  xlist: ArrayLike<unknown> | ReadonlySet<number>,
  block: boolean,
): number {
  if (!BITMAP_SETS) return DECLINED;
  const rMax = scan(rlist);
  if (rMax === -2) return DECLINED;
  const wMax = scan(wlist);
  if (wMax === -2) return DECLINED;
  const xMax = scan(xlist);
  if (xMax === -2) return DECLINED;
  const maxFd = Math.max(rMax, wMax, xMax);
  const words = (maxFd >> 5) + 1;
  // A list with no fd passes NULL (scan gives -1 for it).
  if (rMax >= 0) fill(readySets.r, words, rlist);
  if (wMax >= 0) fill(readySets.w, words, wlist);
  if (xMax >= 0) fill(readySets.x, words, xlist);
  const n = libc().select(
    maxFd + 1,
    rMax >= 0 ? bytes.r : null,
    wMax >= 0 ? bytes.w : null,
    xMax >= 0 ? bytes.x : null,
    block ? null : zeroTimeval,
  );
  return n < 0 ? DECLINED : n;
}

/**
 * The items of `list` (plain fds, as {@linkcode selectNow} checked) whose bit is set
 * in `set`, in list order, duplicates kept: `select()`'s result for one list.
 */
export function readyItems<T>(list: ArrayLike<T>, set: Int32Array): T[] {
  const result: T[] = [];
  for (let i = 0; i < list.length; i++) {
    const fd = list[i] as number;
    if (set[fd >> 5]! & (1 << (fd & 31))) result.push(list[i]!);
  }
  return result;
}

/**
 * Whether `fd` is ready in `set`.
 *
 * @param set One of {@linkcode readySets}.
 * @param fd A plain fd below `FD_SETSIZE`.
 */
export function isSet(set: Int32Array, fd: number): boolean {
  return (set[fd >> 5]! & (1 << (fd & 31))) !== 0;
}
