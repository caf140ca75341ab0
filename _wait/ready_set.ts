/**
 * What the waiting thread blocks on: a set of watched fds kept up to date as waits
 * start and end, and one wake-up fd in it. Three kinds exist: an epoll set on Linux
 * (`epoll_set.ts`, changed in place, so a wake costs the same whatever the number
 * of idle waits), a `poll(2)` array elsewhere (`poll_set.ts`, rebuilt when the set
 * changed), and that array over `WSAPoll` on Windows (`wsapoll_set.ts`).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { FD_IO, openSocketPair, SOCKET_IO } from "./socket_wake.ts";

const { POLLERR, POLLHUP, POLLNVAL } = abi.poll;
const { O_NONBLOCK, O_CLOEXEC, F_GETFL, F_SETFL, F_SETFD, FD_CLOEXEC } = abi.fcntl;

/** Bits `poll(2)` reports whatever the mask asked for. */
export const ALWAYS: number = POLLERR | POLLHUP | POLLNVAL;

/**
 * `(fd, POLL* mask)` pairs, or `(fd, mask, counts)` triples where `counts` are the
 * reported bits that make the owner's own check worth calling (by default the mask
 * and {@linkcode ALWAYS}); a `Map<fd, mask>` is one.
 */
export type Interests = Iterable<
  readonly [fd: number, mask: number] | readonly [fd: number, mask: number, counts: number]
>;

/** One pending wait as a ready set sees it. */
export interface Watch {
  /** The object whose wait this is (a selector, a `Poll`, an `Epoll`). */
  readonly owner: object;
  /** Flat `[fd, mask, counts, fd, mask, counts, …]`. */
  interests: number[];
}

/** What one blocking round found. */
export interface Round {
  readonly ready: Set<Watch>;
  readonly failed: Map<Watch, unknown>;
}

/** The fds a ready set watches for the pending waits, and its blocking round. */
export interface ReadySet {
  /** The set's own fds (the wake-up fd, the epoll fd), for the tests' fd counts. */
  readonly ownFds: readonly number[];
  /**
   * Off-thread calls that came back -1 so far: a signal interrupted them (the errno
   * itself stayed on the worker's thread). Tests read it as the premise that a signal
   * really reached the waiting thread.
   */
  readonly interrupted: number;
  /**
   * Starts watching `watch.interests`. Returns true when one of them counts as
   * ready already (an fd the kernel cannot watch, which `poll(2)` reports at once);
   * throws the `OSError` when the kernel refuses to watch one (nothing of `watch`
   * is watched then).
   */
  add(watch: Watch): boolean;
  /** Stops watching `watch`'s fds. */
  remove(watch: Watch): void;
  /** `owner`'s set changed: nothing kept from its earlier waits may be trusted. */
  forget(owner: object): void;
  /** `owner` is closed: drop what was kept for its waits. */
  drop(owner: object): void;
  /**
   * Blocks off the JS thread for at most `timeout` ms (-1: no limit) until a watched
   * fd or the wake-up fd is ready; returns the watches whose counted bits were seen,
   * and those whose own fds the kernel refused (with the error), which only they see.
   * Throws when the set itself fails.
   */
  round(timeout: number): Promise<Round>;
  /** Ends the pending round early (from the JS thread). */
  wake(): void;
  /** Closes the set's own fds; only while no round is pending. */
  close(): void;
}

/** Flattens `interests` into {@linkcode Watch.interests} form. */
export function flatten(interests: Interests): number[] {
  const flat: number[] = [];
  for (const interest of interests) {
    const mask = interest[1];
    flat.push(interest[0], mask, interest[2] ?? (mask | ALWAYS));
  }
  return flat;
}

/**
 * The wake-up fd: an eventfd (read end = write end) where there is one, else a pipe;
 * on Windows a loopback socket pair (`socket_wake.ts`), read and written with
 * `recv`/`send`.
 */
export interface WakeFd {
  readonly read: number;
  readonly write: number;
  readonly socket?: boolean;
}

function ioOf(fd: WakeFd): typeof FD_IO {
  return fd.socket === true ? SOCKET_IO : FD_IO;
}

const wakeBuffer = new Uint8Array(8);

/** Opens a non-blocking, close-on-exec wake-up fd. */
export function openWake(): WakeFd {
  if (abi.winsock !== undefined) {
    const [read, write] = openSocketPair();
    return { read, write, socket: true };
  }
  const c = libc();
  if (c.eventfd !== null) {
    const fd = c.eventfd(0, O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw lastOsError();
    return { read: fd, write: fd };
  }
  const ends = new Int32Array(2);
  if (c.pipe(ends) < 0) throw lastOsError();
  for (const fd of ends) {
    const flags = c.fcntl(fd, F_GETFL, 0);
    if (
      flags < 0 || c.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
      c.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0
    ) {
      const error = lastOsError();
      c.close(ends[0]!);
      c.close(ends[1]!);
      throw error;
    }
  }
  return { read: ends[0]!, write: ends[1]! };
}

/** Makes the wake-up fd readable. */
export function signalWake(fd: WakeFd): void {
  // eventfd adds 1 to its counter; a pipe gets one byte. Either makes it readable.
  wakeBuffer.fill(0);
  wakeBuffer[0] = 1;
  ioOf(fd).write(fd.write, wakeBuffer, fd.read === fd.write ? 8 : 1);
}

/** Empties the wake-up fd (non-blocking: reads stop at EAGAIN). */
export function drainWake(fd: WakeFd): void {
  const { read } = ioOf(fd);
  while (read(fd.read, wakeBuffer, 8) === 8 && fd.read !== fd.write);
}

/** Closes the wake-up fd. */
export function closeWake(fd: WakeFd): void {
  const { close } = ioOf(fd);
  close(fd.read);
  if (fd.write !== fd.read) close(fd.write);
}
