import assert from "node:assert/strict";
import { deferred } from "./_watch_kit.ts";
import { describe, it } from "node:test";
import { EVENT_READ, ValueError, Waker, watch } from "../../watch/mod.ts";
import { poll, POLLIN, POLLRDNORM, select } from "../../select/mod.ts";
import { DefaultSelector } from "../../selectors/mod.ts";
import { isOpen, leakFree } from "../_kit/fds.ts";
import { startWorker, workerUrl } from "../_kit/workers.ts";

describe("Waker", () => {
  it("ends a blocking select() from another Worker", async () => {
    using waker = new Waker();
    const worker = startWorker(workerUrl("./_waker_worker", import.meta.url));
    try {
      assert.equal(await worker.next(), "ready");
      worker.post(waker.wakeFd);
      // Blocks this thread; only the Worker's wake can end it before 60 s.
      const start = performance.now();
      const [readable] = select([waker], [], [], 60);
      assert.deepEqual(readable, [waker]);
      assert.ok(performance.now() - start < 30_000);
      assert.equal(await worker.next(), "woke");
      assert.equal(waker.drain(), true);
    } finally {
      await worker.terminate();
    }
  });

  it("ends pending async waits and wakes a watcher", async () => {
    using waker = new Waker();
    using sel = new DefaultSelector();
    sel.register(waker, EVENT_READ);
    const p = poll();
    p.register(waker, POLLIN);
    const watched = deferred<number>();
    using _ = watch(waker, EVENT_READ, (events) => watched.resolve(events));
    const waits = Promise.all([sel.selectAsync(), p.pollAsync()]);
    setTimeout(() => waker.wake(), 5);
    const [keys, polled] = await waits;
    assert.equal(keys[0]![0].fileobj, waker);
    // WSAPoll reports a readable socket as POLLRDNORM alone (Windows' POLLIN is two bits).
    const readable = process.platform === "win32" ? POLLRDNORM : POLLIN;
    assert.deepEqual(polled, [[waker.fileno(), readable]]);
    assert.equal(await watched.promise, EVENT_READ);
    assert.equal(waker.drain(), true);
    assert.deepEqual(select([waker], [], [], 0)[0], []);
  });

  it("stays readable until drained, whatever the number of wakes", () => {
    using waker = new Waker();
    assert.equal(waker.drain(), false);
    for (let i = 0; i < 100_000; i++) waker.wake();
    assert.deepEqual(select([waker], [], [], 0)[0], [waker]);
    assert.deepEqual(select([waker], [], [], 0)[0], [waker]);
    assert.equal(waker.drain(), true);
    assert.deepEqual(select([waker], [], [], 0)[0], []);
  });

  it(
    "closes its fds once; a closed waker refuses to be used",
    leakFree(() => {
      const waker = new Waker();
      const fd = waker.fileno();
      const wakeFd = waker.wakeFd;
      assert.ok(isOpen(fd) && isOpen(wakeFd));
      waker[Symbol.dispose]();
      waker.close();
      assert.equal(waker.closed, true);
      assert.ok(!isOpen(fd) && !isOpen(wakeFd));
      assert.throws(() => waker.fileno(), ValueError);
      assert.throws(() => waker.wake(), ValueError);
      assert.throws(() => waker.drain(), ValueError);
    }),
  );
});
