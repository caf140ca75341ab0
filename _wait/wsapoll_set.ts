/**
 * The Windows ready set: `poll_set.ts`'s array over `WSAPoll`, the wake-up fd a
 * loopback socket pair (`socket_wake.ts`, made by `openWake`). `WSAPoll` differs
 * from `poll(2)` in two ways that matter here:
 *
 * - it refuses the whole array (WSAEINVAL) when one record asks for a bit it does
 *   not take (`POLLPRI`, which `Poll.register`'s default mask holds), so each
 *   record asks only for the bits of `abi.winsock.pollEvents`;
 * - a record whose socket is closed makes the call fail with WSAENOTSOCK, yet its
 *   `revents` holds `POLLNVAL`, which `poll(2)` would have reported as a result;
 *   so the zero-timeout call after each round reads it as one, and the wait whose
 *   owner holds that fd wakes, as on Unix (`select/poll.ts` answers the same way).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc, toNfds } from "../ffi/libc.ts";
import type { Pollfds } from "../ffi/pollfd.ts";
import { PollSet } from "./poll_set.ts";

const { pollEvents, WSAENOTSOCK } = abi.winsock ?? { pollEvents: ~0, WSAENOTSOCK: -1 };

/** A `WSAPoll` array over the pending waits' sockets. */
export class WsaPollSet extends PollSet {
  protected override events(mask: number): number {
    return mask & pollEvents;
  }

  protected override pollNow(pollfds: Pollfds, count: number): number {
    const c = libc();
    const n = c.poll(pollfds.bytes, toNfds(count), 0);
    if (n >= 0 || c.errno() !== WSAENOTSOCK) return n;
    let reported = 0;
    for (let i = 0; i < count; i++) if (pollfds.revents(i) !== 0) reported++;
    return reported > 0 ? reported : n;
  }
}
