// Runs one of the project's ABI checkers (scripts/check_abi_*.ts: each compiles the
// target's own C headers with clang and never runs what it compiles) and reads its
// JSON reports. The checkers are Deno scripts and the host control needs
// linux-x86_64 headers, so `checkerSkip` says why a test cannot run elsewhere.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { platformKey } from "../../ffi/abi.ts";

/** One target's report, as every checker prints it with `--json`. */
export interface CheckerReport {
  target: string;
  skipped?: string;
  mismatches?: string[];
  [more: string]: unknown;
}

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const hasClang = spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0;

/** The host's platform key (`linux-x86_64`, …). */
export const host: string = platformKey();

/** Why a checker cannot run here, or `false`. */
export const checkerSkip: string | false = !deno
  ? "runs under Deno (the checker is a Deno script)"
  : !hasClang
  ? "clang is not installed (Debian: apt-get install clang)"
  : host !== "linux-x86_64"
  ? `the host control needs linux-x86_64 headers, this is ${host}`
  : false;

/** Runs `scripts/<name>` with `--json` and `args`: its exit status, its reports and what it wrote to stderr. */
export function runChecker(
  name: string,
  ...args: string[]
): { status: number | null; reports: CheckerReport[]; stderr: string } {
  const script = fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));
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
  return { status: run.status, reports: JSON.parse(run.stdout), stderr: run.stderr };
}

/** Runs `scripts/<name>` on the host against `table` (a doctored copy) written to a temporary file. */
export function runCheckerOn(
  name: string,
  table: unknown,
): { status: number | null; reports: CheckerReport[] } {
  const dir = mkdtempSync(join(tmpdir(), "iomux-abi-"));
  try {
    const path = join(dir, "table.json");
    writeFileSync(path, JSON.stringify(table));
    return runChecker(name, "--target", host, "--table", path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
