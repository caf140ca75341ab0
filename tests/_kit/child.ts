/**
 * Child processes for the tests: shells that write into iomux pipes or signal this
 * process, and probes of what the machine has.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import process from "node:process";

/** A child process and a promise of its exit code. */
export interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
}

/**
 * Starts `sh -c script` with its stdout on `stdoutFd` (an iomux pipe end, which the
 * caller then closes), stdin and stderr left alone. `args` become `$0`, `$1`, ….
 */
export function spawnShell(
  script: string,
  stdoutFd: number | "ignore" = "ignore",
  ...args: string[]
): Child {
  const child = spawn("sh", ["-c", script, ...args], { stdio: ["ignore", stdoutFd, "inherit"] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve(code));
  });
  return { process: child, exited };
}

/** Whether `command` can be run here. */
export function haveCommand(command: string, ...args: string[]): boolean {
  const probe = spawnSync(command, args, { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Whether `fd` has O_CLOEXEC, read from the `flags` line of /proc/<pid>/fdinfo: by a
 * child process under Deno (which refuses /proc paths of its own process without
 * --allow-all), directly elsewhere (Bun closes a spawnSync's pipes some time after
 * it returns, which a leak check around the caller would count).
 */
export function isCloseOnExec(fd: number): boolean {
  const O_CLOEXEC = 0o2000000;
  const path = `/proc/${process.pid}/fdinfo/${fd}`;
  const out = "Deno" in globalThis
    ? spawnSync("cat", [path], { encoding: "utf8" })
    : { stdout: readFileSync(path, "utf8"), stderr: "" };
  const flags = /^flags:\s*([0-7]+)$/m.exec(out.stdout ?? "");
  assert.ok(flags, `no flags line for fd ${fd}: ${out.stderr}`);
  return (parseInt(flags[1]!, 8) & O_CLOEXEC) !== 0;
}
