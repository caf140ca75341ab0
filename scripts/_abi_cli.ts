/**
 * The command line every ABI checker shares (`--target`, `--table`, `--json`), run
 * to the end: each target checked or reported skipped, the overlays removed, the exit
 * status set.
 *
 * @module
 */
import { clang, compilerAvailable } from "./_abi_clang.ts";
import { removeOverlays, targetFlags } from "./_abi_targets.ts";

/** The value after `--name` on the command line, if any. */
function option(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i < 0 ? undefined : Deno.args[i + 1];
}

/** What every checker reports of one target. */
export interface CheckReport {
  readonly target: string;
  readonly mismatches: readonly string[];
}

/**
 * The command line both ABI checkers share, run to the end: `--target NAME` checks one
 * target only, `--table FILE` checks a table read from JSON instead of the shipped one
 * (how a test shows that a wrong entry is caught), `--json` prints the reports as JSON
 * instead of `summary` lines. Targets whose headers are missing are reported skipped.
 * The header overlays are removed, and the process exits 1 on any mismatch (2 without
 * clang). `flagsFor` gives the targets and their flags (default: {@linkcode targetFlags}).
 */
export function runChecks<T, R extends CheckReport>(
  shipped: (target: string) => T,
  check: (target: string, table: T, flags: string[]) => R,
  summary: (report: R) => string,
  jsonIndent?: number,
  flagsFor: typeof targetFlags = targetFlags,
): never {
  if (!compilerAvailable()) {
    console.error(`${clang()} not found: install clang (Debian: apt-get install clang)`);
    Deno.exit(2);
  }
  const json = Deno.args.includes("--json");
  const only = option("target");
  const tablePath = option("table");
  const reports: (R | { target: string; skipped: string })[] = [];
  let failed = false;
  try {
    for (const [target, how] of Object.entries(flagsFor((n) => Deno.env.get(n)))) {
      if (only !== undefined && target !== only) continue;
      if ("skip" in how) {
        reports.push({ target, skipped: how.skip });
        if (!json) console.log(`${target}: skipped (${how.skip})`);
        continue;
      }
      const table: T = tablePath === undefined
        ? shipped(target)
        : JSON.parse(Deno.readTextFileSync(tablePath));
      const report = check(target, table, how.flags);
      reports.push(report);
      failed ||= report.mismatches.length > 0;
      if (!json) {
        console.log(summary(report));
        for (const m of report.mismatches) console.log(`  ${m}`);
      }
    }
  } finally {
    removeOverlays();
  }
  if (json) console.log(JSON.stringify(reports, null, jsonIndent));
  Deno.exit(failed ? 1 : 0);
}
