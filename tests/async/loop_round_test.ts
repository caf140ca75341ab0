import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { libc } from "../../ffi/libc.ts";
import { runtimeName } from "../../ffi/_native.ts";
import { koffiNodePoll } from "../../ffi/_koffi.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { readFrom, withPair, writeTo } from "../_kit/pairs.ts";

/** Whether the shared waiter's rounds should run on Node's own loop here. */
function loopExpected(): boolean {
  if (runtimeName() !== "node" || process.platform !== "linux") return false;
  const backend = libc().backend;
  return backend === "node:ffi" || (backend === "koffi" && koffiNodePoll() !== undefined);
}

describe("the shared waiter on Node's own loop", () => {
  it("waits there on Node's main thread, on a thread everywhere else", async () => {
    await withPair(async (r, w) => {
      const p = poll();
      p.register(r, POLLIN);
      const wait = p.pollAsync();
      setTimeout(() => writeTo(w, new Uint8Array([1])), 10);
      assert.equal((await wait).length, 1);
      readFrom(r, 1);
      assert.equal(waiterState().onLoop, loopExpected());
    });
  });

  it("a pending wait keeps the process alive, and the process then exits cleanly", async () => {
    const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
    const path = fileURLToPath(new URL(`./_loop_round_fixture${ext}`, import.meta.url));
    const args = "Deno" in globalThis ? ["run", "--allow-ffi", path] : [path];
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, args, { timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    const { timedOut, elapsed, ready, onLoop } = JSON.parse(out);
    assert.deepEqual(timedOut, []);
    assert.ok(elapsed >= 300, `the 300 ms wait ended after ${elapsed} ms`);
    assert.equal(ready, 1);
    assert.equal(onLoop, loopExpected());
  });
});
