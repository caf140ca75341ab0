/**
 * The one `struct pollfd` codec. Its layout (size, the offsets of `fd`, `events`
 * and `revents`, the width of `fd`) comes from the ABI table: 8 bytes with an
 * `int` fd on every POSIX target, 16 bytes with a 64-bit `SOCKET` in Windows'
 * `WSAPOLLFD`. All targets are little-endian, so a wide fd is its low 32 bits
 * followed by the sign word.
 *
 * @module
 */
import { abi } from "./abi.ts";
import type { PollfdLayout } from "./abi/types.ts";

/** `sizeof(struct pollfd)` on this platform. */
export const POLLFD_SIZE: number = abi.pollfd.size;

/** An array of `struct pollfd` records in one layout (see {@linkcode pollfdsFor}). */
export interface Pollfds {
  /** The records, `capacity * size` bytes, for `poll(2)`. */
  readonly bytes: Uint8Array;
  /** How many records fit. */
  readonly capacity: number;
  /** Fills record `i`: `fd`, the `events` mask, `revents` cleared. */
  set(i: number, fd: number, events: number): void;
  /** The fd of record `i`, as written by `set`. */
  fd(i: number): number;
  /** The `revents` the kernel wrote into record `i`: `POLL*` bits, 0 when nothing happened. */
  revents(i: number): number;
}

/** Makes {@linkcode Pollfds} of a given capacity. */
export type PollfdsConstructor = new (capacity: number) => Pollfds;

/**
 * The `Pollfds` class for one layout. Strides and offsets are fixed per class, in
 * 32-bit words for the fd and 16-bit halves for the masks, so that filling and
 * reading records is plain typed-array indexing.
 *
 * @param layout A `struct pollfd` layout from an ABI table.
 * @returns A class whose instances are records of that layout.
 *
 * @example A Windows `WSAPOLLFD` array
 * ```ts
 * import { pollfdsFor } from "./pollfd.ts";
 *
 * const WsaPollfds = pollfdsFor({ size: 16, fd: 0, fdBytes: 8, events: 8, revents: 10 });
 * const set = new WsaPollfds(2);
 * set.set(1, 300, 0x100);
 * console.log(set.bytes.length, set.fd(1)); // 32 300
 * ```
 */
export function pollfdsFor(layout: PollfdLayout): PollfdsConstructor {
  const words = layout.size >> 2;
  const fdWord = layout.fd >> 2;
  const halves = layout.size >> 1;
  const eventsHalf = layout.events >> 1;
  const reventsHalf = layout.revents >> 1;
  const wideFd = layout.fdBytes === 8;
  return class implements Pollfds {
    readonly bytes: Uint8Array;
    readonly capacity: number;
    readonly #words: Int32Array;
    readonly #halves: Uint16Array;

    constructor(capacity: number) {
      this.capacity = capacity;
      this.bytes = new Uint8Array(capacity * layout.size);
      this.#words = new Int32Array(this.bytes.buffer);
      this.#halves = new Uint16Array(this.bytes.buffer);
    }

    set(i: number, fd: number, events: number): void {
      const w = i * words + fdWord;
      this.#words[w] = fd;
      // A 64-bit SOCKET: the low word, then the sign (INVALID_SOCKET is all ones).
      if (wideFd) this.#words[w + 1] = fd < 0 ? -1 : 0;
      this.#halves[i * halves + eventsHalf] = events;
      this.#halves[i * halves + reventsHalf] = 0;
    }

    fd(i: number): number {
      return this.#words[i * words + fdWord]!;
    }

    revents(i: number): number {
      return this.#halves[i * halves + reventsHalf]!;
    }
  };
}

/**
 * `struct pollfd` records in this platform's layout: the memory `poll(2)` reads
 * and writes, sized from the capacity alone; `bytes` is what the call gets.
 *
 * @example Waiting for one fd
 * ```ts
 * import { Pollfds } from "./pollfd.ts";
 * import { libc, toNfds } from "./libc.ts";
 *
 * const set = new Pollfds(1);
 * set.set(0, 1, 0x4); // stdout, POLLOUT
 * libc().poll(set.bytes, toNfds(1), 0);
 * console.log(set.revents(0)); // 4 while stdout is writable
 * ```
 */
export const Pollfds: PollfdsConstructor = pollfdsFor(abi.pollfd);
