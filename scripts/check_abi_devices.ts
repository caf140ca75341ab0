/**
 * Checks each ABI table's device-toolkit entries (`abi.devices`: the `struct termios`
 * layout, the `posix_spawn` object sizes, the `POSIX_SPAWN_*` and `waitpid` values,
 * every `termios` and `fcntl` constant) against the target's C headers, by compiling
 * (never running) a C file whose data holds each value, with the targets and
 * header trees of `scripts/check_abi_symbols.ts` (same environment variables).
 *
 * A constant the headers do not define must be 0 in the table, except the aliases
 * CPython defines itself (`VSWTCH`, from `VSWTC`, in `Modules/termios.c`).
 *
 * Usage: deno run --allow-read --allow-write --allow-run --allow-env \
 *          scripts/check_abi_devices.ts [--json] [--target os-arch [--table devices.json]]
 * (`--table`: a `DevicesAbi` as JSON instead of the shipped one, to show that a
 * wrong entry is caught.)
 * Exit status 1 when anything differs, 2 when no compiler is found.
 *
 * @module
 */
import { ABI_TABLES } from "../ffi/abi.ts";
import type { DevicesAbi } from "../ffi/abi/devices_types.ts";
import { ABSENT, compareCompiled, constantEntry, type Entry, HEADERS } from "./_abi_clang.ts";
import { runChecks } from "./_abi_cli.ts";

/** One target's outcome. */
export interface DevicesReport {
  readonly target: string;
  /** How many values were compared. */
  readonly checked: number;
  readonly mismatches: readonly string[];
}

/** Names CPython defines where the headers do not, with the value it gives them. */
const CPYTHON_ALIASES: Readonly<Record<string, string>> = { VSWTCH: "VSWTC" };

/** `[label, C expression, table value]` for everything to compare. */
function entries(d: DevicesAbi): Entry[] {
  const t = d.termios;
  const out: Entry[] = [
    ["sizeof(struct termios)", "sizeof(struct termios)", t.size],
    ["c_iflag offset", "offsetof(struct termios, c_iflag)", t.iflag],
    ["c_oflag offset", "offsetof(struct termios, c_oflag)", t.oflag],
    ["c_cflag offset", "offsetof(struct termios, c_cflag)", t.cflag],
    ["c_lflag offset", "offsetof(struct termios, c_lflag)", t.lflag],
    ["c_cc offset", "offsetof(struct termios, c_cc)", t.cc],
    ["sizeof(tcflag_t)", "sizeof(tcflag_t)", t.flagBytes],
    [
      "sizeof(posix_spawn_file_actions_t)",
      "sizeof(posix_spawn_file_actions_t)",
      d.posixSpawnFileActionsSize,
    ],
    ["sizeof(posix_spawnattr_t)", "sizeof(posix_spawnattr_t)", d.posixSpawnattrSize],
    ["sizeof(sigset_t)", "sizeof(sigset_t)", d.sigsetSize],
  ];
  const constant = constantEntry;
  for (const [flag, value] of Object.entries(d.spawnFlags)) {
    out.push(constant(`POSIX_SPAWN_${flag}`, value));
  }
  for (const [name, value] of Object.entries(d.wait)) out.push(constant(name, value));
  for (const [name, value] of Object.entries(d.termiosConstants)) out.push(constant(name, value));
  for (const [name, value] of Object.entries(d.fcntlConstants)) out.push(constant(name, value));
  return out;
}

const PRELUDE = [...HEADERS, "fcntl.h", "sys/file.h"].map((h) =>
  `#if __has_include(<${h}>)\n#include <${h}>\n#endif`
);

/** Compiles the values of `devices` with `flags` and compares them with the table. */
export function checkDevices(
  target: string,
  devices: DevicesAbi,
  flags: readonly string[],
): DevicesReport {
  const list = entries(devices);
  const mismatches = compareCompiled(target, flags, PRELUDE, list, (name, compiled) => {
    const alias = CPYTHON_ALIASES[name];
    const aliased = alias === undefined ? undefined : compiled.get(alias);
    return aliased === undefined || aliased === ABSENT ? 0 : Number(aliased);
  });
  return { target, checked: list.length, mismatches };
}

if (import.meta.main) {
  runChecks(
    (target) => ABI_TABLES[target]!.devices,
    checkDevices,
    (report) =>
      `${report.target}: ${report.checked} values checked, ${report.mismatches.length} mismatches`,
  );
}
