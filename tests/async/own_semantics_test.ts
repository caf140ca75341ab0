// A wait wakes only on what its owner's own call would report. poll(2) reports POLLHUP
// on a pipe read end watched for writing once its writer has closed; select(2) does not
// put it in the write set (Linux fs/select.c, POLLOUT_SET). A SelectSelector waiting on
// such an fd must sleep, not spin: the process's CPU time over the pending wait stays
// small whatever waits on the JS thread's behalf.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { byte } from "../_kit/async.ts";
import { poll, POLLHUP, POLLOUT } from "../../select/mod.ts";
import { EVENT_READ, EVENT_WRITE, PollSelector, SelectSelector } from "../../selectors/mod.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { PIPE_WAITS } from "../_kit/platform.ts";

const WAIT_MS = 400;

/** CPU time (user + system, ms) the whole process spends while `work()` is pending. */
async function cpuMsDuring<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const start = process.cpuUsage();
  const wallStart = performance.now();
  const result = await work();
  const used = process.cpuUsage(start);
  return [result, (used.user + used.system) / 1000, performance.now() - wallStart];
}

/** A pipe whose write end is closed: its read end is what the premise needs. */
function hungUpReadEnd(): number {
  const [r, w] = pipe();
  close(w);
  return r;
}

describe("a wait wakes only on what its owner reports", { skip: PIPE_WAITS }, () => {
  it("SelectSelector: EVENT_WRITE on a hung-up pipe read end sleeps until the timeout", async () => {
    const r = hungUpReadEnd();
    try {
      // Premise: poll(2) reports POLLHUP on it, select(2) reports nothing.
      const p = poll();
      p.register(r, POLLOUT);
      assert.deepEqual(p.poll(0), [[r, POLLHUP]]);
      using sel = new SelectSelector();
      sel.register(r, EVENT_WRITE);
      assert.deepEqual(sel.select(0), []);
      const [result, cpuMs, wallMs] = await cpuMsDuring(() => sel.selectAsync(WAIT_MS / 1000));
      // A spinning wait burns most of a core for the whole wait.
      assert.ok(cpuMs < wallMs / 4, `${cpuMs.toFixed(0)} ms of CPU over ${wallMs.toFixed(0)} ms`);
      assert.deepEqual(result, []);
      assert.ok(wallMs >= WAIT_MS, `returned after ${wallMs} ms`);
    } finally {
      close(r);
    }
  });

  it("SelectSelector: the same wait still ends when another fd becomes ready", async () => {
    const r = hungUpReadEnd();
    const [r2, w2] = pipe();
    try {
      using sel = new SelectSelector();
      sel.register(r, EVENT_WRITE);
      const key = sel.register(r2, EVENT_READ);
      setTimeout(() => write(w2, byte), 50);
      assert.deepEqual(await sel.selectAsync(10), [[key, EVENT_READ]]);
    } finally {
      close(r);
      close(r2);
      close(w2);
    }
  });

  it("SelectSelector: a hung-up fd watched for reading is ready, as select(2) says", async () => {
    const r = hungUpReadEnd();
    try {
      using sel = new SelectSelector();
      const key = sel.register(r, EVENT_READ);
      assert.deepEqual(await sel.selectAsync(10), [[key, EVENT_READ]]);
    } finally {
      close(r);
    }
  });

  it("PollSelector reports the hung-up fd as CPython's poll selector does", async () => {
    const r = hungUpReadEnd();
    try {
      using sel = new PollSelector();
      const key = sel.register(r, EVENT_WRITE);
      assert.deepEqual(await sel.selectAsync(10), [[key, EVENT_WRITE]]);
    } finally {
      close(r);
    }
  });
});
