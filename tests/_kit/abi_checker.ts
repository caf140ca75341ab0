/**
 * The ABI checkers of `scripts/` (`check_abi_symbols.ts`, `check_abi_devices.ts`,
 * `check_abi_msg.ts`) run from a test: when they can run here, and one run's exit
 * status, JSON reports and stderr.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { platformKey } from "../../ffi/abi.ts";

/** What every checker reports of one target (plus its own fields). */
export interface CheckerReport {
  target: string;
  skipped?: string;
  checked?: number;
  declared?: Record<string, string>;
  mismatches?: string[];
}

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const hasClang = spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0;

/** The platform whose own headers are the control (`linux-x86_64` here). */
export const HOST: string = platformKey();

/** Why the checkers are skipped here, or `false`. */
export const CHECKER_SKIP: string | false = !deno
  ? "runs under Deno (the checker is a Deno script)"
  : !hasClang
  ? "clang is not installed (Debian: apt-get install clang)"
  : HOST !== "linux-x86_64"
  ? `the host control needs linux-x86_64 headers, this is ${HOST}`
  : false;

/** Runs `scripts/<name>` with `--json` and `args`; its status, reports and stderr. */
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
  const stdout = run.stdout.trim();
  return { status: run.status, reports: stdout ? JSON.parse(stdout) : [], stderr: run.stderr };
}
