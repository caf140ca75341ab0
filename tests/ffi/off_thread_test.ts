// The off-thread calls behind pollAsync/selectAsync, seen from outside: a child
// process of this same runtime makes its first selectAsync, and what it prints on
// stderr is what a user sees. node:ffi warns that it is experimental once per
// process, not once more for its worker thread; no other backend warns. The
// worker starts with the runtime flags the user gave, including those a Worker
// refuses in an explicit `execArgv` (--max-old-space-size, --expose-gc).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { spawnShell } from "../_kit/child.ts";
import { leakFree } from "../_kit/fds.ts";

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const isNode = g.Deno === undefined && g.Bun === undefined;

interface FixtureRun {
  backend: string;
  ready: [string, number][];
  calls: number;
  warnings: number;
}

/**
 * Runs the fixture in a child of this runtime, its stdout and stderr in files: a
 * pipe to this process would be an fd of its own here, which Bun closes a moment
 * after the child's "close".
 */
async function runFixture(flags: string[] = []): Promise<FixtureRun> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_off_thread_fixture${ext}`, import.meta.url));
  const args = g.Deno ? ["run", "--allow-ffi", path] : [...flags, path];
  const dir = mkdtempSync(join(tmpdir(), "iomux-off-thread-"));
  try {
    const script = 'out="$1" err="$2"; shift 2; exec "$@" >"$out" 2>"$err"';
    const { exited } = spawnShell(
      script,
      "ignore",
      "sh",
      `${dir}/out`,
      `${dir}/err`,
      process.execPath,
      ...args,
    );
    const code = await exited;
    const err = readFileSync(`${dir}/err`, "utf8");
    assert.equal(code, 0, err);
    const warnings = err.split("\n").filter((l) => l.includes("ExperimentalWarning")).length;
    return { ...JSON.parse(readFileSync(`${dir}/out`, "utf8")), warnings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("off-thread calls in a fresh process", {
  // A child through sh, and a wait that must go off-thread: Windows has no waiter yet.
  skip: process.platform === "win32" ? "Windows has no off-thread waiter yet" : false,
}, () => {
  it(
    "the first selectAsync waits off the JS thread; only node:ffi warns, once",
    leakFree(async () => {
      const run = await runFixture();
      assert.deepEqual(run.ready, [["pipe", 1]]);
      // The premise: the wait reached the waiting thread (Deno's included).
      assert.ok(run.calls >= 1, `${run.calls} off-thread calls`);
      assert.equal(run.warnings, run.backend === "node:ffi" ? 1 : 0, JSON.stringify(run));
    }),
  );

  it(
    "the worker runs under flags a Worker's execArgv refuses",
    { skip: !isNode },
    leakFree(async () => {
      const run = await runFixture(["--max-old-space-size=1024", "--expose-gc"]);
      assert.deepEqual(run.ready, [["pipe", 1]]);
      assert.ok(run.calls >= 1, `${run.calls} off-thread calls`);
      assert.equal(run.warnings, run.backend === "node:ffi" ? 1 : 0, JSON.stringify(run));
    }),
  );
});
