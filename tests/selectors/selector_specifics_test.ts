/**
 * CPython selectors semantics that belong to one class (Lib/selectors.py): each
 * selector's timeout conversion, SelectSelector's and the poll-like selectors' modify
 * quirks, closed fds at register and select, the rollbacks of EpollSelector, and use
 * after close where CPython keeps the fd sets or the poll object. Each expectation was
 * checked against python3.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe, write } from "../../os/mod.ts";
import {
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  KeyError,
  OSError,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import { type Factory, SELECTORS, withCleanup } from "../_kit/selectors.ts";
import { POSIX_FDS } from "../_kit/platform.ts";
import { messageOf, withPipeAndCleanup } from "./_semantics_kit.ts";

const POLL_LIKE: [string, Factory][] = SELECTORS
  .filter(([name]) => name === "PollSelector" || name === "EpollSelector")
  .map(([name, make]) => [name, make]);

describe("SelectSelector specifics", () => {
  it("accepts any fd at register; select() raises EBADF or the FD_SETSIZE ValueError", {
    skip: POSIX_FDS,
  }, () => {
    const [r, w] = pipe();
    close(r);
    close(w);
    const s = new SelectSelector();
    try {
      s.register(r, EVENT_READ);
      assert.throws(() => s.select(0), (e: unknown) => e instanceof OSError && e.code === "EBADF");
      s.unregister(r);
      s.register(5000, EVENT_READ);
      assert.deepEqual(messageOf(() => s.select(0)), [
        "ValueError",
        "filedescriptor out of range in select()",
      ]);
    } finally {
      s.close();
    }
  });

  it("modify with invalid events unregisters first and loses the key", () =>
    withPipeAndCleanup((r, _w, defer) => {
      const s = new SelectSelector();
      defer(() => s.close());
      s.register(r, EVENT_READ);
      assert.deepEqual(messageOf(() => s.modify(r, 0)), ["ValueError", "Invalid events: 0"]);
      assert.throws(() => s.getKey(r), KeyError);
    }));

  it(
    "still registers and selects after close (CPython keeps its fd sets)",
    { skip: POSIX_FDS },
    () =>
      withPipeAndCleanup((r, w, defer) => {
        const s = new SelectSelector();
        defer(() => s.close());
        s.close();
        const key = s.register(w, EVENT_WRITE);
        assert.deepEqual(s.select(0), [[key, EVENT_WRITE]]);
        void r;
      }),
  );

  it("converts the timeout as max(timeout, 0)", () => {
    const s = new SelectSelector();
    try {
      const sel = (t: unknown) => messageOf(() => s.select(t as number));
      assert.deepEqual(sel("x"), [
        "TypeError",
        "'>' not supported between instances of 'int' and 'str'",
      ]);
      assert.deepEqual(sel(Infinity), ["RangeError", "timestamp out of range for platform time_t"]);
      assert.deepEqual(sel(NaN), ["ValueError", "Invalid value NaN (not a number)"]);
      assert.deepEqual(sel(1e12), ["RangeError", "timestamp too large to convert to C PyTime_t"]);
      assert.deepEqual(s.select(-0), []);
      assert.deepEqual(s.select(-5), []);
    } finally {
      s.close();
    }
  });
});

for (const [name, make] of POLL_LIKE) {
  describe(`${name} specifics`, () => {
    it("modify does not validate events: 0 and 7 are stored, HUP then gives (key, 0)", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [r, w] = pipe();
        defer(() => close(r));
        s.register(r, EVENT_READ);
        const zero = s.modify(r, 0);
        assert.equal(zero.events, 0);
        close(w);
        assert.deepEqual(s.select(0), [[zero, 0]]);
        const seven = s.modify(r, 7);
        assert.equal(seven.events, 7);
        assert.deepEqual(s.select(0), [[seven, EVENT_READ | EVENT_WRITE]]);
        assert.deepEqual(messageOf(() => s.modify(r, 1.5)), [
          "TypeError",
          "unsupported operand type(s) for &: 'float' and 'int'",
        ]);
      }));

    it("converts the timeout as ceil(timeout * 1e3), with math.ceil's errors", () => {
      const s = make();
      try {
        const sel = (t: unknown) => messageOf(() => s.select(t as number));
        assert.deepEqual(sel("x"), [
          "TypeError",
          "'<=' not supported between instances of 'str' and 'int'",
        ]);
        assert.deepEqual(sel(Infinity), ["RangeError", "cannot convert float infinity to integer"]);
        assert.deepEqual(sel(NaN), ["ValueError", "cannot convert float NaN to integer"]);
        assert.deepEqual(sel(1e7), ["RangeError", "timeout is too large"]);
        const huge = s instanceof EpollSelector
          ? "timestamp out of range for platform time_t"
          : "timestamp too large to convert to C PyTime_t";
        assert.deepEqual(sel(1e12), ["RangeError", huge]);
        assert.deepEqual(sel(1e15), ["RangeError", huge]);
        assert.deepEqual(s.select(-1), []);
      } finally {
        s.close();
      }
    });

    it(
      "waits at least a sub-millisecond timeout's whole millisecond",
      { skip: POSIX_FDS },
      () =>
        withPipeAndCleanup((r, _w, defer) => {
          const s = make();
          defer(() => s.close());
          s.register(r, EVENT_READ);
          const t = performance.now();
          assert.deepEqual(s.select(0.0001), []);
          // rounded up to 1 ms, never down to a poll
          assert.ok(performance.now() - t >= 0.9);
        }),
    );
  });
}

describe("PollSelector specifics", () => {
  it("accepts a closed fd and reports it (POLLNVAL) as ready, masked by the key", () => {
    const [r, w] = pipe();
    close(r);
    close(w);
    const s = new PollSelector();
    try {
      const key = s.register(r, EVENT_READ);
      assert.deepEqual(s.select(0), [[key, EVENT_READ]]);
    } finally {
      s.close();
    }
  });
});

if (process.platform === "linux") {
  describe("EpollSelector specifics", () => {
    it("rolls back a register of a closed fd (EBADF): the map stays empty", () => {
      // The selector first: its epoll fd would otherwise take the closed number.
      const s = new EpollSelector();
      const [r, w] = pipe();
      close(r);
      close(w);
      try {
        assert.throws(
          () => s.register(r, EVENT_READ),
          (e: unknown) => e instanceof OSError && e.code === "EBADF",
        );
        assert.equal(s.getMap().size, 0);
        assert.throws(() => s.getKey(r), KeyError);
      } finally {
        s.close();
      }
    });

    it("drops the key when epoll_ctl(MOD) fails for real (fd closed since)", () => {
      const [r, w] = pipe();
      const s = new EpollSelector();
      try {
        s.register(r, EVENT_READ);
        close(r);
        assert.throws(
          () => s.modify(r, EVENT_WRITE),
          (e: unknown) => e instanceof OSError && e.code === "EBADF",
        );
        assert.equal(s.getMap().size, 0);
      } finally {
        s.close();
        close(w);
      }
    });

    it("after close: register/select/fileno raise ValueError, register rolls back", () =>
      withPipeAndCleanup((r, _w) => {
        const s = new EpollSelector();
        s.close();
        const closed = ["ValueError", "I/O operation on closed epoll object"];
        assert.deepEqual(messageOf(() => s.register(r, EVENT_READ)), closed);
        assert.equal(s.getMap().size, 0);
        assert.deepEqual(messageOf(() => s.select(0)), closed);
        assert.deepEqual(messageOf(() => s.fileno()), closed);
        s.close();
      }));

    it("sizes maxevents by the number of keys: every ready fd comes back at once", () =>
      withCleanup((defer) => {
        const s = new EpollSelector();
        defer(() => s.close());
        for (let i = 0; i < 1100; i++) {
          const [r, w] = pipe();
          defer(() => close(r), () => close(w));
          s.register(w, EVENT_WRITE);
        }
        assert.equal(s.select(0).length, 1100);
      }));
  });
}

describe("PollSelector after close", () => {
  it("still registers and selects (CPython keeps the poll object)", () =>
    withPipeAndCleanup((_r, w, defer) => {
      const s = new PollSelector();
      defer(() => s.close());
      s.close();
      const key = s.register(w, EVENT_WRITE);
      assert.deepEqual(s.select(0), [[key, EVENT_WRITE]]);
      write(w, new Uint8Array([1]));
    }));
});
