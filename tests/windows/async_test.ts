/**
 * Waits beside the event loop on Windows: the shared waiting thread over `WSAPoll`
 * with its loopback socket-pair wake-up (`_wait/wsapoll_set.ts`), behind
 * `Poll.pollAsync` and `selectAsync`, and the watchers and `Waker` on top of it.
 * The POSIX suites in tests/async/ and tests/watch/ make their fds with pipes, which
 * Windows cannot select; these are their cases on loopback sockets. Every wait is
 * ended by a real event (a send, a close, an abort, a timer); elapsed times are
 * asserted as "at least". Runs under scripts/wine.sh; skipped elsewhere.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { poll, POLLNVAL, POLLOUT, POLLRDNORM } from "../../select/mod.ts";
import {
  DefaultSelector,
  EVENT_READ,
  EVENT_WRITE,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import { socketpair } from "../../socket/mod.ts";
import { addReader, removeReader, Waker, watch } from "../../watch/mod.ts";
import { select } from "../../select/mod.ts";
import { openLibrary } from "../../ffi/libc.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { assertIdleTimeout, ticksDuring } from "../_kit/async.ts";
import { eventually } from "../_kit/time.ts";
import { closeSocket, NOT_WINDOWS, refusedConnect, sendBytes, tcpPair } from "./_winsock.ts";

/** Runs `body` with a fresh connected pair `[client, server]`, closed afterwards. */
async function withPair<R>(body: (c: number, s: number) => Promise<R>): Promise<R> {
  const [c, s] = tcpPair();
  try {
    return await body(c, s);
  } finally {
    closeSocket(c);
    closeSocket(s);
  }
}

/** The waiting thread has no wait left and its call has returned. */
async function assertIdle(): Promise<void> {
  const idle = () => waiterState().pending === 0 && !waiterState().calling;
  await eventually(idle);
  assert.ok(idle(), "the waiting thread is idle");
}

describe("Poll.pollAsync on WSAPoll", { skip: NOT_WINDOWS }, () => {
  it("waits beside the event loop until a socket is readable", async () => {
    await withPair(async (c, s) => {
      const p = poll();
      p.register(s, POLLRDNORM);
      setTimeout(() => sendBytes(c), 30);
      const [result, ticks] = await ticksDuring(p.pollAsync());
      assert.deepEqual(result, [[s, POLLRDNORM]]);
      assert.ok(ticks >= 1, "timers fired during the wait");
      assert.equal(waiterState().kind, "poll");
    });
    await assertIdle();
  });

  it("times out in milliseconds, the default mask (with POLLPRI) accepted", async () => {
    await withPair(async (_c, s) => {
      const p = poll();
      p.register(s); // POLLIN | POLLPRI | POLLOUT: WSAPoll refuses POLLPRI, so it is masked
      p.modify(s, POLLRDNORM);
      await assertIdleTimeout(() => p.pollAsync(150), 150);
    });
  });

  it("a socket closed during the wait, still registered, ends it with POLLNVAL", async () => {
    const [c, s] = tcpPair();
    try {
      const p = poll();
      p.register(s, POLLRDNORM);
      setTimeout(() => closeSocket(s), 30);
      assert.deepEqual(await p.pollAsync(5000), [[s, POLLNVAL]]);
    } finally {
      closeSocket(c);
    }
  });

  it("a handle that is not a socket fails no other wait (WSAPoll's WSAENOTSOCK)", async () => {
    await withPair(async (c, s) => {
      const a = poll();
      const b = poll();
      b.register(s, POLLRDNORM);
      const waits = [a.pollAsync(10_000), b.pollAsync(10_000)];
      // The shared WSAPoll then fails for every record; a's POLLNVAL is a's answer alone.
      setTimeout(() => {
        a.register(123_456, POLLRDNORM);
        setTimeout(() => sendBytes(c), 30);
      }, 30);
      const [fromA, fromB] = await Promise.all(waits);
      assert.deepEqual(fromA, [[123_456, POLLNVAL]]);
      assert.deepEqual(fromB, [[s, POLLRDNORM]]);
    });
    await assertIdle();
  });

  it("fifty waits at once each end on their own socket's event", async () => {
    const pairs = Array.from({ length: 50 }, () => tcpPair());
    try {
      const waits = pairs.map(([, s]) => {
        const p = poll();
        p.register(s, POLLRDNORM);
        return p.pollAsync(10_000);
      });
      pairs.forEach(([c], i) => setTimeout(() => sendBytes(c), 5 * (i % 10)));
      const results = await Promise.all(waits);
      results.forEach((result, i) => assert.deepEqual(result, [[pairs[i]![1], POLLRDNORM]]));
    } finally {
      for (const [c, s] of pairs) {
        closeSocket(c);
        closeSocket(s);
      }
    }
    await assertIdle();
  });
});

describe("selectAsync on Windows", { skip: NOT_WINDOWS }, () => {
  const selectors = { SelectSelector, PollSelector, DefaultSelector };
  for (const [name, Selector] of Object.entries(selectors)) {
    describe(name, () => {
      it("resolves when a socket becomes readable", async () => {
        await withPair(async (c, s) => {
          using sel = new Selector();
          sel.register(s, EVENT_READ, "server");
          setTimeout(() => sendBytes(c), 30);
          const ready = await sel.selectAsync(10);
          assert.deepEqual(ready.map(([key, events]) => [key.data, events]), [["server", 1]]);
        });
      });

      it("resolves [] after the timeout, never earlier", async () => {
        await withPair(async (_c, s) => {
          using sel = new Selector();
          sel.register(s, EVENT_READ);
          await assertIdleTimeout(() => sel.selectAsync(0.15), 150);
        });
      });

      it("sees a register made during the wait", async () => {
        await withPair(async (c, s) => {
          using sel = new Selector();
          const [, other] = tcpPair();
          try {
            sel.register(other, EVENT_READ);
            const wait = sel.selectAsync(10);
            sel.register(s, EVENT_READ);
            sendBytes(c);
            const ready = await wait;
            assert.deepEqual(ready.map(([key]) => key.fd), [s]);
          } finally {
            sel.unregister(other);
            closeSocket(other);
          }
        });
      });

      it("ends with [] when the selector is closed during the wait", async () => {
        await withPair(async (_c, s) => {
          const sel = new Selector();
          sel.register(s, EVENT_READ);
          setTimeout(() => sel.close(), 30);
          assert.deepEqual(await sel.selectAsync(10), []);
        });
        await assertIdle();
      });

      it("rejects with the signal's reason on abort", async () => {
        await withPair(async (_c, s) => {
          using sel = new Selector();
          sel.register(s, EVENT_READ);
          const controller = new AbortController();
          const reason = new Error("stop");
          setTimeout(() => controller.abort(reason), 30);
          await assert.rejects(sel.selectAsync(10, { signal: controller.signal }), reason);
        });
        await assertIdle();
      });
    });
  }

  it("a refused connect is reported writable, as select() merges exceptfds", async () => {
    const c = refusedConnect();
    try {
      using sel = new DefaultSelector();
      sel.register(c, EVENT_WRITE);
      const ready = await sel.selectAsync(10);
      assert.deepEqual(ready.map(([key, events]) => [key.fd, events]), [[c, EVENT_WRITE]]);
    } finally {
      closeSocket(c);
    }
  });
});

describe("Waker and watchers on Windows", { skip: NOT_WINDOWS }, () => {
  it("the Waker is a socket pair that select() watches, woken by either wake", async () => {
    using waker = new Waker();
    assert.notEqual(waker.fileno(), waker.wakeFd);
    assert.deepEqual(select([waker], [], [], 0)[0], []);
    waker.wake();
    waker.wake();
    assert.deepEqual(select([waker], [], [], 5)[0], [waker]);
    assert.equal(waker.drain(), true);
    assert.equal(waker.drain(), false);
    using sel = new DefaultSelector();
    sel.register(waker, EVENT_READ);
    setTimeout(() => Waker.wake(waker.wakeFd), 30);
    assert.equal((await sel.selectAsync(10)).length, 1);
    assert.equal(waker.drain(), true);
  });

  it("watch() calls back on readiness until closed; addReader likewise", async () => {
    await withPair(async (c, s) => {
      let calls = 0;
      let resolve!: () => void;
      const fired = new Promise<void>((r) => resolve = r);
      const watcher = watch(s, EVENT_READ, (events) => {
        assert.equal(events, EVENT_READ);
        calls++;
        watcher.close();
        resolve();
      });
      sendBytes(c);
      await fired;
      assert.equal(calls, 1);
      assert.equal(watcher.closed, true);
      const read = new Promise<void>((r) => addReader(c, r));
      sendBytes(s);
      await read;
      assert.equal(removeReader(c), true);
    });
    await assertIdle();
  });
});

describe("Winsock handles are not inherited (as CPython's)", { skip: NOT_WINDOWS }, () => {
  it("socket(), accept() and socketpair() clear HANDLE_FLAG_INHERIT", () => {
    const k32 = openLibrary("kernel32.dll", {
      // BOOL GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
      GetHandleInformation: { parameters: ["size_t", "void *"], result: "int" },
    });
    const flags = (handle: number): number => {
      const out = new Uint32Array(1);
      assert.notEqual(k32.GetHandleInformation(handle, out), 0);
      return out[0]!;
    };
    const [c, s] = tcpPair();
    const [a, b] = socketpair();
    try {
      for (const handle of [c, s, a.fileno(), b.fileno()]) assert.equal(flags(handle) & 1, 0);
    } finally {
      closeSocket(c);
      closeSocket(s);
      a.close();
      b.close();
    }
  });
});

describe("WSAPoll reports what the waiter needs", { skip: NOT_WINDOWS }, () => {
  it("a connected socket is POLLOUT at once", async () => {
    await withPair(async (c) => {
      const p = poll();
      p.register(c, POLLOUT);
      assert.deepEqual(await p.pollAsync(1000), [[c, POLLOUT]]);
    });
  });
});
