/**
 * What CPython does when an object that owns an fd is collected without `close()`:
 * it closes the fd, and for a socket first warns `ResourceWarning: unclosed
 * <socket.socket fd=3, …>` (`Modules/socketmodule.c` `sock_finalize`); an epoll or
 * kqueue object is closed without a word (`Modules/selectmodule.c`
 * `pyepoll_dealloc`, `kqueue_queue_dealloc`), and a selector is closed through the
 * epoll or kqueue object it holds (`Lib/selectors.py` has no finalizer of its own).
 * Without this, ported code that drops sockets in a loop runs out of fds (EMFILE)
 * where CPython does not.
 *
 * An owner registers its fd once, when it gets it, and unregisters in `close()`
 * (and `detach()`) before the fd is released, so that a finalizer never closes an
 * fd number that its owner already gave back and the kernel may have reused.
 *
 * @module
 */
import { libc } from "../ffi/libc.ts";

/** What the finalizer keeps: never the owner itself, or it would never be collected. */
interface Held {
  readonly fd: number;
  /** CPython's `repr` of the owner, computed from its fd; absent: close silently. */
  readonly describe: ((fd: number) => string) | undefined;
}

interface WarningProcess {
  emitWarning?: (message: string, type: string) => void;
}

/**
 * A Python warning of `category` (`"ResourceWarning"`, `"RuntimeWarning"`), as
 * CPython prints it; through `process.emitWarning` where there is one.
 */
export function pyWarn(message: string, category: string): void {
  const process = (globalThis as { process?: WarningProcess }).process;
  if (typeof process?.emitWarning === "function") {
    process.emitWarning(message, category);
  } else {
    console.warn(`${category}: ${message}`);
  }
}

/**
 * How many fds the finalizer has closed since the module loaded. The tests' fd-leak
 * checks read it: an fd of an object an earlier test dropped may be closed by the
 * collector at any moment, which is this module working, not a test closing an fd.
 */
export const finalized: { count: number } = { count: 0 };

function finalize(held: Held): void {
  finalized.count++;
  try {
    // Described before closing: a socket's repr reads its address from the fd.
    if (held.describe !== undefined) {
      pyWarn(`unclosed ${held.describe(held.fd)}`, "ResourceWarning");
    }
  } finally {
    // As CPython's finalizers: the result of close(2) is not reported.
    libc().close(held.fd);
  }
}

const registry = new FinalizationRegistry<Held>(finalize);

/**
 * Closes `fd` when `owner` is collected while still open, warning first with
 * `describe(fd)` when given (sockets). Call once, when `owner` takes the fd.
 */
export function closeOnCollection(
  owner: object,
  fd: number,
  describe?: (fd: number) => string,
): void {
  registry.register(owner, { fd, describe }, owner);
}

/**
 * Cancels {@linkcode closeOnCollection}: `owner` has closed its fd or given it
 * away. Call before the fd is released.
 */
export function closedByOwner(owner: object): void {
  registry.unregister(owner);
}
