/**
 * The watchers' hub at its edges: fds closed and reused under their watchers,
 * switching between ref'd and unref'd waits, callbacks that change the watchers, and
 * what is left once every watcher is closed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { EVENT_READ, EVENT_WRITE, watch } from "../../watch/mod.ts";
import { hubState } from "../../watch/_hub.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { loopSources } from "../../watch/_source_loop.ts";
import { close, pipe } from "../../os/mod.ts";
import { readFrom, withPair, withPairs, writeTo } from "../_kit/pairs.ts";
import { deferred, hubIdle, nextRound } from "./_watch_kit.ts";
import { notOnWindows } from "../_kit/platform.ts";

const ONE = new Uint8Array([1]);

describe("watch, the hub's edges", () => {
  // The shared waiting thread keeps its own fds once it has run; open them first.
  before(nextRound);

  it("an fd closed under its watcher, its number reused, can be watched again", {
    skip: notOnWindows(
      "the premise is POSIX's lowest-free-fd rule, which Windows handles do not keep",
    ),
  }, async () => {
    await withPair(async (keep) => {
      using _ = watch(keep, EVENT_READ, () => {});
      const [r1, w1] = pipe();
      const stale = watch(r1, EVENT_READ, () => assert.fail("the old fd's watcher ran"));
      close(r1);
      close(w1);
      const [r2, w2] = pipe();
      try {
        assert.equal(r2, r1, "premise: the fd number is reused");
        const got = deferred<number>();
        using fresh = watch(r2, EVENT_READ, (events) => {
          readFrom(r2, 10);
          got.resolve(events);
        });
        stale.close();
        writeTo(w2, ONE);
        assert.equal(await got.promise, EVENT_READ);
        assert.equal(fresh.closed, false);
      } finally {
        close(r2);
        close(w2);
      }
    });
  });

  it("switches between the off-thread wait and the unref'd timer without losing events", async () => {
    await withPairs(2, async ([[r1, w1], [r2, w2]]) => {
      const keepAlive = setInterval(() => {}, 1000);
      try {
        const seen: string[] = [];
        let next = deferred<void>();
        const a = watch(r1, EVENT_READ, () => {
          seen.push(`a${readFrom(r1, 10)[0]}`);
          next.resolve();
        });
        const b = watch(r2, EVENT_READ, () => {
          seen.push(`b${readFrom(r2, 10)[0]}`);
          next.resolve();
        }, { ref: false });
        for (let i = 0; i < 6; i++) {
          // Ref'd, unref'd, and back, with an event each time.
          if (i % 2 === 0) a.unref();
          else a.ref();
          next = deferred();
          writeTo(i % 3 === 0 ? w2 : w1, new Uint8Array([i]));
          await next.promise;
        }
        assert.deepEqual(seen, ["b0", "a1", "a2", "b3", "a4", "a5"]);
        a.close();
        b.close();
      } finally {
        clearInterval(keepAlive);
      }
    });
  });

  it("a callback may close or modify any watcher, its own included", {
    skip: notOnWindows(
      "a socket's read end is writable too; the case needs a pipe's, which never is",
    ),
  }, async () => {
    await withPair(async (r, w) => {
      const calls: string[] = [];
      const done = deferred<void>();
      const second = watch(r, EVENT_READ, () => calls.push("second"));
      const first = watch(r, EVENT_READ, () => {
        calls.push("first");
        second.close();
        first.modify(EVENT_WRITE); // a read end is never writable: no more calls
        readFrom(r, 10);
        done.resolve();
      });
      writeTo(w, ONE);
      await done.promise;
      await nextRound();
      // The hub calls an fd's watchers in the order they were added.
      assert.deepEqual(calls, ["second", "first"]);
      first.close();
    });
  });

  it("runs the callbacks of fds ready together in turn, then their microtasks", async () => {
    await withPairs(2, async ([[r1, w1], [r2, w2]]) => {
      const order: string[] = [];
      const done = deferred<void>();
      const calls = (name: string, r: number) => () => {
        readFrom(r, 10);
        order.push(name);
        queueMicrotask(() => {
          order.push(`${name}'s microtask`);
          if (order.length === 4) done.resolve();
        });
      };
      using _a = watch(r1, EVENT_READ, calls("a", r1));
      using _b = watch(r2, EVENT_READ, calls("b", r2));
      // Both written before the loop turns: the hub finds them ready together.
      writeTo(w1, ONE);
      writeTo(w2, ONE);
      await done.promise;
      assert.deepEqual(new Set(order.slice(0, 2)), new Set(["a", "b"]));
      assert.deepEqual(order.slice(2), order.slice(0, 2).map((name) => `${name}'s microtask`));
    });
  });

  it("leaves no pending wait behind once every watcher is closed", async () => {
    await withPairs(3, async (pipes) => {
      const watchers = pipes.map(([r]) => watch(r, EVENT_READ, () => {}));
      try {
        await nextRound();
        // After a round's callbacks the hub lets the loop turn once, then waits.
        for (let turn = 0; turn < 100 && !hubState().waiting; turn++) {
          await new Promise((done) => setTimeout(done, 1));
        }
        assert.ok(hubState().waiting, "premise: the hub waits on its source");
        // The selector source waits on the shared thread; a loop source on Node's
        // loop; the worker source on its own thread.
        if (!hubState().canUnref) {
          assert.ok(waiterState().pending >= 1, "premise: the hub waits off the thread");
        } else if (loopSources() > 0) {
          assert.equal(loopSources(), 1, "premise: the hub waits on the loop");
        }
      } finally {
        for (const watcher of watchers) watcher.close();
      }
      await hubIdle();
      assert.equal(waiterState().pending, 0);
      assert.equal(hubState().waiting, false);
      assert.equal(loopSources(), 0);
    });
  });
});
