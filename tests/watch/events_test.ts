import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EVENT_READ, EVENT_WRITE, fdEvents, selectorEvents } from "../../watch/mod.ts";
import { DefaultSelector, PollSelector, SelectSelector } from "../../selectors/mod.ts";
import { read, write } from "../../os/mod.ts";
import { withPipes } from "../_kit/fds.ts";
import { watchLeakFree } from "./_watch_kit.ts";
import { PIPE_WAITS } from "../_kit/platform.ts";

for (const Selector of [DefaultSelector, PollSelector, SelectSelector]) {
  describe(`selectorEvents over ${Selector.name}`, { skip: PIPE_WAITS }, () => {
    it("yields every readiness once it is there, then ends on abort", async () => {
      await withPipes(3, async (pipes) => {
        using sel = new Selector<number>();
        pipes.forEach(([r], i) => sel.register(r, EVENT_READ, i));
        const controller = new AbortController();
        const seen: number[] = [];
        let nextWrite = 0;
        write(pipes[nextWrite++]![1], new Uint8Array([0]));
        for await (const [key, events] of selectorEvents(sel, { signal: controller.signal })) {
          assert.equal(events, EVENT_READ);
          assert.deepEqual(read(key.fd, 10), new Uint8Array([key.data]));
          seen.push(key.data);
          if (nextWrite < pipes.length) {
            const w = pipes[nextWrite]![1];
            const byte = new Uint8Array([nextWrite++]);
            setTimeout(() => write(w, byte), 1);
          } else controller.abort();
        }
        assert.deepEqual(seen, [0, 1, 2]);
      });
    });

    it("ends when the selector is closed during the wait", async () => {
      await withPipes(1, async ([[r]]) => {
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

describe("fdEvents", { skip: PIPE_WAITS }, () => {
  it(
    "yields level-triggered readiness and ends on abort",
    watchLeakFree(async () => {
      await withPipes(1, async ([[r, w]]) => {
        write(w, new Uint8Array([1, 2]));
        const controller = new AbortController();
        const got: number[] = [];
        for await (const events of fdEvents(r, EVENT_READ | EVENT_WRITE, controller)) {
          assert.equal(events, EVENT_READ);
          got.push(read(r, 1)[0]!);
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
