/**
 * PEP 475 with real signals (CPython's _test_eintr.py SelectEINTRTest, and reference
 * §0.1.3): a child process sends SIGWINCH to this process while select, poll or
 * epoll blocks on an empty pipe. The call must retry with the time left, so it
 * lasts its full timeout, no less and not much more, and returns nothing.
 *
 * SIGWINCH because its default action is to ignore it, so a late one harms nothing:
 * SIGUSR1 starts the inspector of Deno and Node, and under `node --test` (Node 26)
 * SIGUSR2 wrote a diagnostic report per signal. A JS listener must be installed, or
 * the ignored signal interrupts nothing; the runtime's C handler interrupts the
 * system call, the JS listener runs later.
 *
 * The signal is aimed at the thread that runs JS. Under `deno test` that is not the
 * process's main thread, and a signal sent to the pid interrupts the main thread
 * only (measured: 3 EINTR in 800 short polls, against 8,445 in 10,478 when aimed at
 * the JS thread). `kill(tid)` still makes a process-wide signal but the kernel offers
 * it to that thread first. The thread is found as the one blocked in a poll() with a
 * marker timeout, read from /proc/<pid>/task/<tid>/syscall by a child; where that is
 * not readable the pid is used and the premise test says whether EINTR happened.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { libc, toNfds } from "../../ffi/libc.ts";
import { close, pipe, read } from "../../os/mod.ts";
import { epoll, EPOLLIN, poll, POLLIN, select } from "../../select/mod.ts";
import { type Child, leakFree, sleep, spawnShell, withPipe } from "../_kit/select.ts";
import { findJsThread } from "../_kit/js_thread.ts";

const EINTR = 4;
const MARKER_MS = 1234;
let target = process.pid;
/** Whether the JS thread was seen and is the main thread (Node, `deno run`). */
let mainThreadRunsJs = false;
let threadSeen = false;
let delivered = 0;
const onSignal = () => {
  delivered++;
};

/** A child that sends SIGWINCH to the JS thread at 0.2, 0.4 and 0.6 s. */
function signaller(): Child {
  return spawnShell(
    `sleep 0.2; kill -WINCH ${target}; sleep 0.2; kill -WINCH ${target}; ` +
      `sleep 0.2; kill -WINCH ${target}`,
  );
}

/**
 * Runs a blocking call of `timeoutMs` under three signals and checks the PEP 475
 * contract. A call that restarted with its whole timeout after each signal would
 * last 1.6 s, so the upper bound (1.5 s) tells the two apart.
 */
async function underSignals(call: () => unknown, timeoutMs: number): Promise<unknown> {
  const before = delivered;
  const child = signaller();
  const start = performance.now();
  const result = call();
  const elapsed = performance.now() - start;
  assert.equal(await child.exited, 0);
  await sleep(20); // let the runtime hand the signals to the listener
  assert.ok(delivered > before, "no signal reached the process");
  assert.ok(elapsed >= timeoutMs - 5, `returned early, after ${elapsed} ms`);
  assert.ok(elapsed < timeoutMs + 500, `deadline extended: ${elapsed} ms`);
  return result;
}

describe("EINTR: blocking waits keep their deadline (PEP 475)", {
  skip: process.platform === "win32",
}, () => {
  before(async () => {
    process.on("SIGWINCH", onSignal);
    const tid = await findJsThread(MARKER_MS);
    threadSeen = tid !== null;
    target = tid ?? process.pid;
    mainThreadRunsJs = target === process.pid && threadSeen;
  });
  after(() => {
    process.off("SIGWINCH", onSignal);
  });

  it("premise: the signal interrupts a raw poll(2) of the JS thread with EINTR", async (t) => {
    const c = libc();
    const child = signaller();
    const start = performance.now();
    const n = c.poll(null, toNfds(0), 2000);
    const errno = c.errno();
    const elapsed = performance.now() - start;
    assert.equal(await child.exited, 0);
    if (n !== -1 && target === process.pid && !mainThreadRunsJs) {
      // Without /proc access to find the JS thread the signal went to another one;
      // the timing tests below still hold, but they cannot show the retry.
      t.skip("the JS thread could not be found, and the pid's signals miss it");
      return;
    }
    assert.equal(n, -1, `poll returned ${n} after ${elapsed} ms: no EINTR`);
    assert.equal(errno, EINTR);
    assert.ok(elapsed < 1500);
  });

  it(
    "select([r], [], [], 1.0)",
    leakFree(() =>
      withPipe(async (r) => {
        const result = await underSignals(() => select([r], [], [], 1.0), 1000);
        assert.deepEqual(result, [[], [], []]);
      })
    ),
  );

  it(
    "select([], [], [], 1.0) with no fds at all",
    leakFree(async () => {
      const result = await underSignals(() => select([], [], [], 1.0), 1000);
      assert.deepEqual(result, [[], [], []]);
    }),
  );

  it(
    "poll().poll(1000)",
    leakFree(() =>
      withPipe(async (r) => {
        const p = poll();
        p.register(r, POLLIN);
        assert.deepEqual(await underSignals(() => p.poll(1000), 1000), []);
      })
    ),
  );

  it(
    "epoll().poll(1.0)",
    { skip: process.platform !== "linux" },
    leakFree(() =>
      withPipe(async (r) => {
        using ep = epoll();
        ep.register(r, EPOLLIN);
        assert.deepEqual(await underSignals(() => ep.poll(1.0), 1000), []);
        assert.deepEqual(await underSignals(() => ep.poll(1.0, 1), 1000), []);
      })
    ),
  );

  it(
    "an infinite wait stays infinite: poll(-1) returns only when data comes",
    leakFree(() =>
      withPipe(async (r, w) => {
        const p = poll();
        p.register(r, POLLIN);
        const child = spawnShell(
          `sleep 0.2; kill -WINCH ${target}; sleep 0.2; kill -WINCH ${target}; sleep 0.3; echo x`,
          w,
        );
        const start = performance.now();
        const ready = p.poll(-1);
        const elapsed = performance.now() - start;
        assert.deepEqual(ready, [[r, POLLIN]]);
        assert.ok(elapsed >= 600, `returned after ${elapsed} ms`);
        assert.equal(await child.exited, 0);
      })
    ),
  );

  it(
    "os.read retries: a signal before the data does not end a blocking read",
    leakFree(() =>
      withPipe(async (r, w) => {
        const child = spawnShell(`sleep 0.2; kill -WINCH ${target}; sleep 0.2; echo x`, w);
        const start = performance.now();
        const data = read(r, 10);
        const elapsed = performance.now() - start;
        assert.equal(new TextDecoder().decode(data), "x\n");
        assert.ok(elapsed >= 300, `returned after ${elapsed} ms`);
        assert.equal(await child.exited, 0);
      })
    ),
  );

  it(
    "under a storm of signals, short waits still last their timeout and return nothing",
    leakFree(() =>
      withPipe(async (r) => {
        // Timeouts below the syscall's unit are rounded up, so a signal landing between
        // the deadline and the kernel's own timeout takes the "deadline passed" path
        // (reference §0.1.3); a storm makes that likely on every call. It also
        // overflows the runtime's signal queue (Node's holds 4,096), which may then
        // drop the SIGCHLD of the storm's own end: its stdout closing is what says
        // it is gone.
        const p = poll();
        p.register(r, POLLIN);
        using ep = epoll();
        ep.register(r, EPOLLIN);
        const [stormOut, stormIn] = pipe();
        const storm = spawnShell(
          `i=0; while [ $i -lt 200000 ] && kill -WINCH ${target}; do i=$((i+1)); done`,
          stormIn,
        );
        close(stormIn);
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
        } finally {
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
