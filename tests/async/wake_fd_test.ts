// The shared waiting thread's own fds (its wake-up eventfd, or pipe, and its epoll fd)
// are opened by the first wait and kept between waits: an idle period closes none of
// them and the next wait opens no new one.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isLinux } from "../_kit/async.ts";
import { procText } from "../_kit/resources.ts";
import { eventually } from "../_kit/time.ts";
import { isOpen, openFds, withPipe } from "../_kit/fds.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { read, write } from "../../os/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { notOnWindows } from "../_kit/platform.ts";

/** Whether `fd` is an eventfd: its /proc fdinfo has the eventfd's counter. */
function isEventfd(fd: number): boolean {
  return procText(`/proc/self/fdinfo/${fd}`)?.includes("eventfd-count:") ?? false;
}

/** The open eventfds of this process below `limit` (Linux `anon_inode:[eventfd]`). */
function eventfds(limit: number): number[] {
  return openFds(limit).filter(isEventfd);
}

/** One wait that the waiting thread really makes (it is blocked when the write comes). */
async function oneWait(r: number, w: number): Promise<void> {
  const p = poll();
  p.register(r, POLLIN);
  const pending = p.pollAsync();
  assert.ok(await eventually(() => waiterState().calling), "premise: the thread waits");
  write(w, new Uint8Array([1]));
  assert.deepEqual(await pending, [[r, POLLIN]]);
  read(r, 1);
  // Idle: no wait left, and the thread's call has returned.
  assert.ok(await eventually(() => waiterState().pending === 0 && !waiterState().calling));
}

describe("the waiter's wake-up fd", {
  skip: notOnWindows("the case waits on a pipe; Windows' wake-up is a socket pair, not an fd"),
}, () => {
  it("is opened once and kept open across idle periods", async () => {
    await withPipe(async (r, w) => {
      await oneWait(r, w);
      const first = waiterState();
      assert.ok(first.wakeFd >= 0 && isOpen(first.wakeFd), "the wake-up fd is open when idle");
      // Earlier tests in this process may have pushed fd numbers past the usual probe.
      const limit = Math.max(4096, ...first.ownFds) + 1;
      const events = isLinux ? eventfds(limit) : [];
      if (isLinux) {
        assert.ok(isEventfd(first.wakeFd), "on Linux it is an eventfd");
      }
      for (let i = 0; i < 20; i++) {
        await oneWait(r, w);
        const now = waiterState();
        assert.equal(now.wakeFd, first.wakeFd);
        assert.deepEqual(now.ownFds, first.ownFds);
        for (const fd of now.ownFds) assert.ok(isOpen(fd), `fd ${fd} stays open while idle`);
        // No eventfd opened per wait (kept or leaked): the process holds the same ones.
        if (isLinux) assert.deepEqual(eventfds(limit), events);
      }
    });
  });
});
