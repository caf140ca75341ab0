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
import type { NetdbAbi } from "../ffi/abi/types.ts";
import { compile, dataWords, HEADERS, runChecks } from "./check_abi_symbols.ts";

/** One target's outcome. */
export interface NetdbReport {
  readonly target: string;
  /** How many values were compared. */
  readonly checked: number;
  readonly mismatches: readonly string[];
}

/** Marks a constant the headers lack (no real constant has this value). */
const ABSENT = "-9223372036854775807";

/** `[label, C expression, table value]` for everything to compare. */
function entries(netdb: NetdbAbi): [string, string, number][] {
  const a = netdb.addrinfo;
  const field = (name: string, value: number): [string, string, number] => [
    `offsetof(struct addrinfo, ai_${name})`,
    `offsetof(struct addrinfo, ai_${name})`,
    value,
  ];
  return [
    ["sizeof(struct addrinfo)", "sizeof(struct addrinfo)", a.size],
    field("flags", a.flags),
    field("family", a.family),
    field("socktype", a.socktype),
    field("protocol", a.protocol),
    field("addrlen", a.addrlen),
    field("addr", a.addr),
    field("canonname", a.canonname),
    field("next", a.next),
    ...Object.entries(netdb.constants).map(([name, value]): [string, string, number] => [
      name,
      `\n#ifdef ${name}\n  (long long)(${name})\n#else\n  ${ABSENT}LL\n#endif\n`,
      value,
    ]),
  ];
}

function source(list: readonly [string, string, number][]): string {
  const includes = HEADERS.map((h) => `#if __has_include(<${h}>)\n#include <${h}>\n#endif`);
  return [
    ...includes,
    "#include <stddef.h>",
    "long long iomux_netdb[] = {",
    ...list.map(([, expr]) => `  ${expr},`),
    "};",
    "",
  ].join("\n");
}

/** Compiles the values of `netdb` with `flags` and compares them with the table. */
export function checkNetdb(target: string, netdb: NetdbAbi, flags: readonly string[]): NetdbReport {
  const list = entries(netdb);
  const result = compile(flags, source(list));
  if (!result.ok) throw new Error(`${target}: the check does not compile:\n${result.stderr}`);
  const words = dataWords(result.stdout);
  if (words.length !== list.length) {
    throw new Error(`${target}: ${words.length} values compiled for ${list.length} asked`);
  }
  const mismatches: string[] = [];
  list.forEach(([name, , ours], i) => {
    const word = words[i]!;
    if (word === ABSENT) {
      if (ours !== 0) {
        mismatches.push(`${name}: the headers do not define it, the table says ${ours}`);
      }
    } else if (BigInt(word) !== BigInt(ours)) {
      mismatches.push(`${name}: iomux ${ours}, C ${word}`);
    }
  });
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
