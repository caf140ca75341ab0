// scripts/check_abi_xsys.ts, the second source for the macOS and FreeBSD tables
// (golang.org/x/sys's files, generated on each OS): a doctored x/sys tree shows that it
// reads constants and struct sizes and reports a difference; with XSYS_UNIX naming a
// real x/sys `unix/` directory, every table agrees with it. Deno only (the checker is a
// Deno script).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const script = fileURLToPath(new URL("../../scripts/check_abi_xsys.ts", import.meta.url));
const SUFFIXES = ["darwin_amd64", "darwin_arm64", "freebsd_amd64", "freebsd_arm64"];

interface Report {
  target: string;
  agree: number;
  absent: number;
  mismatches: string[];
}

function check(dir: string): { status: number | null; reports: Report[] } {
  const run = spawnSync(deno!.execPath(), ["run", "--allow-read", script, "--json", dir], {
    encoding: "utf8",
  });
  assert.ok(run.stdout.trim().length > 0, run.stderr);
  return { status: run.status, reports: JSON.parse(run.stdout) };
}

describe("ABI tables against golang.org/x/sys", {
  skip: deno ? false : "runs under Deno (the checker is a Deno script)",
}, () => {
  it("reads constants and struct sizes, and reports a value that differs", () => {
    const dir = mkdtempSync(join(tmpdir(), "iomux-xsys-"));
    try {
      for (const suffix of SUFFIXES) {
        // SOCK_STREAM is 1 everywhere: 2 must be reported; SO_REUSEADDR (4) agrees.
        writeFileSync(
          join(dir, `zerrors_${suffix}.go`),
          "const (\n\tSOCK_STREAM = 0x2\n\tSO_REUSEADDR = 0x4\n)\n",
        );
        const flag = suffix.startsWith("darwin") ? "uint64" : "uint32";
        writeFileSync(
          join(dir, `ztypes_${suffix}.go`),
          `type Termios struct {\n\tIflag ${flag}\n\tOflag ${flag}\n\tCflag ${flag}\n\tLflag ${flag}\n` +
            `\tCc [20]uint8\n\tIspeed ${flag}\n\tOspeed ${flag}\n}\n`,
        );
      }
      const { status, reports } = check(dir);
      assert.equal(status, 1);
      assert.equal(reports.length, 4);
      for (const r of reports) {
        assert.deepEqual(r.mismatches, ["SOCK_STREAM: iomux 1, x/sys 2"], r.target);
        assert.equal(r.agree, 2, `${r.target}: SO_REUSEADDR and sizeof(struct termios)`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every table agrees with a real x/sys tree", {
    skip: process.env.XSYS_UNIX && existsSync(process.env.XSYS_UNIX)
      ? false
      : "XSYS_UNIX does not name x/sys's unix/ directory here",
  }, () => {
    const { status, reports } = check(process.env.XSYS_UNIX!);
    for (const r of reports) {
      assert.deepEqual(r.mismatches, [], r.target);
      assert.ok(r.agree > 250, `${r.target}: ${r.agree} values compared`);
    }
    assert.equal(status, 0);
  });
});
