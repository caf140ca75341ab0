// Each ABI table's symbol names and struct pollfd layout against the target's own C
// headers: runs scripts/check_abi_symbols.ts, which compiles with clang and never runs
// what it compiles. The host's headers are always checked; other targets when their
// header trees are named in the environment (see the script). Skipped, saying why,
// where clang is not installed or the runtime is not Deno (the script is a Deno one).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ABI_TABLES } from "../../ffi/abi.ts";
import { CHECKER_SKIP as skip, HOST as host, runChecker } from "../_kit/abi_checker.ts";

/** Runs the checker; its exit status and its JSON reports. */
function check(...args: string[]) {
  const run = runChecker("check_abi_symbols.ts", ...args);
  assert.equal(run.stderr, "", "the checker ran cleanly");
  return run;
}

describe("ABI tables against C headers", { skip }, () => {
  it("every target with headers at hand binds what its C programs call", () => {
    const { status, reports } = check();
    const checked = reports.filter((r) => r.skipped === undefined);
    for (const r of checked) assert.deepEqual(r.mismatches, [], r.target);
    assert.equal(status, 0);
    // Premise: the host was compiled and its headers seen (required symbols resolved).
    const own = checked.find((r) => r.target === host)!;
    for (const name of ["select", "poll", "read", "recv", "epoll_wait", "__errno_location"]) {
      assert.equal(own.declared![name], name);
    }
    const intelMac = checked.find((r) => r.target === "darwin-x86_64");
    if (intelMac) assert.equal(intelMac.declared!.select, "select$1050");
    const armMac = checked.find((r) => r.target === "darwin-aarch64");
    if (armMac) assert.equal(armMac.declared!.select, "select");
    const skipped = reports.filter((r) => r.skipped !== undefined).map((r) => r.target);
    assert.deepEqual(
      [...checked.map((r) => r.target), ...skipped].sort(),
      // The checker compiles against Unix headers; the Windows tables are checked
      // against winsock2.h's values in tests/windows/abi_test.ts.
      Object.keys(ABI_TABLES).filter((k) => !k.startsWith("windows-")).sort(),
    );
  });

  it("reports a wrong symbol name, a wrong pollfd offset and a wrong feature flag", () => {
    const table = ABI_TABLES[host]!;
    const doctored = {
      ...table,
      symbolNames: { read: "read$1050" },
      pollfd: { ...table.pollfd, revents: 4 },
      hasPipe2: false,
    };
    const dir = mkdtempSync(join(tmpdir(), "iomux-abi-"));
    try {
      const path = join(dir, "abi.json");
      writeFileSync(path, JSON.stringify(doctored));
      const { status, reports } = check("--target", host, "--table", path);
      assert.equal(status, 1);
      const mismatches = reports[0]!.mismatches!.join("\n");
      assert.equal(reports[0]!.mismatches!.length, 3, mismatches);
      assert.match(mismatches, /read: iomux binds read\$1050, C programs call read/);
      assert.match(mismatches, /struct pollfd/);
      assert.match(mismatches, /hasPipe2 says false, but pipe2 is declared/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
