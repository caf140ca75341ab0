// Waits beside the event loop: Poll.pollAsync, Epoll.pollAsync and the shared waiting
// thread behind them, on real pipes. Every wait here is ended by a real event (a write,
// a timer, an abort, a close), never by sleeping and hoping; elapsed times are asserted
// as "at least" with generous upper bounds.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { getEventListeners } from "node:events";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import process from "node:process";
import {
  assertAllReleased,
  assertIdleTimeout,
  byte,
  isLinux,
  openFdCount,
  ticksDuring,
} from "../_kit/async.ts";
import { PROMPT_MS, sleep } from "../_kit/time.ts";
import { withPipes } from "../_kit/fds.ts";
import { POLLED_READABLE, readFrom, withPairs, writeTo } from "../_kit/pairs.ts";
import {
  Epoll,
  EPOLLET,
  EPOLLIN,
  poll,
  POLLIN,
  POLLOUT,
  RuntimeError,
  ValueError,
} from "../../select/mod.ts";
import { read, write } from "../../os/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { notOnWindows } from "../_kit/platform.ts";

describe("Poll.pollAsync", () => {
  it("answers at once with what poll(0) answers when something is ready", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      p.register(w, POLLOUT);
      writeTo(w, byte);
      assert.deepEqual(await p.pollAsync(), p.poll(0));
      assert.deepEqual(await p.pollAsync(), [[r, POLLED_READABLE], [w, POLLOUT]]);
    });
  });

  it("timeout 0 polls once", async () => {
    await withPairs(1, async ([[r]]) => {
      const p = poll();
      p.register(r, POLLIN);
      const start = performance.now();
      assert.deepEqual(await p.pollAsync(0), []);
      assert.ok(performance.now() - start < PROMPT_MS);
    });
  });

  it("times out in milliseconds while timers keep firing", async () => {
    await withPairs(1, async ([[r]]) => {
      const p = poll();
      p.register(r, POLLIN);
      await assertIdleTimeout(() => p.pollAsync(150), 150);
    });
  });

  it("resolves when an fd becomes ready during the wait", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      setTimeout(() => writeTo(w, byte), 20);
      const [result, ticks] = await ticksDuring(p.pollAsync());
      assert.deepEqual(result, [[r, POLLED_READABLE]]);
      assert.ok(ticks >= 1);
    });
  });

  it("a loop over an always-ready fd still lets timers run", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      writeTo(w, byte); // never read: every pollAsync answers on the fast path
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      try {
        const until = performance.now() + PROMPT_MS;
        while (ticks < 3 && performance.now() < until) {
          assert.deepEqual(await p.pollAsync(), [[r, POLLED_READABLE]]);
        }
      } finally {
        clearInterval(timer);
      }
      assert.ok(ticks >= 3, `timers ran ${ticks} times in ${PROMPT_MS} ms of fast-path answers`);
    });
  });

  it("a negative timeout waits with no limit", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      setTimeout(() => writeTo(w, byte), 30);
      assert.deepEqual(await p.pollAsync(-1), [[r, POLLED_READABLE]]);
    });
  });

  it("refuses poll() and pollAsync() while a pollAsync is pending", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      const pending = p.pollAsync();
      assert.throws(() => p.poll(0), new RuntimeError("concurrent poll() invocation"));
      await assert.rejects(p.pollAsync(0), new RuntimeError("concurrent poll() invocation"));
      writeTo(w, byte);
      assert.deepEqual(await pending, [[r, POLLED_READABLE]]);
      assert.deepEqual(p.poll(0), [[r, POLLED_READABLE]]);
    });
  });

  it("register during a wait adds the fd to it", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      const pending = p.pollAsync();
      await sleep(20);
      writeTo(w, byte);
      p.register(r, POLLIN);
      assert.deepEqual(await pending, [[r, POLLED_READABLE]]);
    });
  });

  it("modify during a wait changes what it waits for", async () => {
    await withPairs(1, async ([[, w]]) => {
      const p = poll();
      p.register(w, POLLIN); // a pipe's write end (a socket no one writes to) never becomes readable
      const pending = p.pollAsync();
      await sleep(20);
      p.modify(w, POLLOUT);
      assert.deepEqual(await pending, [[w, POLLOUT]]);
    });
  });

  it("unregister during a wait stops watching the fd", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      const start = performance.now();
      const pending = p.pollAsync(200);
      await sleep(20);
      p.unregister(r);
      writeTo(w, byte);
      assert.deepEqual(await pending, []);
      assert.ok(performance.now() - start >= 200);
    });
  });

  it("an abort ends the wait at once with signal.reason", async () => {
    await withPairs(1, async ([[r]]) => {
      const p = poll();
      p.register(r, POLLIN);
      const controller = new AbortController();
      const reason = { why: "shutting down" };
      const start = performance.now();
      setTimeout(() => controller.abort(reason), 20);
      await assert.rejects(p.pollAsync(null, { signal: controller.signal }), (e) => e === reason);
      assert.ok(performance.now() - start < PROMPT_MS);
      assert.deepEqual(p.poll(0), []); // no longer "concurrent"
    });
  });

  it("a long-lived signal keeps no listener once its waits are over", async () => {
    await withPairs(1, async ([[r, w]]) => {
      const p = poll();
      p.register(r, POLLIN);
      const { signal } = new AbortController();
      for (let i = 0; i < 20; i++) {
        setTimeout(() => writeTo(w, byte), 1);
        assert.deepEqual(await p.pollAsync(null, { signal }), [[r, POLLED_READABLE]]);
        readFrom(r, 1);
      }
      assert.equal(getEventListeners(signal, "abort").length, 0);
    });
  });

  it("an already aborted signal rejects without polling", async () => {
    const p = poll();
    p.register(0, POLLIN);
    const signal = AbortSignal.abort(new Error("early"));
    await assert.rejects(p.pollAsync(0, { signal }), new Error("early"));
  });

  it("rejects bad timeouts as poll() throws them", async () => {
    const p = poll();
    await assert.rejects(
      p.pollAsync("1" as unknown as number),
      new TypeError("timeout must be an integer or None"),
    );
    await assert.rejects(p.pollAsync(2 ** 31), RangeError);
  });
});

describe("Epoll.pollAsync", { skip: !isLinux }, () => {
  it("answers at once with what poll(0) answers, within maxevents", async () => {
    await withPipes(3, async (pipes) => {
      using ep = new Epoll();
      for (const [r, w] of pipes) {
        ep.register(r, EPOLLIN);
        write(w, byte);
      }
      assert.equal((await ep.pollAsync(null, 2)).length, 2);
      assert.equal((await ep.pollAsync()).length, 3);
    });
  });

  it("times out in seconds while timers keep firing", async () => {
    await withPipes(1, async ([[r]]) => {
      using ep = new Epoll();
      ep.register(r, EPOLLIN);
      await assertIdleTimeout(() => ep.pollAsync(0.15), 150);
    });
  });

  it("sees registrations made during the wait (the kernel keeps the set)", async () => {
    await withPipes(1, async ([[r, w]]) => {
      using ep = new Epoll();
      const pending = ep.pollAsync();
      await sleep(20);
      write(w, byte);
      ep.register(r, EPOLLIN);
      assert.deepEqual(await pending, [[r, EPOLLIN]]);
    });
  });

  it("edge-triggered: waits for the next edge after the fast path used one", async () => {
    await withPipes(1, async ([[r, w]]) => {
      using ep = new Epoll();
      ep.register(r, EPOLLIN | EPOLLET);
      write(w, byte);
      assert.deepEqual(await ep.pollAsync(), [[r, EPOLLIN]]);
      const start = performance.now();
      assert.deepEqual(await ep.pollAsync(0.05), []);
      assert.ok(performance.now() - start >= 50);
      setTimeout(() => write(w, byte), 20);
      assert.deepEqual(await ep.pollAsync(), [[r, EPOLLIN]]);
      assert.equal(read(r, 10).length, 2);
    });
  });

  it("close() during a wait ends it with []", async () => {
    await withPipes(1, async ([[r]]) => {
      const ep = new Epoll();
      ep.register(r, EPOLLIN);
      const start = performance.now();
      setTimeout(() => ep.close(), 20);
      assert.deepEqual(await ep.pollAsync(), []);
      assert.ok(performance.now() - start < PROMPT_MS);
      assert.equal(ep.closed, true);
      await assert.rejects(ep.pollAsync(), new ValueError("I/O operation on closed epoll object"));
    });
  });

  it("an abort ends the wait with signal.reason", async () => {
    using ep = new Epoll();
    const start = performance.now();
    await assert.rejects(
      ep.pollAsync(null, -1, { signal: AbortSignal.timeout(20) }),
      (e: Error) => e.name === "TimeoutError",
    );
    assert.ok(performance.now() - start < PROMPT_MS);
  });

  it("rejects a bad maxevents as poll() throws it", async () => {
    using ep = new Epoll();
    await assert.rejects(
      ep.pollAsync(0, 0),
      new ValueError("maxevents must be greater than 0, got 0"),
    );
  });
});

describe("the shared waiting thread", () => {
  for (const count of [50, 500]) {
    it(`${count} waits at once leave the runtime's thread pool free`, async () => {
      await withPairs(count, async (pipes) => {
        const waits = pipes.map(([r]) => {
          const p = poll();
          p.register(r, POLLIN);
          return p.pollAsync();
        });
        // The call starts a moment later (Node and Bun start a worker thread first).
        // On Node's main thread the waits are on Node's own loop: no thread of ours.
        await sleep(10);
        const onLoop = waiterState().onLoop;
        let inPoll = await threadsInPoll();
        const until = performance.now() + PROMPT_MS;
        while (inPoll === 0 && !onLoop && performance.now() < until) {
          await sleep(10);
          inPoll = await threadsInPoll();
        }
        if (inPoll !== null) assert.equal(inPoll, onLoop ? 0 : 1);
        assert.ok(waiterState().calling, "the waits are pending");
        // Async file reads run on the same pool as per-wait FFI calls would.
        const source = readFile(fileURLToPath(import.meta.url));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const stuck = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("readFile starved")), 10_000);
        });
        try {
          assert.ok((await Promise.race([source, stuck])).byteLength > 0);
        } finally {
          clearTimeout(timer);
        }
        for (const [, w] of pipes) writeTo(w, byte);
        const results = await Promise.all(waits);
        assert.deepEqual(results, pipes.map(([r]) => [[r, POLLED_READABLE]]));
      });
    });
  }

  it("leaves no fd open and no call pending once the waits are over", async () => {
    const baseline = openFdCount();
    await withPairs(2, async ([[r, w], [r2]]) => {
      const p = poll();
      p.register(r, POLLIN);
      const q = poll();
      q.register(r2, POLLIN);
      const controller = new AbortController();
      const aborted = q.pollAsync(null, { signal: controller.signal });
      setTimeout(() => writeTo(w, byte), 10);
      assert.deepEqual(await p.pollAsync(), [[r, POLLED_READABLE]]);
      controller.abort();
      await assert.rejects(aborted);
    });
    await assertAllReleased(baseline);
  });

  it("does not keep the process alive after close() and abort", {
    skip: notOnWindows(
      "its fixture ends an Epoll's wait (Linux); watch_test's unref case exits there",
    ),
  }, async () => {
    const fixture = new URL(
      `./_exit_fixture${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`,
      import.meta.url,
    );
    const path = fileURLToPath(fixture);
    const args = "Deno" in globalThis ? ["run", "--allow-ffi", path] : [path];
    const start = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, args, { timeout: 60_000 }, (error, out, err) => {
        if (error) reject(new Error(`${error.message}\n${err}`));
        else resolve(out);
      });
    });
    assert.equal(stdout.trim(), '[[],"aborted"]');
    assert.ok(performance.now() - start < 30_000);
  });
});

/**
 * Threads of this process blocked in the waiter's call, from /proc: in epoll_wait(2)
 * on its epoll fd (the first argument in `task/<tid>/syscall`), or in poll(2) where the
 * waiter polls; `null` where that cannot be seen (not Linux, or a kernel that hides
 * wchan).
 */
function threadsInPoll(): Promise<number | null> {
  if (!isLinux) return Promise.resolve(null);
  const { kind, ownFds } = waiterState();
  const file = kind === "epoll" ? "syscall" : "wchan";
  const script = `for f in /proc/${process.pid}/task/*/${file}; do cat "$f"; echo; done`;
  return new Promise((resolve, reject) => {
    execFile("sh", ["-c", script], (error, out) => {
      if (error) reject(error);
      else {
        const lines = out.split("\n").filter((line) => line !== "");
        if (kind === "epoll") {
          const epfd = `0x${ownFds[0]!.toString(16)}`;
          resolve(lines.filter((line) => line.split(" ")[1] === epfd).length);
        } else if (lines.every((line) => line === "0")) resolve(null);
        else resolve(lines.filter((line) => /poll_schedule|do_sys_poll/.test(line)).length);
      }
    });
  });
}
