/**
 * CPython as the oracle: whether python3 is here, and a script's JSON answer. The
 * parity tests run the same thing in both and compare; without python3 they skip.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { haveCommand } from "./child.ts";

/** Whether `python3` runs here and `check` succeeds in it (the parity checks skip without). */
export function hasPython(check = "import select"): boolean {
  return haveCommand("python3", "-c", check);
}

/**
 * Runs `python3 -c script ...args`, with `input` on its stdin, and parses the JSON it
 * prints; throws with python3's stderr if it fails.
 */
export function pythonJson<T>(script: string, args: string[] = [], input?: string): T {
  const r = spawnSync("python3", ["-c", script, ...args], {
    ...(input === undefined ? {} : { input }),
    encoding: "utf8",
    maxBuffer: 256 << 20,
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
