// Fault isolation: when the kernel refuses one owner's set, only that owner's wait
// fails; every other pending wait goes on. Run in a child process with a low
// RLIMIT_NOFILE (sh's ulimit), where poll(2) over more fds than the limit fails with
// EINVAL (Linux fs/select.c do_sys_poll).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { isLinux } from "../_kit/async.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";

function runFixture(...extra: string[]): Promise<string> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_fault_isolation_fixture${ext}`, import.meta.url));
  const args = "Deno" in globalThis ? ["run", "--allow-ffi", path, ...extra] : [path, ...extra];
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", 'ulimit -n 256 && exec "$@"', "sh", process.execPath, ...args],
      { timeout: 60_000 },
      (error, out, err) => error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    );
  });
}

describe("a set the kernel refuses fails its own wait only", { skip: POSIX_HARNESS }, () => {
  for (const set of isLinux ? ["epoll", "poll"] : ["poll"]) {
    it(`the other wait still ends with its event (${set} set)`, async () => {
      const { rb, waits } = JSON.parse(await runFixture(set));
      assert.deepEqual(waits, [
        ["rejected", "OSError", "EINVAL"],
        ["resolved", [[rb, 1]]],
      ]);
    });
  }
});
