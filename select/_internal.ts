/**
 * Hooks that `selectors/` uses to read `Poll`/`Epoll` results without building
 * `[fd, events]` pairs: the selector maps each ready fd to its key as the kernel's
 * buffer is read, so `select()` allocates nothing but its own result. Not exported
 * from any entry point.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

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
