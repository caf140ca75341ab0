/**
 * PEP 475 with real signals (CPython's Lib/test/_test_eintr.py SelectEINTRTest, and
 * the retry loops of Modules/selectmodule.c `select_select_impl`,
 * `select_poll_poll_impl`, `select_epoll_poll_impl`): a child process sends SIGWINCH
 * to the JS thread while select, poll or epoll blocks on an empty pipe. The call must
 * retry with the time left, so it lasts its full timeout, no less and not much more,
 * and returns nothing. Every test asserts its premise: the signals reached the process
 * and a wait really came back with EINTR (or, for a read the kernel may restart, the
 * thread was blocked in it when signalled); see tests/_kit/eintr.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { libc, toNfds } from "../../ffi/libc.ts";
import { close, pipe, read } from "../../os/mod.ts";
import { epoll, EPOLLIN, poll, POLLIN, select } from "../../select/mod.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { spawnShell } from "../_kit/child.ts";
import { sleep } from "../_kit/time.ts";
import {
  assertKeptDeadline,
  canSignal,
  interrupted,
  signaller,
  useSignalTarget,
} from "../_kit/eintr.ts";
import { countEintr, type Premise } from "../_kit/eintr_evidence.ts";
import { EINTR } from "../_kit/js_thread.ts";

describe("EINTR: blocking waits keep their deadline (PEP 475)", {
  skip: process.platform === "win32",
}, () => {
  const target = useSignalTarget(37);
  /** The select-module waits, and the libc calls they come back from. */
  const SELECT = { waits: ["select"], counted: ["select"] } as const;
  const POLL = { waits: ["poll"], counted: ["poll"] } as const;
  const EPOLL = { waits: ["epoll"], counted: ["epoll_wait"] } as const;
  /** read(2) is restartable: with SA_RESTART the kernel retries it, so the premise is that
   * the thread was blocked in read when the signal came. */
  const READ = { waits: ["read"], counted: ["read"], blockedSuffices: true } as const;
  /**
   * A test body run where the JS thread can be signalled (and, for `premise`, where its
   * state can be read), under the fd leak check.
   */
  const signalled =
    (body: () => void | Promise<void>, premise?: Premise) =>
    async (t: { skip(message?: string): void }) => {
      if (!canSignal(target, t, premise)) return;
      await leakFree(body)();
    };

  it("premise: the signal interrupts a raw poll(2) of the JS thread with EINTR", async (t) => {
    if (!canSignal(target, t)) return;
    const c = libc();
    const child = signaller(target.tid);
    const start = performance.now();
    const n = c.poll(null, toNfds(0), 2000);
    const errno = c.errno();
    const elapsed = performance.now() - start;
    assert.equal(await child.exited, 0);
    assert.equal(n, -1, `poll returned ${n} after ${elapsed} ms: no EINTR`);
    assert.equal(errno, EINTR);
    assert.ok(elapsed < 1500);
  });

  it(
    "select([r], [], [], 1.0)",
    signalled(() =>
      withPipe(async (r) => {
        const outcome = await interrupted(target, () => select([r], [], [], 1.0), SELECT);
        assertKeptDeadline(outcome, 1000);
        assert.deepEqual(outcome.result, [[], [], []]);
      })
    ),
  );

  it(
    "select([], [], [], 1.0) with no fds at all",
    signalled(async () => {
      const outcome = await interrupted(target, () => select([], [], [], 1.0), SELECT);
      assertKeptDeadline(outcome, 1000);
      assert.deepEqual(outcome.result, [[], [], []]);
    }),
  );

  it(
    "poll().poll(1000)",
    signalled(() =>
      withPipe(async (r) => {
        const p = poll();
        p.register(r, POLLIN);
        const outcome = await interrupted(target, () => p.poll(1000), POLL);
        assertKeptDeadline(outcome, 1000);
        assert.deepEqual(outcome.result, []);
      })
    ),
  );

  it(
    "epoll().poll(1.0)",
    { skip: process.platform !== "linux" },
    signalled(() =>
      withPipe(async (r) => {
        using ep = epoll();
        ep.register(r, EPOLLIN);
        for (const maxevents of [-1, 1]) {
          const outcome = await interrupted(target, () => ep.poll(1.0, maxevents), EPOLL);
          assertKeptDeadline(outcome, 1000);
          assert.deepEqual(outcome.result, []);
        }
      })
    ),
  );

  it(
    "an infinite wait stays infinite: poll(-1) returns only when data comes",
    signalled(() =>
      withPipe(async (r, w) => {
        const p = poll();
        p.register(r, POLLIN);
        const child = signaller(target.tid, { count: 2, then: "sleep 0.3; echo x", stdoutFd: w });
        const outcome = await interrupted(target, () => p.poll(-1), POLL, child);
        assert.deepEqual(outcome.result, [[r, POLLIN]]);
        assert.ok(outcome.elapsed >= 600, `returned after ${outcome.elapsed} ms`);
      })
    ),
  );

  it(
    "os.read retries: a signal before the data does not end a blocking read",
    signalled(() =>
      withPipe(async (r, w) => {
        const child = signaller(target.tid, { count: 1, then: "sleep 0.2; echo x", stdoutFd: w });
        const outcome = await interrupted(target, () => read(r, 10), READ, child);
        assert.ok(outcome.result instanceof Uint8Array, String(outcome.result));
        assert.equal(new TextDecoder().decode(outcome.result), "x\n");
        assert.ok(outcome.elapsed >= 300, `returned after ${outcome.elapsed} ms`);
      }), READ),
  );

  it(
    "under a storm of signals, short waits still last their timeout and return nothing",
    signalled(() =>
      withPipe(async (r) => {
        // Timeouts below the syscall's unit are rounded up, so a signal landing between
        // the deadline and the kernel's own timeout takes the "deadline passed" path
        // (Modules/selectmodule.c `select_select_impl`: an expired deadline after
        // EINTR ends the wait with nothing ready); a storm makes that likely on every call. It also overflows the runtime's signal
        // queue (Node's holds 4,096), which may then drop the SIGCHLD of the storm's
        // own end: its stdout closing is what says it is gone.
        const p = poll();
        p.register(r, POLLIN);
        using ep = epoll();
        ep.register(r, EPOLLIN);
        const [stormOut, stormIn] = pipe();
        const storm = spawnShell(
          `i=0; while [ $i -lt 200000 ] && kill -WINCH ${target.tid}; do i=$((i+1)); done`,
          stormIn,
        );
        close(stormIn);
        const spy = countEintr("select", "poll", "epoll_wait");
        try {
          const calls: [string, () => unknown, unknown, number][] = [
            ["select(0.0005)", () => select([r], [], [], 0.0005), [[], [], []], 0.5],
            ["poll(0.5)", () => p.poll(0.5), [], 0.5],
            ["poll(3)", () => p.poll(3), [], 3],
            ["epoll(0.0005)", () => ep.poll(0.0005), [], 0.5],
          ];
          for (let round = 0; round < 50; round++) {
            for (const [name, call, empty, leastMs] of calls) {
              const start = performance.now();
              assert.deepEqual(call(), empty, name);
              const elapsed = performance.now() - start;
              assert.ok(elapsed >= leastMs * 0.98, `${name} returned after ${elapsed} ms`);
            }
          }
          // The premise: the storm did interrupt these waits.
          assert.ok(spy.count() > 0, "no wait came back with EINTR during the storm");
        } finally {
          spy.restore();
          storm.process.kill();
          assert.deepEqual(select([stormOut], [], [], 10), [[stormOut], [], []]);
          close(stormOut);
          // Once the queue has drained, the next child's SIGCHLD makes the runtime
          // reap the storm too, should it have dropped the storm's own.
          await sleep(50);
          await spawnShell("true").exited;
          await storm.exited;
        }
      })
    ),
  );
});
