// The work the waiter does per event does not grow with the waits that sit idle:
// counted, not timed (bench/async_idle_waits.ts has the times). On Linux the waiting
// thread blocks on an epoll set kept up to date as waits start and end, so an event
// costs the same epoll_ctl calls with 1,000 idle waits as with none, including idle
// waits that share one fd.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { byte, isLinux } from "../_kit/async.ts";
import { withPipes } from "../_kit/fds.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { EVENT_READ, PollSelector } from "../../selectors/mod.ts";
import { close, pipe, read, write } from "../../os/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { notOnWindows } from "../_kit/platform.ts";

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
    const event = async () => {
      setTimeout(() => write(w, byte), 0);
      assert.deepEqual(await active.pollAsync(), [[r, POLLIN]]);
      read(r, 1);
    };
    await event(); // the first one also adds the fd to the set
    const before = waiterState().setWork;
    for (let i = 0; i < EVENTS; i++) await event();
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

describe("work per event on a selector over many fds", () => {
  it("a loop of selectAsync re-arms what reported, not every fd", { skip: !isLinux }, async () => {
    await withPipes(500, async (pipes) => {
      using sel = new PollSelector();
      for (const [r] of pipes) sel.register(r, EVENT_READ);
      const [r, w] = pipes[0];
      const event = async () => {
        setTimeout(() => write(w, byte), 0);
        assert.equal((await sel.selectAsync()).length, 1);
        read(r, 1);
      };
      await event(); // the first wait adds every fd
      const before = waiterState().setWork;
      for (let i = 0; i < EVENTS; i++) await event();
      const work = waiterState().setWork - before;
      assert.ok(work <= 2 * EVENTS, `${work} epoll_ctl calls for ${EVENTS} events on 500 fds`);
    });
  });

  it("an fd unregistered, closed, reopened under the same number and registered is watched", {
    skip: notOnWindows(
      "the premise is POSIX's lowest-free-fd rule, which Windows handles do not keep",
    ),
  }, async () => {
    using sel = new PollSelector();
    let [r, w] = pipe();
    try {
      sel.register(r, EVENT_READ);
      assert.deepEqual(await sel.selectAsync(0.01), []); // its fd is in the waiter's set now
      sel.unregister(r);
      close(r);
      close(w);
      const number = r;
      [r, w] = pipe();
      assert.equal(r, number, "premise: the new pipe reuses the fd number");
      const key = sel.register(r, EVENT_READ);
      setTimeout(() => write(w, byte), 20);
      assert.deepEqual(await sel.selectAsync(10), [[key, EVENT_READ]]);
    } finally {
      close(r);
      close(w);
    }
  });
});
