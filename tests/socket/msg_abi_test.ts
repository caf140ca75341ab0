// sendmsg/recvmsg's ABI entries (struct msghdr, iovec and cmsghdr, the CMSG_* alignment,
// SCM_RIGHTS/SCM_CREDENTIALS) against the target's own C headers: runs
// scripts/check_abi_msg.ts, which compiles with clang and never runs what it compiles.
// The host is always checked; the others when their header trees are named in the
// environment (LINUX_AARCH64_INCLUDE, XNU + APPLE_LIBC, FREEBSD_SRC). Skipped, saying
// why, where clang is not installed or the runtime is not Deno.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ABI_TABLES } from "../../ffi/abi.ts";
import { CHECKER_SKIP as skip, HOST as host, runChecker } from "../_kit/abi_checker.ts";

function check(...args: string[]) {
  const run = runChecker("check_abi_msg.ts", ...args);
  assert.ok(run.reports.length > 0, run.stderr);
  return run;
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
