// Kqueue.controlAsync: native kqueue (macOS, FreeBSD), or libkqueue on Linux through
// IOMUX_KQUEUE_LIB; skipped where there is neither.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  kevent,
  KQ_EV_ADD,
  KQ_EV_DELETE,
  KQ_FILTER_READ,
  KQ_FILTER_WRITE,
  Kqueue,
  ValueError,
} from "../../select/mod.ts";
import { read, write } from "../../os/mod.ts";
import { withPipe } from "../_kit/fds.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";

describe("Kqueue.controlAsync", { skip: kqueueUnavailable }, () => {
  it("resolves with what control() reports once an fd turns ready", async () => {
    await withPipe(async (r, w) => {
      using kq = new Kqueue();
      let timerRan = false;
      setTimeout(() => {
        timerRan = true;
        write(w, new Uint8Array([1, 2, 3]));
      }, 5);
      const events = await kq.controlAsync([kevent(r, KQ_FILTER_READ)], 4);
      assert.equal(timerRan, true);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.ident, r);
      assert.equal(events[0]!.filter, KQ_FILTER_READ);
      assert.equal(events[0]!.data, 3);
    });
  });

  it("answers at once when events are pending, and applies changes-only lists", async () => {
    await withPipe(async (r, w) => {
      using kq = new Kqueue();
      assert.deepEqual(await kq.controlAsync([kevent(w, KQ_FILTER_WRITE)], 0), []);
      const [ev] = await kq.controlAsync(null, 1, null);
      assert.equal(ev?.ident, w);
      await kq.controlAsync([kevent(w, KQ_FILTER_WRITE, KQ_EV_DELETE)], 0);
      assert.deepEqual(kq.control(null, 1, 0), []);
      void r;
    });
  });

  it("times out with [] and never early", async () => {
    await withPipe(async (r) => {
      using kq = new Kqueue();
      const start = performance.now();
      assert.deepEqual(await kq.controlAsync([kevent(r, KQ_FILTER_READ, KQ_EV_ADD)], 1, 0.05), []);
      assert.ok(performance.now() - start >= 49, "returned before the timeout");
    });
  });

  it("ends on abort with the reason, and with [] on close()", async () => {
    await withPipe(async (r) => {
      const kq = new Kqueue();
      kq.control([kevent(r, KQ_FILTER_READ)], 0);
      const controller = new AbortController();
      const aborted = kq.controlAsync(null, 1, null, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("enough")), 5);
      await assert.rejects(aborted, { message: "enough" });
      const closing = kq.controlAsync(null, 1);
      setTimeout(() => kq.close(), 5);
      assert.deepEqual(await closing, []);
      await assert.rejects(kq.controlAsync(null, 1), ValueError);
    });
  });

  it("checks its arguments as control() does", async () => {
    using kq = new Kqueue();
    await assert.rejects(kq.controlAsync(null, -1), {
      name: "ValueError",
      message: "Length of eventlist must be 0 or positive, got -1",
    });
    await assert.rejects(kq.controlAsync(null, 1, -1), { name: "ValueError" });
    await assert.rejects(kq.controlAsync([1 as never], 1), { name: "TypeError" });
  });

  it("is still readable after a level-triggered answer", async () => {
    await withPipe(async (r, w) => {
      using kq = new Kqueue();
      write(w, new Uint8Array([9]));
      assert.equal((await kq.controlAsync([kevent(r, KQ_FILTER_READ)], 1)).length, 1);
      assert.equal((await kq.controlAsync(null, 1)).length, 1);
      read(r, 1);
      assert.deepEqual(await kq.controlAsync(null, 1, 0), []);
    });
  });
});
