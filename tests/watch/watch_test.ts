import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { before, describe, it } from "node:test";
import {
  addReader,
  addWriter,
  EVENT_READ,
  EVENT_WRITE,
  removeReader,
  removeWriter,
  ValueError,
  watch,
} from "../../watch/mod.ts";
import { hubState } from "../../watch/_hub.ts";
import { close, OSError, pipe } from "../../os/mod.ts";
import { leakFree } from "../_kit/fds.ts";
import { readFrom, setNonBlocking, withPair, withPairs, writeTo } from "../_kit/pairs.ts";
import { deferred, hubIdle, nextRound } from "./_watch_kit.ts";
import { notOnWindows } from "../_kit/platform.ts";

const ONE = new Uint8Array([1]);

function runFixture(mode: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_watch_fixture${ext}`, import.meta.url));
  const args = "Deno" in globalThis ? ["run", "--allow-ffi", path, mode] : [path, mode];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("watch", () => {
  // The shared waiting thread keeps its own fds once it has run; open them first.
  before(nextRound);

  it(
    "calls back with the ready events, on the JS thread",
    {
      skip: notOnWindows(
        "a socket's read end is writable too; the case needs a pipe's, which is not",
      ),
    },
    leakFree(async () => {
      await withPair(async (r, w) => {
        const got = deferred<number>();
        using watcher = watch(r, EVENT_READ | EVENT_WRITE, (events) => got.resolve(events));
        assert.equal(watcher.fd, r);
        assert.equal(watcher.events, EVENT_READ | EVENT_WRITE);
        writeTo(w, ONE);
        assert.equal(await got.promise, EVENT_READ);
      });
      await hubIdle();
    }),
  );

  it("is level-triggered: an undrained fd is reported again, a drained one is not", async () => {
    await withPair(async (r, w) => {
      let calls = 0;
      let drained = deferred<void>();
      using _ = watch(r, EVENT_READ, () => {
        if (++calls === 3) {
          readFrom(r, 10);
          drained.resolve();
        }
      });
      writeTo(w, ONE);
      await drained.promise;
      assert.equal(calls, 3);
      await nextRound();
      await nextRound();
      assert.equal(calls, 3, "called again after the fd was drained");
      drained = deferred();
      calls = 2;
      writeTo(w, ONE);
      await drained.promise;
    });
  });

  it(
    "delivers each readiness of many fds to its own watcher, once",
    leakFree(async () => {
      await withPairs(200, async (pipes) => {
        const got = new Map<number, number[]>();
        const all = deferred<void>();
        const watchers = pipes.map(([r], i) => {
          setNonBlocking(r);
          return watch(r, EVENT_READ, () => {
            const bytes = readFrom(r, 100);
            assert.ok(bytes.length > 0, `watcher ${i} called with nothing to read`);
            const list = got.get(i) ?? [];
            list.push(...bytes);
            got.set(i, list);
            if (got.size === pipes.length && [...got.values()].every((l) => l.length === 2)) {
              all.resolve();
            }
          });
        });
        pipes.forEach(([, w], i) => writeTo(w, new Uint8Array([i & 0xff])));
        await nextRound();
        pipes.forEach(([, w], i) => writeTo(w, new Uint8Array([(i + 1) & 0xff])));
        await all.promise;
        for (const [i, bytes] of got) assert.deepEqual(bytes, [i & 0xff, (i + 1) & 0xff]);
        for (const watcher of watchers) watcher.close();
        assert.equal(hubState().fds, 0);
      });
      await hubIdle();
    }),
  );

  it("calls every watcher of one fd", async () => {
    await withPair(async (r, w) => {
      const first = deferred<number>();
      const second = deferred<number>();
      using a = watch(r, EVENT_READ, (e) => first.resolve(e));
      using b = watch({ fileno: () => r }, EVENT_READ, (e) => second.resolve(e));
      writeTo(w, ONE);
      assert.deepEqual(await Promise.all([first.promise, second.promise]), [1, 1]);
      a.close();
      assert.equal(b.closed, false);
    });
  });

  it("modify() changes what is watched; close() stops the callbacks", async () => {
    await withPair(async (r, w) => {
      let calls = 0;
      const writable = deferred<number>();
      const watcher = watch(w, EVENT_READ, (events) => {
        calls++;
        writable.resolve(events);
      });
      await nextRound();
      assert.equal(calls, 0, "a pipe's write end is never readable");
      watcher.modify(EVENT_WRITE);
      assert.equal(watcher.events, EVENT_WRITE);
      assert.equal(await writable.promise, EVENT_WRITE);
      watcher.close();
      watcher.close();
      const after = calls;
      await nextRound();
      assert.equal(calls, after);
      assert.equal(watcher.closed, true);
      assert.throws(() => watcher.modify(EVENT_READ), ValueError);
      void r;
    });
  });

  it("an AbortSignal closes the watcher; an aborted one refuses to start", async () => {
    await withPair(async (r, w) => {
      const controller = new AbortController();
      let calls = 0;
      const watcher = watch(r, EVENT_READ, () => calls++, { signal: controller.signal });
      controller.abort();
      assert.equal(watcher.closed, true);
      writeTo(w, ONE);
      await nextRound();
      assert.equal(calls, 0);
      assert.throws(
        () => watch(r, EVENT_READ, () => {}, { signal: controller.signal }),
        { name: "AbortError" },
      );
    });
  });

  it("refuses bad events and negative fds as selectors do", async () => {
    await withPair((r) => {
      for (const events of [0, 4, -1, 1.5, "1"]) {
        assert.throws(() => watch(r, events as number, () => {}), {
          name: "ValueError",
          message: `Invalid events: ${String(events)}`,
        });
      }
      assert.throws(() => watch(-1, EVENT_READ, () => {}), ValueError);
    });
  });

  it("refuses a closed fd with the EBADF its registration gets", {
    skip: notOnWindows("Windows select() learns of a closed socket only when it waits"),
  }, async () => {
    await withPair((keep) => {
      // A live watcher first, so that the hub's own fds are open before `r` is closed
      // (else the next fd opened could take `r`'s number).
      using _ = watch(keep, EVENT_READ, () => {});
      const [r, w] = pipe();
      close(r);
      close(w);
      assert.throws(
        () => watch(r, EVENT_READ, () => {}),
        (e) => e instanceof OSError && e.code === "EBADF",
      );
      assert.equal(hubState().fds, 1);
    });
  });

  it("an unref'd watcher still delivers, every time, while something else keeps the process alive", async () => {
    await withPair(async (r, w) => {
      let got = deferred<number>();
      using watcher = watch(r, EVENT_READ, (e) => {
        readFrom(r, 10);
        got.resolve(e);
      }, { ref: false });
      assert.equal(watcher.hasRef(), false);
      assert.equal(hubState().refs, 0);
      // A source whose wait can be unref'd keeps it pending: delivery is immediate,
      // not at the next tick of the unref'd poll timer.
      assert.equal(hubState().waiting, hubState().canUnref);
      // Only a far timer keeps the process alive: nothing else wakes the loop, so an
      // event held back until the loop wakes for something else comes late.
      const keepAlive = setTimeout(() => {}, 60_000);
      try {
        for (let i = 0; i < 3; i++) {
          got = deferred();
          writeTo(w, ONE);
          let late: ReturnType<typeof setTimeout> | undefined;
          const outcome = await Promise.race([
            got.promise,
            new Promise<string>((resolve) => late = setTimeout(() => resolve("late"), 10_000)),
          ]);
          clearTimeout(late);
          assert.equal(outcome, EVENT_READ, `event ${i}`);
        }
      } finally {
        clearTimeout(keepAlive);
      }
    });
  });

  it("unref() lets the process exit with watchers pending", async () => {
    const unref = await runFixture("unref");
    assert.deepEqual([unref.code, unref.stdout], [0, ""], unref.stderr);
    // A source whose wait can be unref'd delivers to unref'd watchers at once (within
    // the first loop iterations after the write: one for uv_poll through node:ffi, two
    // for koffi's), not on the unref'd timer's next tick.
    const now = await runFixture("unref-now");
    assert.equal(now.code, 0, now.stderr);
    const { canUnref, loop, fired, rounds } = JSON.parse(now.stdout);
    // A source that can unref delivers with no ref'd watcher (the selector source's
    // 10 ms timer would, too, but only later); a loop source within 3 iterations.
    if (canUnref) assert.ok(fired, now.stdout);
    if (loop) assert.ok(rounds <= 3, now.stdout);
    // The premise: a ref'd watcher does keep it alive (only its callback ends it).
    const ref = await runFixture("ref");
    assert.deepEqual([ref.code, ref.stdout.trim()], [0, "fired"], ref.stderr);
    const reref = await runFixture("reref");
    assert.deepEqual([reref.code, reref.stdout.trim()], [0, "fired"], reref.stderr);
  });

  it("a callback that leaves its fd ready runs again without starving timers or the exit", async () => {
    const spin = await runFixture("spin");
    assert.deepEqual([spin.code, spin.stdout.trim()], [0, "called again"], spin.stderr);
    await withPair(async (r, w) => {
      let calls = 0;
      let ticks = 0;
      const watcher = watch(r, EVENT_READ, () => void calls++);
      try {
        writeTo(w, new Uint8Array([1]));
        // Timers keep running while the callback is called again and again: were the
        // rounds a loop of microtasks, this interval would never tick.
        await new Promise<void>((resolve) => {
          const interval = setInterval(() => {
            if (++ticks === 5) {
              clearInterval(interval);
              resolve();
            }
          }, 1);
        });
        assert.ok(calls >= 2, `called ${calls} times`);
      } finally {
        watcher.close();
      }
    });
  });

  it("reports a callback's error as an uncaught error", async () => {
    const result = await runFixture("throw");
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /callback failed on purpose/);
  });
});

describe("addReader / addWriter", () => {
  it(
    "one reader per fd: adding again replaces it",
    leakFree(async () => {
      await withPair(async (r, w) => {
        const calls: string[] = [];
        const second = deferred<void>();
        addReader(r, () => calls.push("first"));
        addReader(r, () => {
          calls.push("second");
          readFrom(r, 10);
          second.resolve();
        });
        writeTo(w, ONE);
        await second.promise;
        assert.deepEqual(calls, ["second"]);
        assert.equal(removeReader(r), true);
        assert.equal(removeReader(r), false);
        assert.equal(hubState().fds, 0);
      });
      await hubIdle();
    }),
  );

  it("a reader and a writer on one fd are separate", async () => {
    await withPair(async (r, w) => {
      const writable = deferred<void>();
      addWriter(w, () => writable.resolve());
      addReader(w, () => assert.fail("a write end is never readable"));
      await writable.promise;
      assert.equal(removeWriter(w), true);
      assert.equal(removeWriter(w), false);
      assert.equal(removeReader(w), true);
      void r;
    });
  });
});
