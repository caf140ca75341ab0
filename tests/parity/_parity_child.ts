/**
 * The iomux half of tests/parity/parity_test.ts, run as its own process (under strace when
 * it is there): every timeout of {@linkcode TIMEOUTS} is passed to select, poll and
 * epoll with a ready fd, so no call blocks, and each outcome is printed as JSON.
 * The same table, written as Python literals, drives CPython in the other half.
 *
 * @module
 */
import { close, pipe } from "../../os/mod.ts";
import { epoll, EPOLLOUT, poll, POLLOUT, select } from "../../select/mod.ts";

/** Timeouts per call, in each call's unit. Booleans are left out: JS has no bool int. */
export const TIMEOUTS: Readonly<Record<"select" | "poll" | "epoll", readonly unknown[]>> = {
  select: [
    null,
    0,
    -0,
    1e-10,
    1e-7,
    0.0000015,
    1e-6,
    0.5,
    1,
    2.5,
    1.0000001,
    999999.9999995,
    9223372036,
    9223372036.854775,
    -1e-10,
    -1,
    NaN,
    Infinity,
    -Infinity,
    1e300,
    9223372037,
    2n ** 63n,
    10n,
    "x",
    [],
  ],
  poll: [
    null,
    0,
    -0,
    0.1,
    0.5,
    1.2,
    20.2,
    1000.0001,
    -1e-100,
    -0.1,
    -1,
    -1000,
    2 ** 31 - 1,
    2147483646.5,
    2147483647.5,
    2 ** 31,
    -(2 ** 31),
    -2147483648.5,
    -(2 ** 31) - 1,
    9223372036854,
    9223372036855,
    1e300,
    NaN,
    -Infinity,
    5n,
    "x",
    {},
  ],
  epoll: [
    null,
    0,
    -0,
    -0.0009,
    -1e-10,
    -0.001,
    -0.5,
    -1,
    0.0001,
    0.0011,
    1.5,
    1.0000001,
    2147483.647,
    2147483.6471,
    -2147483.648,
    -2147483.6481,
    2147484,
    9223372036,
    9223372037,
    NaN,
    Infinity,
    3n,
    "x",
  ],
};

/** `[exception class name, message]`, or `"ok"`. */
export type Outcome = "ok" | [string, string];

function outcome(call: () => unknown): Outcome {
  try {
    call();
    return "ok";
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
}

if (import.meta.main) {
  const [r, w] = pipe();
  const p = poll();
  p.register(w, POLLOUT);
  const ep = epoll();
  ep.register(w, EPOLLOUT);
  // deno-lint-ignore no-explicit-any
  const t = (x: unknown) => x as any;
  const results = {
    fd: w,
    epfd: ep.fileno(),
    select: TIMEOUTS.select.map((x) => outcome(() => select([], [w], [], t(x)))),
    poll: TIMEOUTS.poll.map((x) => outcome(() => p.poll(t(x)))),
    epoll: TIMEOUTS.epoll.map((x) => outcome(() => ep.poll(t(x)))),
  };
  ep.close();
  close(r);
  close(w);
  console.log(JSON.stringify(results));
}
