// Workers with pending waits: terminate() resolves, their waiting threads do not stay
// parked, and meanwhile the main thread's file reads and own waits are not starved
// (koffi's async calls ran on libuv's four-thread pool, Deno's on its blocking pool).
// Real Workers (Deno Web Workers, node:worker_threads) in a child process with a time
// limit: a child that never exits fails the test rather than hanging it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { isLinux } from "../_kit/async.ts";

function runFixture(): Promise<string> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_workers_fixture${ext}`, import.meta.url));
  const args = "Deno" in globalThis ? ["run", "--allow-all", path] : [path];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (error, out, err) => {
      if (error) reject(new Error(`${error.message}\n${err}`));
      else resolve(out);
    });
  });
}

describe("Workers with pending waits", () => {
  it("do not starve the main thread, terminate, and let the process exit", {
    skip: !isLinux,
  }, async () => {
    const seen = JSON.parse(await runFixture());
    // Premise: each Worker's wait was blocked in a call off its thread.
    assert.deepEqual(seen, {
      blockedDuring: 4,
      source: "read",
      ownWait: 1,
      terminated: "terminated",
      blockedAfter: 0,
    });
  });
});
