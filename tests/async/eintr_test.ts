// PEP 475 on the shared waiting thread: a signal that interrupts the waiting thread's
// call must restart the wait with the time left, so pollAsync lasts its whole timeout,
// no more, and returns nothing. The signal is aimed at that thread: a child finds it
// in /proc as the thread blocked in a call on the waiter's own epoll fd (the first
// argument), or, where the waiter polls with poll(2), in poll or ppoll (the numbers
// /proc shows for them: this architecture's, or under qemu-user the host's, as
// tests/_kit/js_thread.ts finds them) over a marker count of fds (`nfds`, the second argument),
// then sends it SIGWINCH (a JS listener is installed, so the runtime's handler runs
// and the call returns EINTR). The waiter's count of interrupted calls proves that the
// signal really interrupted it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { withPipes } from "../_kit/fds.ts";
import { procPollNumbers } from "../_kit/js_thread.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";

const TIMEOUT_MS = 1234;
/** Pipes the wait watches: a poll(2) waiter polls them and its wake-up fd, maybe more. */
const MARKER_FDS = 19;

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * The `case` pattern for `$nr $a $b` of the waiting thread's `/proc/…/syscall` line:
 * a call whose first argument is the waiter's epoll fd (epoll_wait or epoll_pwait; its
 * number is not matched, since under qemu-user /proc shows the host's), or poll over
 * the marker fds with one of the poll numbers /proc shows here.
 */
function waitingThreadPattern(pollNumbers: readonly number[]): string {
  const { kind, ownFds } = waiterState();
  if (kind === "epoll") return `*" ${hex(ownFds[0]!)} "*`;
  const nfds = [0, 1, 2].map((extra) => hex(MARKER_FDS + extra));
  return pollNumbers.flatMap((nr) => nfds.map((n) => `"${nr} "*" ${n}"`)).join("|");
}

/** A child that finds the waiting thread and signals it three times. */
function signalWorker(pollNumbers: readonly number[]): Promise<string> {
  const pattern = waitingThreadPattern(pollNumbers);
  // The scan is retried: on Node and Bun the first off-thread call starts a worker.
  const script = `tid=$0; for try in 1 2 3 4 5 6 7 8 9 10; do sleep 0.05; ` +
    `for t in /proc/$0/task/*; do ` +
    `read -r nr a b rest < "$t/syscall" 2>/dev/null || continue; ` +
    `case "$nr $a $b" in ${pattern}) tid=\${t##*/};; esac; ` +
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
        // One short wait first, so that the waiter's set (and its fds) exist.
        assert.deepEqual(await p.pollAsync(1), []);
        // Bun sometimes routes the signal to another thread (then the waiting call
        // is not interrupted): up to three attempts, each must keep the deadline.
        let interrupted = 0;
        let target = "";
        // On Node's main thread the waits are on Node's own loop, no thread of ours:
        // libuv restarts its epoll_wait itself, and the deadline is a timer's.
        const onLoop = waiterState().onLoop;
        for (let attempt = 0; attempt < (onLoop ? 1 : 3) && interrupted === 0; attempt++) {
          const before = waiterState().interrupted;
          const signals = signalWorker(numbers);
          const start = performance.now();
          const result = await p.pollAsync(TIMEOUT_MS);
          const elapsed = performance.now() - start;
          target = await signals;
          interrupted = waiterState().interrupted - before;
          assert.deepEqual(result, []);
          assert.ok(elapsed >= TIMEOUT_MS, `returned early, after ${elapsed} ms`);
          assert.ok(elapsed < TIMEOUT_MS + 500, `deadline extended: ${elapsed} ms`);
        }
        assert.ok(delivered > 0, "no signal reached the process");
        if (onLoop) assert.equal(interrupted, 0, "no call of ours was out to interrupt");
        else {
          assert.ok(
            interrupted > 0,
            `the waiting thread's call was never interrupted (signalled ${target})`,
          );
        }
      });
    } finally {
      process.off("SIGWINCH", onSignal);
    }
  });
});
