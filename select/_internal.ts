/**
 * Hooks that `selectors/` uses to read `Poll`/`Epoll` results without building
 * `[fd, events]` pairs: the selector maps each ready fd to its key as the kernel's
 * buffer is read, so `select()` allocates nothing but its own result. Not exported
 * from any entry point.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
export { EPOLL_DATA_WORD, EPOLL_EVENT_WORDS } from "../ffi/structs.ts";

/** Receives one ready fd and its event bits. */
export type EventSink = (fd: number, events: number) => void;

/**
 * Key of the method `Poll` and `Epoll` expose to selectors: poll exactly as
 * `poll()` does (same checks, rounding, EINTR retry) and hand each ready fd to a
 * sink instead of returning pairs.
 */
export const pollInto: unique symbol = Symbol("iomux.pollInto");

/**
 * Whether this is Windows, where `select()` takes sockets only and reports a failed
 * `connect` as exceptional (`Lib/selectors.py` `SelectSelector._select` on win32).
 * Selectors read the platform here rather than from `ffi/`.
 */
export const WINDOWS: boolean = abi.os === "windows";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the thread for `ms` milliseconds (`Infinity`: for good). For the waits
 * Winsock refuses with WSAEINVAL where Unix sleeps: `select` with three empty sets,
 * `WSAPoll` with no fds.
 */
export function sleepFor(ms: number): 0 {
  Atomics.wait(sleeper, 0, 0, ms);
  return 0;
}

/**
 * Key of the fast wait of `Poll` and `Epoll`: one system call with a timeout of 0
 * (poll) or -1 (block) and no other check. It returns the kernel's count, or a
 * negative number whenever anything is unusual (closed object, concurrent call,
 * `EINTR`, any error): the caller then takes the full path, which makes every
 * check and raises what CPython raises. The results stay in the primitive's
 * buffer ({@linkcode readyBuffer}) until its next wait.
 */
export const waitNow: unique symbol = Symbol("iomux.waitNow");

/**
 * Key of the buffer the last wait filled: `Epoll` gives its `epoll_event` words
 * (`EPOLL_EVENT_WORDS` per event, the fd at `EPOLL_DATA_WORD`), `Poll` its
 * `struct pollfd` records and their count.
 */
export const readyBuffer: unique symbol = Symbol("iomux.readyBuffer");

/**
 * How often each fast path answered and how often it handed over to the full path,
 * since the module loaded: what tests read to prove that each path is taken (a
 * count, never a time). One increment per call.
 */
export const fastPaths = {
  /** `Epoll.poll(0 | null)` answered by the fast wait. */
  epollPoll: 0,
  /** `Epoll.poll` handed to the full path after a negative fast wait. */
  epollPollFallback: 0,
  /** `Poll.poll(0 | null)` answered by the fast wait. */
  pollPoll: 0,
  /** `Poll.poll` handed to the full path after a negative fast wait. */
  pollPollFallback: 0,
  /** `select(…, 0 | null)` answered by the fast path. */
  select: 0,
  /** `select()` handed to the full path (an unusual argument or a negative return). */
  selectFallback: 0,
  /** A selector's `select(timeout <= 0 | null)` answered by the fast path. */
  selector: 0,
  /** A selector's `select` handed to the full path after a negative fast wait. */
  selectorFallback: 0,
};
