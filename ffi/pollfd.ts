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

const { size, fd: fdOffset, fdBytes, events: eventsOffset, revents: reventsOffset } = abi.pollfd;

/** `sizeof(struct pollfd)` on this platform. */
export const POLLFD_SIZE: number = size;

// Strides and offsets in 32-bit words (for fd) and 16-bit halves (for the masks).
const WORDS = size >> 2;
const FD_WORD = fdOffset >> 2;
const HALVES = size >> 1;
const EVENTS_HALF = eventsOffset >> 1;
const REVENTS_HALF = reventsOffset >> 1;
const WIDE_FD = fdBytes === 8;

/**
 * A fixed-capacity array of `struct pollfd`, the memory `poll(2)` reads and
 * writes. Sized from its capacity alone; `bytes` is what the call gets.
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
export class Pollfds {
  /** The records, `capacity * POLLFD_SIZE` bytes, for `poll(2)`. */
  readonly bytes: Uint8Array;
  /** How many records fit. */
  readonly capacity: number;
  readonly #words: Int32Array;
  readonly #halves: Uint16Array;

  /**
   * Makes `capacity` zeroed records.
   *
   * @param capacity A non-negative integer.
   */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.bytes = new Uint8Array(capacity * size);
    this.#words = new Int32Array(this.bytes.buffer);
    this.#halves = new Uint16Array(this.bytes.buffer);
  }

  /**
   * Fills record `i`: `fd`, the `events` mask, `revents` cleared.
   *
   * @param i The record, below `capacity`.
   * @param fd The fd (a negative fd is ignored by `poll(2)`).
   * @param events `POLL*` bits, 0–65535.
   */
  set(i: number, fd: number, events: number): void {
    const w = i * WORDS + FD_WORD;
    this.#words[w] = fd;
    if (WIDE_FD) this.#words[w + 1] = fd < 0 ? -1 : 0;
    this.#halves[i * HALVES + EVENTS_HALF] = events;
    this.#halves[i * HALVES + REVENTS_HALF] = 0;
  }

  /**
   * The fd of record `i`.
   *
   * @param i The record, below `capacity`.
   * @returns The fd as written by {@linkcode Pollfds.set}.
   */
  fd(i: number): number {
    return this.#words[i * WORDS + FD_WORD]!;
  }

  /**
   * The `revents` the kernel wrote into record `i`.
   *
   * @param i The record, below `capacity`.
   * @returns `POLL*` bits, 0 when nothing happened.
   */
  revents(i: number): number {
    return this.#halves[i * HALVES + REVENTS_HALF]!;
  }
}
