/**
 * `DefaultSelector` picks its class by what the platform has, not by whether one
 * attempt worked: a `new DefaultSelector()` made while the fd table is full throws
 * the real `OSError` (EMFILE), as `EpollSelector()` does in CPython, and chooses
 * nothing, so the next one, with fds free, is the platform's best class again
 * (`Lib/selectors.py` picks `DefaultSelector` by `_can_use` at import, before any
 * table fills). Run in a child process whose RLIMIT_NOFILE is lowered by the
 * shell's `ulimit -n`, so that filling the table is quick and hurts nobody.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { DefaultSelector, EpollSelector, PollSelector } from "../../selectors/mod.ts";
import { NO_RLIMIT } from "../_kit/platform.ts";

/** Soft and hard RLIMIT_NOFILE of the child: room for the runtime, little more. */
const LIMIT = 256;

interface Attempt {
  made?: string;
  instance?: boolean;
  error?: string;
}

interface Report {
  prototypeBefore: { selectAsync: string; select: string; name: string };
  filled: string;
  whileFull: Attempt;
  stillFull: boolean;
  withRoom: Attempt;
  refilled: string;
  fullAgain: Attempt;
  fullAgainStillFull: boolean;
  afterwards: Attempt;
}

function runChild(): Promise<Report> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const child = fileURLToPath(new URL(`./_default_emfile_child${ext}`, import.meta.url));
  const runtimeArgs = "Deno" in globalThis ? ["run", "--allow-ffi", "--allow-env", child] : [
    child,
  ];
  const script = `ulimit -n ${LIMIT} && exec "$@"`;
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", script, "sh", process.execPath, ...runtimeArgs],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as Report);
      },
    );
  });
}

describe("DefaultSelector at EMFILE", () => {
  it("throws the OSError, caches no downgrade, and gives the best class once fds are free", {
    skip: NO_RLIMIT,
  }, async () => {
    const best = new DefaultSelector();
    const bestName = best.constructor.name;
    best.close();
    if (process.platform === "linux") assert.equal(bestName, "EpollSelector");
    // PollSelector and SelectSelector need no fd of their own: at EMFILE only the
    // mechanisms with a kernel object can fail, and those are what is under test.
    assert.ok(["EpollSelector", "KqueueSelector"].includes(bestName), bestName);

    const report = await runChild();
    // Before any selector is made, the prototype already has the best class's
    // methods (what the platform has is known without a system call).
    assert.deepEqual(report.prototypeBefore, {
      selectAsync: "function",
      select: "function",
      name: bestName,
    });
    // Premise: the table was full when the first DefaultSelector was made, and
    // still was after it failed (it left no fd behind).
    assert.equal(report.filled, "EMFILE");
    assert.equal(report.stillFull, true);
    assert.deepEqual(report.whileFull, { error: "EMFILE" });
    // With fds free again, the platform's best class, not a fallback.
    assert.deepEqual(report.withRoom, { made: bestName, instance: true });
    // Full again, after the class was chosen: EMFILE again, not a PollSelector.
    assert.equal(report.refilled, "EMFILE");
    assert.equal(report.fullAgainStillFull, true);
    assert.deepEqual(report.fullAgain, { error: "EMFILE" });
    assert.deepEqual(report.afterwards, { made: bestName, instance: true });
  });

  it("instances of the chosen class are DefaultSelectors, and others are not", () => {
    const sel = new DefaultSelector();
    try {
      assert.ok(sel instanceof DefaultSelector);
      assert.equal(Object.getPrototypeOf(sel), sel.constructor.prototype);
      assert.equal(DefaultSelector.name, sel.constructor.name);
      if (process.platform === "linux") {
        assert.ok(sel instanceof EpollSelector);
        const direct = new EpollSelector();
        assert.ok(direct instanceof DefaultSelector);
        direct.close();
      }
      assert.equal({} instanceof DefaultSelector, false);
      // The best class here is epoll's or kqueue's (the first test asserts it).
      const other = new PollSelector();
      assert.equal(other instanceof DefaultSelector, false);
      other.close();
    } finally {
      sel.close();
    }
  });

  it("a subclass's instanceof is its own", () => {
    class Mine extends DefaultSelector {}
    const mine = new Mine();
    const plain = new DefaultSelector();
    try {
      assert.ok(mine instanceof Mine);
      assert.ok(mine instanceof DefaultSelector);
      assert.equal(plain instanceof Mine, false);
    } finally {
      mine.close();
      plain.close();
    }
  });
});
