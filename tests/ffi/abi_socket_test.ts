// The socket entries of every ABI table (each socket constant, struct sockaddr_nl)
// against the target's own C headers: runs scripts/check_abi_socket.ts, which compiles
// with clang and never runs what it compiles. The host is always checked; macOS,
// FreeBSD, Linux aarch64 and Windows (mingw-w64) when their headers are at hand.
// Skipped, saying why, where clang is not installed or the runtime is not Deno.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ABI_TABLES } from "../../ffi/abi.ts";
import { CHECKER_SKIP, HOST, runChecker, runCheckerOn } from "../_kit/abi_check.ts";

interface Report {
  target: string;
  skipped?: string;
  checked?: number;
  mismatches?: string[];
}

describe("socket ABI entries against C headers", { skip: CHECKER_SKIP }, () => {
  it("every target with headers at hand agrees with its table", () => {
    const { status, reports } = runChecker<Report>("check_abi_socket.ts");
    const own = reports.find((r) => r.target === HOST);
    assert.ok(own && own.checked! > 180, "the host's values were compiled");
    for (const r of reports) {
      if (r.skipped) console.log(`${r.target}: skipped (${r.skipped})`);
      else assert.deepEqual(r.mismatches, [], r.target);
    }
    assert.deepEqual(reports.map((r) => r.target).sort(), Object.keys(ABI_TABLES).sort());
    assert.equal(status, 0);
  });

  it("reports a wrong constant, a constant the headers lack and a wrong sockaddr_nl", () => {
    const socket = structuredClone(ABI_TABLES[HOST]!.socket) as unknown as {
      constants: Record<string, number>;
      sockaddrNl: { size: number; pid: number; groups: number };
    };
    socket.constants.NETLINK_ROUTE = 9;
    socket.constants.TCP_KEEPIDLE = 99;
    socket.constants.SO_NOSIGPIPE = 7; // Linux has none
    socket.constants.SOL_UDP = 0; // glibc has none; CPython makes it 17
    socket.sockaddrNl.groups = 12;
    const { status, reports } = runCheckerOn<Report>("check_abi_socket.ts", socket);
    assert.equal(status, 1);
    const text = reports[0]!.mismatches!.join("\n");
    assert.match(text, /NETLINK_ROUTE: iomux 9, C 0/);
    assert.match(text, /TCP_KEEPIDLE: iomux 99, C 4/);
    assert.match(text, /SO_NOSIGPIPE: the headers do not define it, the table says 7/);
    assert.match(text, /SOL_UDP: the headers do not define it, the table says 0/);
    assert.match(text, /nl_groups offset: iomux 12, C 8/);
    assert.equal(reports[0]!.mismatches!.length, 5);
  });
});
