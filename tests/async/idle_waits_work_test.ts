// The work the waiter does per event does not grow with the waits that sit idle:
// counted, not timed (bench/async_idle_waits.ts has the times). On Linux the waiting
// thread blocks on an epoll set kept up to date as waits start and end, so an event
// costs the same epoll_ctl calls with 1,000 idle waits as with none, including idle
// waits that share one fd.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { byte, isLinux, withPipes } from "../_async_helpers.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { read, write } from "../../os/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";

const EVENTS = 20;

/** The waiter's set work for `EVENTS` events on one pipe, with `idle` other waits pending. */
async function workPerEvents(idle: number): Promise<number> {
  return await withPipes(3, async ([[r, w], [idleR], [otherR]]) => {
    const controller = new AbortController();
    // Half the idle waits share one fd, half another: the same fd in many waits.
    const waits = Array.from({ length: idle }, (_, i) => {
      const p = poll();
      p.register(i % 2 === 0 ? idleR : otherR, POLLIN);
      return p.pollAsync(null, { signal: controller.signal }).catch(() => "aborted");
    });
    const active = poll();
    active.register(r, POLLIN);
    const before = waiterState().setWork;
    for (let i = 0; i < EVENTS; i++) {
      setTimeout(() => write(w, byte), 0);
      assert.deepEqual(await active.pollAsync(), [[r, POLLIN]]);
      read(r, 1);
    }
    const work = waiterState().setWork - before;
    controller.abort();
    assert.ok((await Promise.all(waits)).every((outcome) => outcome === "aborted"));
    return work;
  });
}

describe("work per event with idle waits", () => {
  it("is the same with 1,000 idle waits as with none", { skip: !isLinux }, async () => {
    const alone = await workPerEvents(0);
    assert.equal(waiterState().kind, "epoll");
    assert.ok(alone > 0, "the waiter counts its work");
    assert.equal(await workPerEvents(1000), alone);
  });
});
