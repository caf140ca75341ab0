// sendmsg/recvmsg's ABI entries (struct msghdr, iovec and cmsghdr, the CMSG_* alignment,
// SCM_RIGHTS/SCM_CREDENTIALS) against the target's own C headers: runs
// scripts/check_abi_msg.ts, which compiles with clang and never runs what it compiles.
// The host is always checked; the others when their header trees are named in the
// environment (LINUX_AARCH64_INCLUDE, XNU + APPLE_LIBC, FREEBSD_SRC). Skipped, saying
// why, where clang is not installed or the runtime is not Deno.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ABI_TABLES, platformKey } from "../../ffi/abi.ts";

interface Report {
  target: string;
  skipped?: string;
  checked?: number;
  mismatches?: string[];
}

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const script = fileURLToPath(new URL("../../scripts/check_abi_msg.ts", import.meta.url));
const hasClang = spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0;
const host = platformKey();
const skip = !deno
  ? "runs under Deno (the checker is a Deno script)"
  : !hasClang
  ? "clang is not installed (Debian: apt-get install clang)"
  : host !== "linux-x86_64"
  ? `the host control needs linux-x86_64 headers, this is ${host}`
  : false;

function check(...args: string[]): { status: number | null; reports: Report[] } {
  const run = spawnSync(deno!.execPath(), [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env",
    script,
    "--json",
    ...args,
  ], { encoding: "utf8" });
  assert.ok(run.stdout.trim().length > 0, run.stderr);
  return { status: run.status, reports: JSON.parse(run.stdout) };
}

describe("msghdr/cmsghdr ABI entries against C headers", () => {
  it("every target with headers at hand agrees with its table", { skip }, () => {
    const { status, reports } = check();
    const hostReport = reports.find((r) => r.target === host);
    assert.ok(hostReport && hostReport.checked! >= 24, "the host's values were compiled");
    for (const r of reports) {
      if (r.skipped) console.log(`${r.target}: skipped (${r.skipped})`);
      else assert.deepEqual(r.mismatches, [], r.target);
    }
    assert.equal(status, 0);
  });

  it("reports a wrong offset, a wrong alignment and a constant the headers lack", { skip }, () => {
    const msg = { ...ABI_TABLES[host]!.socket.msg!, control: 40, cmsgAlign: 4, SCM_CREDENTIALS: 0 };
    const dir = mkdtempSync(join(tmpdir(), "iomux-msg-abi-"));
    try {
      const path = join(dir, "msg.json");
      writeFileSync(path, JSON.stringify(msg));
      const { status, reports } = check("--target", host, "--table", path);
      assert.equal(status, 1);
      const text = reports[0]!.mismatches!.join("\n");
      assert.match(text, /msghdr\.control: iomux 40, C 32/);
      assert.match(text, /CMSG_SPACE\(1\): iomux 20, C 24/);
      assert.match(text, /SCM_CREDENTIALS: iomux 0, C 2/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
