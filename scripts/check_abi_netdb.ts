/**
 * Checks each ABI table's `netdb` entries (`abi.netdb`: the `struct addrinfo` layout
 * and every `AI_*`, `NI_*` and `EAI_*` constant) against the target's C headers, by
 * compiling (never running) a C file whose data holds each value, with the targets and
 * header trees of `scripts/check_abi_symbols.ts` (same environment variables). A
 * constant the headers do not define must be 0 in the table.
 *
 * Usage: deno run --allow-read --allow-write --allow-run --allow-env \
 *          scripts/check_abi_netdb.ts [--json] [--target os-arch [--table netdb.json]]
 * (`--table`: a `NetdbAbi` as JSON instead of the shipped one, to show that a wrong
 * entry is caught.) Exit status 1 when anything differs, 2 when no compiler is found.
 *
 * @module
 */
import { ABI_TABLES } from "../ffi/abi.ts";
import type { NetdbAbi } from "../ffi/abi/netdb_types.ts";
import {
  compareCompiled,
  constantEntry as constant,
  type Entry as ValueCheck,
  HEADERS,
} from "./_abi_clang.ts";
import { runChecks } from "./_abi_cli.ts";

const PRELUDE = HEADERS.map((h) => `#if __has_include(<${h}>)\n#include <${h}>\n#endif`);

/** One target's outcome. */
export interface NetdbReport {
  readonly target: string;
  /** How many values were compared. */
  readonly checked: number;
  readonly mismatches: readonly string[];
}

/** `[label, C expression, table value]` for everything to compare. */
function entries(netdb: NetdbAbi): ValueCheck[] {
  const a = netdb.addrinfo;
  const field = (name: keyof typeof a, value: number): ValueCheck => {
    const expression = `offsetof(struct addrinfo, ai_${name})`;
    return [expression, expression, value];
  };
  return [
    ["sizeof(struct addrinfo)", "sizeof(struct addrinfo)", a.size],
    ...([
      "flags",
      "family",
      "socktype",
      "protocol",
      "addrlen",
      "addr",
      "canonname",
      "next",
    ] as const)
      .map((name) => field(name, a[name])),
    ...Object.entries(netdb.constants).map(([name, value]) => constant(name, value)),
  ];
}

/** Compiles the values of `netdb` with `flags` and compares them with the table. */
export function checkNetdb(target: string, netdb: NetdbAbi, flags: readonly string[]): NetdbReport {
  const list = entries(netdb);
  // A constant the headers lack must be 0 in the table.
  const mismatches = compareCompiled(target, flags, PRELUDE, list, () => 0);
  return { target, checked: list.length, mismatches };
}

if (import.meta.main) {
  runChecks(
    (target) => ABI_TABLES[target]!.netdb,
    checkNetdb,
    (report) =>
      `${report.target}: ${report.checked} values checked, ${report.mismatches.length} mismatches`,
  );
}
