// The device toolkit's ABI entries (struct termios layout, posix_spawn object sizes,
// POSIX_SPAWN_* and waitpid values, every termios and fcntl constant) against the
// target's own C headers: runs scripts/check_abi_devices.ts, which compiles with clang
// and never runs what it compiles. The host is always checked; macOS and FreeBSD when
// their header trees are named in the environment (XNU + APPLE_LIBC, FREEBSD_SRC).
// Skipped, saying why, where clang is not installed or the runtime is not Deno.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ABI_TABLES } from "../../ffi/abi.ts";
import { CHECKER_SKIP as skip, HOST as host, runChecker } from "../_kit/abi_checker.ts";

function check(...args: string[]) {
  const run = runChecker("check_abi_devices.ts", ...args);
  assert.ok(run.reports.length > 0, run.stderr);
  return run;
}

describe("device ABI entries against C headers", () => {
  it("every target with headers at hand agrees with its table", { skip }, () => {
    const { status, reports } = check();
    const hostReport = reports.find((r) => r.target === host);
    assert.ok(hostReport && hostReport.checked! > 250, "the host's values were compiled");
    for (const r of reports) {
      if (r.skipped) console.log(`${r.target}: skipped (${r.skipped})`);
      else assert.deepEqual(r.mismatches, [], r.target);
    }
    assert.equal(status, 0);
  });

  it("reports a wrong layout, a wrong constant and a constant the headers lack", { skip }, () => {
    const devices = structuredClone(ABI_TABLES[host]!.devices) as unknown as {
      termios: { cc: number };
      termiosConstants: Record<string, number>;
      fcntlConstants: Record<string, number>;
    };
    devices.termios.cc = 16;
    devices.termiosConstants.TIOCGWINSZ = 0x1234;
    devices.fcntlConstants.F_GETFD = 99;
    devices.termiosConstants.VSWTCH = 99; // glibc lacks it; CPython makes it VSWTC (7)
    const dir = mkdtempSync(join(tmpdir(), "iomux-devices-abi-"));
    try {
      const path = join(dir, "devices.json");
      writeFileSync(path, JSON.stringify(devices));
      const { status, reports } = check("--target", host, "--table", path);
      assert.equal(status, 1);
      const text = reports[0]!.mismatches!.join("\n");
      assert.match(text, /c_cc offset: iomux 16, C 17/);
      assert.match(text, /TIOCGWINSZ: iomux 4660, C 21523/);
      assert.match(text, /F_GETFD: iomux 99, C 1/);
      assert.match(text, /VSWTCH: the headers do not define it, the table says 99/);
      assert.equal(reports[0]!.mismatches!.length, 4);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
