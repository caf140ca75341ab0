// PEP 475 on the shared waiting thread: a signal that interrupts the worker's poll(2)
// must restart the wait with the time left, so pollAsync lasts its whole timeout, no
// more, and returns nothing. The signal is aimed at the worker thread: a child finds
// it in /proc as the thread blocked in poll or ppoll (the numbers /proc shows for it:
// this architecture's, or under qemu-user the host's, as tests/_kit/eintr.ts finds
// them) over a marker count of fds (`nfds`, the second argument on x86_64 and
// aarch64 alike), then sends it SIGWINCH (a JS listener is installed, so the runtime's
// handler runs and poll(2) returns EINTR). The waiter's call count proves the restart
// happened.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { withPipes } from "../_kit/fds.ts";
import { procPollNumbers } from "../_kit/eintr.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { waiterState } from "../../select/_waiter.ts";

const TIMEOUT_MS = 1234;
/** Pipes the wait watches: the worker polls them and its wake-up fd, maybe more. */
const MARKER_FDS = 19;

/** A child that finds the thread polling the marker fds and signals it three times. */
function signalWorker(numbers: readonly number[]): Promise<string> {
  const nfds = [0, 1, 2].map((extra) => `0x${(MARKER_FDS + extra).toString(16)}`);
  // The scan is retried: on Node and Bun the first off-thread call starts a worker.
  const script = `tid=$0; for try in 1 2 3 4 5 6 7 8 9 10; do sleep 0.05; ` +
    `for t in /proc/$0/task/*; do ` +
    `read -r nr fds n rest < "$t/syscall" 2>/dev/null || continue; ` +
    `case "$nr" in ${numbers.join("|")}) ` +
    `case "$n" in ${nfds.join("|")}) tid=\${t##*/};; esac;; esac; ` +
    `done; [ "$tid" != "$0" ] && break; done; ` +
    `kill -WINCH $tid; sleep 0.2; kill -WINCH $tid; sleep 0.2; kill -WINCH $tid; echo $tid`;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script, String(process.pid)]);
    let out = "";
    child.stdout.on("data", (chunk) => out += chunk);
    child.on("error", reject);
    child.on(
      "exit",
      (code) => code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`)),
    );
  });
}

describe("EINTR on the shared waiting thread (PEP 475)", {
  skip: process.platform === "linux" ? false : "finds the thread through Linux's /proc",
}, () => {
  it("a signal restarts the wait with the time left", async () => {
    const numbers = await procPollNumbers();
    assert.ok(numbers.length > 0, "no thread was seen polling in /proc");
    let delivered = 0;
    const onSignal = () => delivered++;
    process.on("SIGWINCH", onSignal);
    try {
      await withPipes(MARKER_FDS, async (pipes) => {
        const p = poll();
        for (const [r] of pipes) p.register(r, POLLIN);
        // Bun sometimes routes the signal to another thread (then the worker's poll
        // is not interrupted): up to three attempts, each must keep the deadline.
        let restarts = 0;
        let target = "";
        for (let attempt = 0; attempt < 3 && restarts === 0; attempt++) {
          const callsBefore = waiterState().calls;
          const signals = signalWorker(numbers);
          const start = performance.now();
          const result = await p.pollAsync(TIMEOUT_MS);
          const elapsed = performance.now() - start;
          target = await signals;
          restarts = waiterState().calls - callsBefore - 1;
          assert.deepEqual(result, []);
          assert.ok(elapsed >= TIMEOUT_MS, `returned early, after ${elapsed} ms`);
          assert.ok(elapsed < TIMEOUT_MS + 500, `deadline extended: ${elapsed} ms`);
        }
        assert.ok(delivered > 0, "no signal reached the process");
        assert.ok(restarts > 0, `the worker's poll was never interrupted (signalled ${target})`);
      });
    } finally {
      process.off("SIGWINCH", onSignal);
    }
  });
});
