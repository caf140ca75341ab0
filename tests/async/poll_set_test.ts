// The waiter's portable ready set (one poll(2) array, rebuilt when the set changes),
// which macOS and FreeBSD use, run here on Linux too (on Windows, the same array over
// WSAPoll): waits end on their events, on
// register during a wait, on an abort and on their deadlines, and a wait on an fd that
// poll(2) reports but its owner does not (POLLHUP for a SelectSelector's write set)
// does not spin.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { assertAllReleased, byte, isLinux, openFdCount } from "../_kit/async.ts";
import { POLLED_READABLE, withPairs, writeTo } from "../_kit/pairs.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { EVENT_WRITE, SelectSelector } from "../../selectors/mod.ts";
import { close, pipe } from "../../os/mod.ts";
import { useReadySet, waiterState } from "../../_wait/waiter.ts";
import { notOnWindows } from "../_kit/platform.ts";

/** Runs `body` with the waiter on its poll(2) set, then back on the platform's default. */
async function onPollSet(body: () => Promise<void>): Promise<void> {
  useReadySet("poll");
  try {
    await body();
  } finally {
    const until = performance.now() + 2000;
    while (waiterState().calling && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    useReadySet(isLinux ? "epoll" : "poll");
  }
}

describe("the poll(2) ready set", () => {
  it("ends waits on their events, on register during a wait, and on aborts", async () => {
    await onPollSet(async () => {
      // Node and Bun start a worker thread (with fds of its own) for the first call.
      await poll().pollAsync(1);
      const baseline = openFdCount();
      await withPairs(3, async ([[r, w], [r2, w2], [r3]]) => {
        const p = poll();
        p.register(r, POLLIN);
        const q = poll();
        const controller = new AbortController();
        const aborted = poll();
        aborted.register(r3, POLLIN);
        const waits = [
          p.pollAsync(),
          q.pollAsync(),
          aborted.pollAsync(null, { signal: controller.signal }).catch(() => "aborted"),
        ];
        assert.equal(waiterState().kind, "poll");
        setTimeout(() => {
          writeTo(w, byte);
          writeTo(w2, byte);
          q.register(r2, POLLIN);
          controller.abort();
        }, 20);
        assert.deepEqual(await Promise.all(waits), [
          [[r, POLLED_READABLE]],
          [[r2, POLLED_READABLE]],
          "aborted",
        ]);
      });
      await assertAllReleased(baseline);
    });
  });

  it("ends many waits on their own deadlines", async () => {
    await onPollSet(async () => {
      await withPairs(1, async ([[r]]) => {
        const waits = [30, 10, 20].map((ms) => {
          const p = poll();
          p.register(r, POLLIN);
          const start = performance.now();
          return p.pollAsync(ms).then((result) => [result, performance.now() - start >= ms]);
        });
        assert.deepEqual(await Promise.all(waits), [[[], true], [[], true], [[], true]]);
      });
    });
  });

  it("a SelectSelector wait on a hung-up pipe read end does not spin", {
    skip: notOnWindows("Windows cannot wait on pipes; a socket's hang-up makes it readable only"),
  }, async () => {
    await onPollSet(async () => {
      const [r, w] = pipe();
      close(w);
      try {
        using sel = new SelectSelector();
        sel.register(r, EVENT_WRITE);
        const start = process.cpuUsage();
        const wallStart = performance.now();
        assert.deepEqual(await sel.selectAsync(0.4), []);
        const used = process.cpuUsage(start);
        const cpuMs = (used.user + used.system) / 1000;
        const wallMs = performance.now() - wallStart;
        assert.ok(cpuMs < wallMs / 4, `${cpuMs.toFixed(0)} ms of CPU over ${wallMs.toFixed(0)} ms`);
      } finally {
        close(r);
      }
    });
  });
});
