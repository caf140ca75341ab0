// sendmsg/recvmsg's ABI entries (struct msghdr, iovec and cmsghdr, the CMSG_* alignment,
// the control-message header fields) against the target's own C headers: runs
// scripts/check_abi_msg.ts, which compiles with clang and never runs what it compiles.
// The host is always checked; the others when their header trees are named in the
// environment (LINUX_AARCH64_INCLUDE, XNU + APPLE_LIBC, FREEBSD_SRC). Skipped, saying
// why, where clang is not installed or the runtime is not Deno.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ABI_TABLES } from "../../ffi/abi.ts";
import { CHECKER_SKIP as skip, HOST as host, runChecker, runCheckerOn } from "../_kit/abi_check.ts";

interface Report {
  target: string;
  skipped?: string;
  checked?: number;
  mismatches?: string[];
}

function check(...args: string[]) {
  const run = runChecker<Report>("check_abi_msg.ts", ...args);
  assert.ok(run.reports.length > 0, run.stderr);
  return run;
}

describe("msghdr/cmsghdr ABI entries against C headers", () => {
  it("every target with headers at hand agrees with its table", { skip }, () => {
    const { status, reports } = check();
    const hostReport = reports.find((r) => r.target === host);
    assert.ok(hostReport && hostReport.checked! >= 22, "the host's values were compiled");
    for (const r of reports) {
      if (r.skipped) console.log(`${r.target}: skipped (${r.skipped})`);
      else assert.deepEqual(r.mismatches, [], r.target);
    }
    assert.equal(status, 0);
  });

  it("reports a wrong offset, a wrong alignment and a constant the headers lack", { skip }, () => {
    const msg = { ...ABI_TABLES[host]!.socket.msg!, control: 40, cmsgAlign: 4, cmsgType: 8 };
    const { status, reports } = runCheckerOn<Report>("check_abi_msg.ts", msg);
    assert.equal(status, 1);
    const text = reports[0]!.mismatches!.join("\n");
    assert.match(text, /msghdr\.control: iomux 40, C 32/);
    assert.match(text, /CMSG_SPACE\(1\): iomux 20, C 24/);
    assert.match(text, /cmsg_type.*: iomux 8, C 12/);
  });
});
