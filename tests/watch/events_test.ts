import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EVENT_READ, EVENT_WRITE, fdEvents, selectorEvents } from "../../watch/mod.ts";
import { DefaultSelector, PollSelector, SelectSelector } from "../../selectors/mod.ts";
import { readFrom, withPairs, writeTo } from "../_kit/pairs.ts";
import { watchLeakFree } from "./_watch_kit.ts";
import { notOnWindows } from "../_kit/platform.ts";

for (const Selector of [DefaultSelector, PollSelector, SelectSelector]) {
  describe(`selectorEvents over ${Selector.name}`, () => {
    it("yields every readiness once it is there, then ends on abort", async () => {
      await withPairs(3, async (pipes) => {
        using sel = new Selector<number>();
        pipes.forEach(([r], i) => sel.register(r, EVENT_READ, i));
        const controller = new AbortController();
        const seen: number[] = [];
        let nextWrite = 0;
        writeTo(pipes[nextWrite++]![1], new Uint8Array([0]));
        for await (const [key, events] of selectorEvents(sel, { signal: controller.signal })) {
          assert.equal(events, EVENT_READ);
          assert.deepEqual(readFrom(key.fd, 10), new Uint8Array([key.data]));
          seen.push(key.data);
          if (nextWrite < pipes.length) {
            const w = pipes[nextWrite]![1];
            const byte = new Uint8Array([nextWrite++]);
            setTimeout(() => writeTo(w, byte), 1);
          } else controller.abort();
        }
        assert.deepEqual(seen, [0, 1, 2]);
      });
    });

    it("ends when the selector is closed during the wait", async () => {
      await withPairs(1, async ([[r]]) => {
        const sel = new Selector();
        sel.register(r, EVENT_READ);
        setTimeout(() => sel.close(), 5);
        let steps = 0;
        for await (const _ of selectorEvents(sel)) steps++;
        assert.equal(steps, 0);
      });
    });

    it("ends at once for a signal that is already aborted", async () => {
      using sel = new Selector();
      const steps = [];
      for await (const step of selectorEvents(sel, { signal: AbortSignal.abort() })) {
        steps.push(step);
      }
      assert.deepEqual(steps, []);
    });
  });
}

describe("fdEvents", () => {
  it(
    "yields level-triggered readiness and ends on abort",
    {
      skip: notOnWindows(
        "a socket's read end is writable too; the case needs a pipe's, which is not",
      ),
    },
    watchLeakFree(async () => {
      await withPairs(1, async ([[r, w]]) => {
        writeTo(w, new Uint8Array([1, 2]));
        const controller = new AbortController();
        const got: number[] = [];
        for await (const events of fdEvents(r, EVENT_READ | EVENT_WRITE, controller)) {
          assert.equal(events, EVENT_READ);
          got.push(readFrom(r, 1)[0]!);
          if (got.length === 2) setTimeout(() => controller.abort(), 5);
        }
        assert.deepEqual(got, [1, 2]);
      });
    }),
  );

  it("refuses bad events", async () => {
    await assert.rejects(fdEvents(0, 8).next(), { name: "ValueError" });
  });
});
