/**
 * Encoders for the C structs iomux hands to the kernel, laid out from this
 * platform's ABI table. All targets iomux supports are little-endian.
 *
 * @module
 */
import { abi } from "./abi.ts";

/** `FD_SETSIZE`: the first fd that `select(2)` cannot watch. */
export const FD_SETSIZE: number = abi.fdSetSize;

/** A fresh, zeroed `fd_set`. */
export function newFdSet(): Uint8Array {
  return new Uint8Array(abi.fdSetSize >> 3);
}

/** A fresh `struct timeval`, viewed as 32-bit words. */
export function newTimeval(): Int32Array {
  return new Int32Array(abi.timeval.size >> 2);
}

/**
 * Writes a non-negative `{tv_sec, tv_usec}` (or `{tv_sec, tv_nsec}`). `sec` may be
 * any integer below 2^53; the 64-bit `time_t` is written as two 32-bit halves so
 * that no BigInt is made on the hot path.
 */
export function writeTime(words: Int32Array, sec: number, fraction: number): void {
  if (words.length === 2) {
    // Windows' timeval is two 32-bit longs; callers check that `sec` fits.
    words[0] = sec;
    words[1] = fraction;
    return;
  }
  words[0] = sec % 0x1_0000_0000;
  words[1] = Math.floor(sec / 0x1_0000_0000);
  words[2] = fraction;
  words[3] = 0;
}

/** `sizeof(struct pollfd)` here; the records themselves are `Pollfds` (`pollfd.ts`). */
export { POLLFD_SIZE } from "./pollfd.ts";

/** `sizeof(struct epoll_event)` here (12 on x86_64, 16 on aarch64), or 0. */
export const EPOLL_EVENT_SIZE: number = abi.epollEvent?.size ?? 0;

/**
 * Index of `data`'s low 32 bits in a `Uint32Array` over an `epoll_event` array,
 * relative to the event's first word (1 on x86_64, 2 on aarch64).
 */
export const EPOLL_DATA_WORD: number = (abi.epollEvent?.dataOffset ?? 8) >> 2;

/** Words per `epoll_event` in a `Uint32Array` view. */
export const EPOLL_EVENT_WORDS: number = EPOLL_EVENT_SIZE >> 2;
