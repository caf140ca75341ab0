// PEP 475 on the shared waiting thread: a signal that interrupts the worker's poll(2)
// must restart the wait with the time left, so pollAsync lasts its whole timeout, no
// more, and returns nothing. The signal is aimed at the worker thread: a child finds
// it in /proc as the thread blocked in poll(2) with the marker timeout, then sends it
// SIGWINCH (a JS listener is installed, so the runtime's handler runs and poll(2)
// returns EINTR). The waiter's call count proves the restart happened.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { isLinux, withPipes } from "./_async_helpers.ts";
import { poll, POLLIN } from "../select/mod.ts";
import { waiterState } from "../_wait/waiter.ts";

const MARKER_MS = 1234;

/** A child that finds the thread polling with ~MARKER_MS and signals it three times. */
function signalWorker(): Promise<string> {
  // poll is syscall 7 on x86_64; aarch64 has only ppoll (73), whose timeout is a
  // pointer, so there the child signals the pid and the premise check decides.
  const markers = [MARKER_MS, MARKER_MS - 1, MARKER_MS - 2].map((ms) => `0x${ms.toString(16)}`);
  // The scan is retried: on Node and Bun the first off-thread call starts a worker.
  const script = `tid=$0; for try in 1 2 3 4 5 6 7 8 9 10; do sleep 0.05; ` +
    `for t in /proc/$0/task/*; do ` +
    `read -r nr a b c rest < "$t/syscall" 2>/dev/null || continue; ` +
    `case "$nr $c" in ${markers.map((m) => `"7 ${m}"`).join("|")}) tid=\${t##*/};; esac; ` +
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

describe("EINTR on the shared waiting thread (PEP 475)", { skip: !isLinux }, () => {
  it("a signal restarts the wait with the time left", async () => {
    let delivered = 0;
    const onSignal = () => delivered++;
    process.on("SIGWINCH", onSignal);
    try {
      await withPipes(1, async ([[r]]) => {
        const p = poll();
        p.register(r, POLLIN);
        // Bun sometimes routes the signal to another thread (then the worker's poll
        // is not interrupted): up to three attempts, each must keep the deadline.
        let restarts = 0;
        let target = "";
        for (let attempt = 0; attempt < 3 && restarts === 0; attempt++) {
          const callsBefore = waiterState().calls;
          const signals = signalWorker();
          const start = performance.now();
          const result = await p.pollAsync(MARKER_MS);
          const elapsed = performance.now() - start;
          target = await signals;
          restarts = waiterState().calls - callsBefore - 1;
          assert.deepEqual(result, []);
          assert.ok(elapsed >= MARKER_MS, `returned early, after ${elapsed} ms`);
          assert.ok(elapsed < MARKER_MS + 500, `deadline extended: ${elapsed} ms`);
        }
        assert.ok(delivered > 0, "no signal reached the process");
        assert.ok(restarts > 0, `the worker's poll was never interrupted (signalled ${target})`);
      });
    } finally {
      process.off("SIGWINCH", onSignal);
    }
  });
});
