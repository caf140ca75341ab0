/**
 * Running one of the ABI checkers (`scripts/check_abi_*.ts`, Deno scripts that compile
 * against C headers with clang) from a test, and why it cannot run here.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { platformKey } from "../../ffi/abi.ts";

/** One target's report, as the checkers print it with `--json`. */
export interface CheckerReport {
  target: string;
  skipped?: string;
  checked?: number;
  declared?: Record<string, string>;
  mismatches?: string[];
}

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const hasClang = spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0;

/** The host's target name (`linux-x86_64`), the one always checked. */
export const HOST_TARGET: string = platformKey();

/** Why the checkers cannot run here, or `false`. */
export const CHECKER_SKIP: string | false = !deno
  ? "runs under Deno (the checker is a Deno script)"
  : !hasClang
  ? "clang is not installed (Debian: apt-get install clang)"
  : HOST_TARGET !== "linux-x86_64"
  ? `the host control needs linux-x86_64 headers, this is ${HOST_TARGET}`
  : false;

/** Runs `scripts/<name>` with `--json` and `args`: its exit status, stderr and reports. */
export function runChecker(
  name: string,
  ...args: string[]
): { status: number | null; stderr: string; reports: CheckerReport[] } {
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
  return { status: run.status, stderr: run.stderr, reports: JSON.parse(run.stdout) };
}
