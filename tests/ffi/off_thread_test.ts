// The off-thread calls behind pollAsync/selectAsync, seen from outside: a child
// process of this same runtime makes its first selectAsync, and what it prints on
// stderr is what a user sees. node:ffi warns that it is experimental once per
// process, not once more for its worker thread; no other backend warns. The
// worker starts with the runtime flags the user gave, including those a Worker
// refuses in an explicit `execArgv` (--max-old-space-size, --expose-gc).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const isNode = g.Deno === undefined && g.Bun === undefined;

interface FixtureRun {
  backend: string;
  ready: [string, number][];
  calls: number;
  warnings: number;
}

function runFixture(flags: string[] = []): Promise<FixtureRun> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_off_thread_fixture${ext}`, import.meta.url));
  const args = g.Deno ? ["run", "--allow-ffi", path] : [...flags, path];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (error, out, err) => {
      if (error) return reject(new Error(`${error.message}\n${err}`));
      const warnings = err.split("\n").filter((l) => l.includes("ExperimentalWarning")).length;
      resolve({ ...JSON.parse(out), warnings });
    });
  });
}

describe("off-thread calls in a fresh process", () => {
  it("the first selectAsync waits off the JS thread; only node:ffi warns, once", async () => {
    const run = await runFixture();
    assert.deepEqual(run.ready, [["pipe", 1]]);
    // The premise: the wait reached the waiting thread (Deno's included).
    assert.ok(run.calls >= 1, `${run.calls} off-thread calls`);
    assert.equal(run.warnings, run.backend === "node:ffi" ? 1 : 0, JSON.stringify(run));
  });

  it("the worker runs under flags a Worker's execArgv refuses", { skip: !isNode }, async () => {
    const run = await runFixture(["--max-old-space-size=1024", "--expose-gc"]);
    assert.deepEqual(run.ready, [["pipe", 1]]);
    assert.ok(run.calls >= 1, `${run.calls} off-thread calls`);
    assert.equal(run.warnings, run.backend === "node:ffi" ? 1 : 0, JSON.stringify(run));
  });
});
