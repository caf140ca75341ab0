// selectAsync cases beside selectors_async_test.ts, on every selector class this
// platform has: zero and negative timeouts, modify and unregister during a pending
// wait, an already aborted signal, and timers still running in a loop over fds that
// are always ready. Waits that must end do so with a timeout, so a failure cannot hang.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { byte, isLinux } from "../_kit/async.ts";
import { PROMPT_MS, sleep } from "../_kit/time.ts";
import { withPipes } from "../_kit/fds.ts";
import { write } from "../../os/mod.ts";
import {
  type BaseSelector,
  DefaultSelector,
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  PollSelector,
  SelectSelector,
  ValueError,
} from "../../selectors/mod.ts";

const classes: [string, new () => BaseSelector<string>][] = [
  ["SelectSelector", SelectSelector],
  ["PollSelector", PollSelector],
  ["DefaultSelector", DefaultSelector],
];
if (isLinux) classes.push(["EpollSelector", EpollSelector]);

for (const [name, Selector] of classes) {
  describe(`${name}.selectAsync, more`, () => {
    it("a zero or negative timeout polls once", async () => {
      await withPipes(1, async ([[r, w]]) => {
        using sel = new Selector();
        sel.register(r, EVENT_READ, "r");
        assert.deepEqual(await sel.selectAsync(0), []);
        assert.deepEqual(await sel.selectAsync(-1), []);
        write(w, byte);
        assert.deepEqual((await sel.selectAsync(-1)).map(([key]) => key.data), ["r"]);
      });
    });

    it("rejects bad timeouts with the error classes select() throws", async () => {
      using sel = new Selector();
      await assert.rejects(sel.selectAsync("1" as unknown as number), TypeError);
      await assert.rejects(sel.selectAsync(NaN), ValueError);
      await assert.rejects(sel.selectAsync(Infinity), RangeError);
      assert.deepEqual(await sel.selectAsync(-Infinity), []);
    });

    it("modify during a wait changes what it waits for", async () => {
      await withPipes(1, async ([[, w]]) => {
        using sel = new Selector();
        sel.register(w, EVENT_READ, "w"); // a pipe's write end never becomes readable
        const pending = sel.selectAsync(PROMPT_MS / 1000);
        await sleep(20);
        sel.modify(w, EVENT_WRITE, "modified");
        assert.deepEqual((await pending).map(([key, events]) => [key.data, events]), [
          ["modified", EVENT_WRITE],
        ]);
      });
    });

    it("unregister during a wait stops watching the fd", async () => {
      await withPipes(1, async ([[r, w]]) => {
        using sel = new Selector();
        sel.register(r, EVENT_READ);
        const start = performance.now();
        const pending = sel.selectAsync(0.2);
        await sleep(20);
        sel.unregister(r);
        write(w, byte);
        assert.deepEqual(await pending, []);
        assert.ok(performance.now() - start >= 200);
      });
    });

    it("an already aborted signal rejects, even with fds ready", async () => {
      await withPipes(1, async ([[, w]]) => {
        using sel = new Selector();
        sel.register(w, EVENT_WRITE);
        const reason = new Error("stop");
        await assert.rejects(sel.selectAsync(0, { signal: AbortSignal.abort(reason) }), reason);
      });
    });

    it("a loop over an always-ready fd still lets timers run", async () => {
      await withPipes(1, async ([[, w]]) => {
        using sel = new Selector();
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
