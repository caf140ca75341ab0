/**
 * `DefaultSelector` picks its mechanism on first use. When that first use comes
 * while the process is out of fds, it raises `OSError` (EMFILE) instead of taking
 * the failure for "epoll is missing here" and settling on poll for good.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { abi } from "../../ffi/abi.ts";
import { haveCommand } from "../_select_helpers.ts";

const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
const fixture = fileURLToPath(new URL(`./_default_emfile_fixture${extension}`, import.meta.url));

function runUnderFdLimit(limit: number): Promise<string> {
  const runtime = "Deno" in globalThis ? ["run", "--allow-ffi", "--allow-env", fixture] : [fixture];
  const script = `ulimit -n ${limit} && exec "$@"`;
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", script, "sh", process.execPath, ...runtime],
      { timeout: 120_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe("DefaultSelector out of fds", () => {
  it(
    "raises EMFILE, then picks epoll once fds are free again",
    {
      skip: abi.os !== "linux"
        ? "epoll is Linux's"
        : haveCommand("sh", "-c", "ulimit -n 64")
        ? false
        : "no ulimit",
    },
    async () => {
      const report = JSON.parse(await runUnderFdLimit(64));
      assert.deepEqual(report, { first: "OSError EMFILE", second: "EpollSelector" });
    },
  );
});
