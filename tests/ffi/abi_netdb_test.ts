// The netdb ABI entries (struct addrinfo's layout, whose ai_addr and ai_canonname swap
// between glibc and the BSDs, and every AI_*, NI_* and EAI_* constant) against the
// target's own C headers: runs scripts/check_abi_netdb.ts, which compiles with clang and
// never runs what it compiles. The host is always checked; linux-aarch64, macOS and
// FreeBSD when their header trees are named in the environment.
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

const check = (...args: string[]) => runChecker<Report>("check_abi_netdb.ts", ...args);

describe("netdb ABI entries against C headers", () => {
  it("every target with headers at hand agrees with its table", { skip }, () => {
    const { status, reports } = check();
    const hostReport = reports.find((r) => r.target === host);
    assert.ok(hostReport && hostReport.checked! >= 40, "the host's values were compiled");
    for (const r of reports) {
      if (r.skipped) console.log(`${r.target}: skipped (${r.skipped})`);
      else assert.deepEqual(r.mismatches, [], r.target);
    }
    assert.equal(status, 0);
  });

  it("reports the BSD layout on glibc, a wrong constant and one the headers lack", { skip }, () => {
    const netdb = structuredClone(ABI_TABLES[host]!.netdb) as unknown as {
      addrinfo: Record<string, number>;
      constants: Record<string, number>;
    };
    netdb.addrinfo = { ...netdb.addrinfo, ...ABI_TABLES["freebsd-x86_64"]!.netdb.addrinfo };
    netdb.constants.AI_NUMERICSERV = 8;
    netdb.constants.EAI_BADHINTS = 12; // glibc has no EAI_BADHINTS
    const { status, reports } = runCheckerOn<Report>("check_abi_netdb.ts", netdb);
    assert.equal(status, 1);
    assert.deepEqual(reports[0]!.mismatches, [
      "offsetof(struct addrinfo, ai_addr): iomux 32, C 24",
      "offsetof(struct addrinfo, ai_canonname): iomux 24, C 32",
      "AI_NUMERICSERV: iomux 8, C 1024",
      "EAI_BADHINTS: the headers do not define it, the table says 12",
    ]);
  });
});
