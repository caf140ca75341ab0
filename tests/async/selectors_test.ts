/**
 * `BaseSelector.selectAsync` on every selector class this platform has: the same
 * results as select(), timers running while it waits, register, modify, unregister,
 * close and abort during the wait, zero and negative timeouts; and its timeout checks,
 * made as its blocking twin makes them, in the same order and with the same error
 * (each class converts timeouts its own way, Lib/selectors.py `SelectSelector.select`,
 * `_PollLikeSelector.select`, `EpollSelector.select`; then its primitive applies its
 * own rules). Waits that must end do so with a timeout, so a failure cannot hang.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  PollSelector,
  SelectSelector,
  ValueError,
} from "../../selectors/mod.ts";
import { byte, isLinux, ticksDuring } from "../_kit/async.ts";
import { withPairs, writeTo } from "../_kit/pairs.ts";
import { SELECTORS } from "../_kit/selectors.ts";
import { PROMPT_MS, sleep, SLOWDOWN } from "../_kit/time.ts";

for (const [name, make] of SELECTORS) {
  describe(`${name}.selectAsync`, () => {
    it("resolves at once with what select(0) sees", async () => {
      await withPairs(1, async ([[, w]]) => {
        using s = make();
        const key = s.register(w, EVENT_WRITE);
        assert.deepEqual(await s.selectAsync(), [[key, EVENT_WRITE]]);
      });
    });

    it("waits beside the event loop until an fd is ready", async () => {
      await withPairs(1, async ([[r, w]]) => {
        using s = make();
        const key = s.register(r, EVENT_READ, "reader");
        // Late enough that the wait has begun, even where the first run is slow (qemu).
        setTimeout(() => writeTo(w, byte), 60 * SLOWDOWN);
        const [ready, ticks] = await ticksDuring(s.selectAsync(10));
        assert.deepEqual(ready, [[key, EVENT_READ]]);
        assert.ok(ticks >= 2, `timers ran ${ticks} times meanwhile`);
      });
    });

    it("resolves [] after the timeout, never earlier", async () => {
      await withPairs(1, async ([[r]]) => {
        using s = make();
        s.register(r, EVENT_READ);
        const t = performance.now();
        assert.deepEqual(await s.selectAsync(0.1), []);
        assert.ok(performance.now() - t >= 99);
        assert.deepEqual(await s.selectAsync(-1), []);
      });
    });

    it("sees a register made during the wait", async () => {
      await withPairs(1, async ([[r, w]]) => {
        using s = make();
        s.register(r, EVENT_READ);
        let key;
        setTimeout(() => key = s.register(w, EVENT_WRITE), 30);
        const ready = await s.selectAsync(10);
        assert.deepEqual(ready, [[key, EVENT_WRITE]]);
      });
    });

    it("ends with [] when the selector is closed during the wait", async () => {
      await withPairs(1, async ([[r]]) => {
        using s = make();
        s.register(r, EVENT_READ);
        setTimeout(() => s.close(), 30);
        assert.deepEqual(await s.selectAsync(10), []);
      });
    });

    it("rejects with the signal's reason on abort", async () => {
      await withPairs(1, async ([[r]]) => {
        using s = make();
        s.register(r, EVENT_READ);
        const controller = new AbortController();
        const reason = new Error("stop");
        setTimeout(() => controller.abort(reason), 30);
        await assert.rejects(s.selectAsync(null, { signal: controller.signal }), reason);
      });
    });

    it("a zero or negative timeout polls once", async () => {
      await withPairs(1, async ([[r, w]]) => {
        using sel = make();
        sel.register(r, EVENT_READ, "r");
        assert.deepEqual(await sel.selectAsync(0), []);
        assert.deepEqual(await sel.selectAsync(-1), []);
        writeTo(w, byte);
        assert.deepEqual((await sel.selectAsync(-1)).map(([key]) => key.data), ["r"]);
      });
    });

    it("rejects bad timeouts with the error classes select() throws", async () => {
      using sel = make();
      // kqueue.control reports every timeout it cannot convert as TypeError
      // (Modules/selectmodule.c select_kqueue_control_impl).
      const kqueue = name === "KqueueSelector";
      await assert.rejects(sel.selectAsync("1" as unknown as number), TypeError);
      await assert.rejects(sel.selectAsync(NaN), kqueue ? TypeError : ValueError);
      await assert.rejects(sel.selectAsync(Infinity), kqueue ? TypeError : RangeError);
      assert.deepEqual(await sel.selectAsync(-Infinity), []);
    });

    it("modify during a wait changes what it waits for", async () => {
      await withPairs(1, async ([[, w]]) => {
        using sel = make();
        sel.register(w, EVENT_READ, "w"); // a pipe's write end (a socket no one writes to) never becomes readable
        const pending = sel.selectAsync(PROMPT_MS / 1000);
        await sleep(20);
        sel.modify(w, EVENT_WRITE, "modified");
        assert.deepEqual((await pending).map(([key, events]) => [key.data, events]), [
          ["modified", EVENT_WRITE],
        ]);
      });
    });

    it("unregister during a wait stops watching the fd", async () => {
      await withPairs(1, async ([[r, w]]) => {
        using sel = make();
        sel.register(r, EVENT_READ);
        const start = performance.now();
        const pending = sel.selectAsync(0.2);
        await sleep(20);
        sel.unregister(r);
        writeTo(w, byte);
        assert.deepEqual(await pending, []);
        assert.ok(performance.now() - start >= 200);
      });
    });

    it("an already aborted signal rejects, even with fds ready", async () => {
      await withPairs(1, async ([[, w]]) => {
        using sel = make();
        sel.register(w, EVENT_WRITE);
        const reason = new Error("stop");
        await assert.rejects(sel.selectAsync(0, { signal: AbortSignal.abort(reason) }), reason);
      });
    });

    it("a loop over an always-ready fd still lets timers run", async () => {
      await withPairs(1, async ([[, w]]) => {
        using sel = make();
        sel.register(w, EVENT_WRITE);
        let ticks = 0;
        const timer = setInterval(() => ticks++, 1);
        try {
          const until = performance.now() + PROMPT_MS;
          while (ticks < 3 && performance.now() < until) {
            assert.equal((await sel.selectAsync()).length, 1);
          }
        } finally {
          clearInterval(timer);
        }
        assert.ok(ticks >= 3, `timers ran ${ticks} times in ${PROMPT_MS} ms of answers`);
      });
    });
  });
}

/** The classes whose timeout rules differ (DefaultSelector is one of them). */
const CLASSES = [SelectSelector, PollSelector, ...(isLinux ? [EpollSelector] : [])];

/** Timeouts that fail, or return at once with nothing registered. */
const TIMEOUTS: unknown[] = [
  "x",
  {},
  [],
  Infinity,
  -Infinity,
  NaN,
  2 ** 31 * 1e3,
  1e12,
  2n ** 100n,
  -(2n ** 100n),
  -1,
  -0,
  0,
  0.0001,
];

function outcome(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

async function asyncOutcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe("selectAsync timeouts fail as select() does", () => {
  for (const Selector of CLASSES) {
    it(Selector.name, async () => {
      for (const timeout of TIMEOUTS) {
        const sel = new Selector();
        try {
          const blocking = outcome(() => sel.select(timeout as number));
          const waiting = await asyncOutcome(() => sel.selectAsync(timeout as number));
          assert.equal(waiting, blocking, `${Selector.name}.selectAsync(${String(timeout)})`);
        } finally {
          sel.close();
        }
      }
    });
  }

  it("a closed EpollSelector reports the closed epoll before a huge timeout", {
    skip: !isLinux,
  }, async () => {
    const sel = new EpollSelector();
    sel.close();
    await assert.rejects(sel.selectAsync(1e12), {
      name: "ValueError",
      message: "I/O operation on closed epoll object",
    });
  });
});
