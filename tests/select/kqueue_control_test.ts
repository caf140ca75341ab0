/**
 * select.kqueue's control(): its argument, timeout and error rules
 * (Modules/selectmodule.c select_kqueue_control_impl), the events it returns, its
 * waits, and the retry with the time left after a signal (PEP 475).
 * On macOS and FreeBSD this runs against the kernel; on Linux only when
 * IOMUX_KQUEUE_LIB names a libkqueue shared library (otherwise it is skipped).
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  KEvent,
  kevent,
  KQ_EV_ADD,
  KQ_EV_ERROR,
  KQ_FILTER_WRITE,
  kqueue,
  OSError,
} from "../../select/mod.ts";
import { close, pipe } from "../../os/mod.ts";
import { abi } from "../../ffi/abi.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";
import { canSignal, interrupted, signaller, useSignalTarget } from "../_kit/eintr.ts";
import { selectorPremise } from "../_kit/eintr_evidence.ts";

const skip = kqueueUnavailable;
const { EBADF } = abi.errno;

describe("kqueue.control rules (Modules/selectmodule.c select_kqueue_control_impl)", {
  skip,
}, () => {
  const signals = useSignalTarget(47);

  it("checks arity, maxevents and the closed state in CPython's order", () => {
    using kq = kqueue();
    const loose = kq as unknown as { control(...args: unknown[]): KEvent[] };
    assert.throws(() => loose.control(null), {
      message: "control expected at least 2 arguments, got 1",
    });
    assert.throws(() => loose.control(null, 1, 0, 4), {
      message: "control expected at most 3 arguments, got 4",
    });
    assert.throws(() => loose.control(null, "1"), {
      name: "TypeError",
      message: "'str' object cannot be interpreted as an integer",
    });
    assert.throws(() => kq.control(null, 2 ** 31), RangeError);
    assert.throws(() => kq.control(null, -1), {
      name: "ValueError",
      message: "Length of eventlist must be 0 or positive, got -1",
    });
    const closed = kqueue();
    closed.close();
    assert.throws(() => closed.control(null, -1), {
      message: "I/O operation on closed kqueue object",
    });
  });

  it("rejects negative timeouts and re-words every conversion failure", () => {
    using kq = kqueue();
    for (const bad of [-1, -1e-10, -0.5, -(2 ** 30), -1e-300]) {
      assert.throws(() => kq.control(null, 0, bad), {
        name: "ValueError",
        message: "timeout must be positive or None",
      }, String(bad));
    }
    const cases: [unknown, string][] = [
      ["1", "str"],
      [NaN, "float"],
      [Infinity, "float"],
      [-Infinity, "float"],
      [1e300, "float"],
      [10 ** 10, "int"],
      // Out of int64 nanoseconds, so an OverflowError in CPython, re-worded too.
      [-(2 ** 40), "int"],
      [2n ** 70n, "int"],
      [{}, "dict"],
      [[1], "list"],
      [true, "bool"],
    ];
    for (const [bad, type] of cases) {
      assert.throws(() => kq.control(null, 0, bad as number), {
        name: "TypeError",
        message: `timeout argument must be a number or None, got ${type}`,
      }, String(bad));
    }
    // The timeout is checked before the changelist.
    assert.throws(() => kq.control(5 as unknown as KEvent[], 0, "x" as unknown as number), {
      message: "timeout argument must be a number or None, got str",
    });
    assert.deepEqual(kq.control(null, 0, -0), []);
    assert.deepEqual(kq.control(null, 0, 0), []);
    assert.deepEqual(kq.control(undefined, 1, 0n as unknown as number), []);
  });

  it("rejects changelists that are not iterables of KEvent", () => {
    using kq = kqueue();
    assert.throws(() => kq.control(5 as unknown as KEvent[], 0), {
      name: "TypeError",
      message: "changelist is not iterable",
    });
    for (const bad of [[1], "abc", [kevent(0), null]]) {
      assert.throws(() => kq.control(bad as unknown as KEvent[], 0), {
        name: "TypeError",
        message: "changelist must be an iterable of select.kevent objects",
      });
    }
  });

  it("reports a failed change as EV_ERROR when there is room, else raises", () => {
    // The queue first: its own fds must not take the closed pipe's numbers.
    using kq = kqueue();
    const [r, w] = pipe();
    close(r);
    close(w);
    const [ev, ...rest] = kq.control([kevent(r)], 1, 0);
    assert.deepEqual(rest, []);
    assert.ok(ev instanceof KEvent);
    assert.equal(ev.ident, r);
    assert.equal(ev.flags & KQ_EV_ERROR, KQ_EV_ERROR);
    assert.equal(ev.data, EBADF);
    assert.throws(
      () => kq.control([kevent(r)], 0, 0),
      (e: unknown) => e instanceof OSError && e.errno === EBADF && e.code === "EBADF",
    );
  });

  it("returns new KEvent objects, not the changelist's", () => {
    const [r, w] = pipe();
    try {
      using kq = kqueue();
      const change = kevent(w, KQ_FILTER_WRITE, KQ_EV_ADD, 0, 0, 2n ** 64n - 1n);
      const [ev] = kq.control([change], 1, 1);
      assert.ok(ev instanceof KEvent && ev !== change);
      assert.equal(ev.ident, w);
      assert.equal(ev.filter, KQ_FILTER_WRITE);
      assert.equal(ev.udata, 2n ** 64n - 1n);
      assert.ok(Number(ev.data) > 0);
    } finally {
      close(r);
      close(w);
    }
  });

  it("waits at least the timeout, and maxevents 0 returns at once", () => {
    const [r, w] = pipe();
    try {
      using kq = kqueue();
      kq.control([kevent(r)], 0);
      let start = performance.now();
      assert.deepEqual(kq.control(null, 1, 0.25), []);
      const waited = performance.now() - start;
      assert.ok(waited >= 249 && waited < 5000, `${waited} ms`);
      // kevent ignores the timeout when nevents is 0 (why KqueueSelector asks for 1).
      start = performance.now();
      assert.deepEqual(kq.control(null, 0, 5), []);
      assert.ok(performance.now() - start < 2500);
    } finally {
      close(r);
      close(w);
    }
  });

  it("resumes with the time left when a signal interrupts the wait (PEP 475)", async (t) => {
    // SIGWINCH aimed at the JS thread (tests/_kit/eintr.ts): SIGUSR1 would start the
    // inspector, and the pid's signals miss the JS thread under `deno test`.
    if (!canSignal(signals, t)) return;
    using kq = kqueue();
    const child = signaller(signals.tid, { count: 3, gapMs: 80 });
    const outcome = await interrupted(
      signals,
      () => kq.control(null, 1, 0.3),
      selectorPremise("KqueueSelector"),
      child,
    );
    assert.deepEqual(outcome.result, []);
    assert.ok(outcome.elapsed >= 299 && outcome.elapsed < 5000, `${outcome.elapsed} ms`);
  });
});
