/**
 * The ABI checkers of `scripts/` (`check_abi_symbols.ts`, `check_abi_devices.ts`,
 * `check_abi_socket.ts`) as a test runs them: a Deno child with `--json`, and why
 * that cannot run here (not Deno, no clang, a host other than the Linux x86_64 control).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { platformKey } from "../../ffi/abi.ts";

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const hasClang = spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0;

/** The host's `os-arch`, the control every checker always compiles. */
export const HOST: string = platformKey();

/** Why the checkers cannot run here, or `false`. */
export const CHECKER_SKIP: string | false = !deno
  ? "runs under Deno (the checker is a Deno script)"
  : !hasClang
  ? "clang is not installed (Debian: apt-get install clang)"
  : HOST !== "linux-x86_64"
  ? `the host control needs linux-x86_64 headers, this is ${HOST}`
  : false;

/** Runs `scripts/<name>` with `--json` and `args`: its exit status, stderr and reports. */
export function runChecker<R>(
  name: string,
  ...args: string[]
): { status: number | null; stderr: string; reports: R[] } {
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
  if (run.stdout.trim() === "") throw new Error(`${name} printed nothing: ${run.stderr}`);
  return { status: run.status, stderr: run.stderr, reports: JSON.parse(run.stdout) };
}

/** Runs `scripts/<name>` on the host against `table` (a doctored copy), written to a temporary file. */
export function runCheckerOn<R>(
  name: string,
  table: unknown,
): { status: number | null; stderr: string; reports: R[] } {
  const dir = mkdtempSync(join(tmpdir(), "iomux-abi-"));
  try {
    const path = join(dir, "table.json");
    writeFileSync(path, JSON.stringify(table));
    return runChecker<R>(name, "--target", HOST, "--table", path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
