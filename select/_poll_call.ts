/**
 * `poll(2)` as the PEP 475 loop drives it, and what makes Winsock's `WSAPoll`
 * answer as `poll(2)` does: the `events` bits it accepts, an empty set that sleeps,
 * a closed socket's `POLLNVAL` reported as a result. Separate from `poll.ts`, which
 * keeps the registration table and CPython's argument checks
 * (`Modules/selectmodule.c` `select_poll_poll_impl`): nothing here checks an
 * argument or raises but the kernel's error.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc, type Nfds, toNfds } from "../ffi/libc.ts";
import type { Pollfds } from "../ffi/pollfd.ts";
import { MillisecondWait } from "../_py/wait_loop.ts";
import { sleepFor, WINDOWS } from "./_internal.ts";

/** `poll(2)` over a registration table's buffer, as the wait loop drives it. */
export class PollCall extends MillisecondWait {
  pollfds: Uint8Array = new Uint8Array(0);
  nfds: Nfds = toNfds(0);

  /** The symbol, called as a plain function: 10–20 ns cheaper than a method call on `libc()`. */
  readonly #poll = libc().poll;

  /** The records behind {@linkcode PollCall.pollfds}, for Windows' WSAENOTSOCK case. */
  table: Pollfds | null = null;

  attempt(): number {
    const poll = this.#poll;
    if (WINDOWS) return this.#attemptOnWindows();
    return poll(this.pollfds, this.nfds, this.ms);
  }

  /**
   * `WSAPoll` made to answer as `poll(2)`: with no fds it fails with WSAEINVAL, so
   * sleep instead; on a closed socket it fails with WSAENOTSOCK yet sets `POLLNVAL`
   * in that entry's `revents`, which `poll(2)` reports as a result.
   */
  #attemptOnWindows(): number {
    if (this.nfds === 0) return sleepFor(this.ms < 0 ? Infinity : this.ms);
    const n = this.#poll(this.pollfds, this.nfds, this.ms);
    const table = this.table;
    if (n >= 0 || table === null || libc().errno() !== abi.winsock!.WSAENOTSOCK) return n;
    let ready = 0;
    for (let i = 0; i < (this.nfds as number); i++) if (table.revents(i) !== 0) ready++;
    return ready > 0 ? ready : n;
  }
}

/**
 * The `events` bits `WSAPoll` accepts (`abi.winsock.pollEvents`): any other fails the
 * whole call with WSAEINVAL. Unix `poll(2)` ignores bits it cannot report.
 */
export const WSAPOLL_EVENTS: number = abi.winsock?.pollEvents ?? ~0;
