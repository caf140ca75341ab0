/**
 * Checks each ABI table's socket entries (`abi.socket`: every `socket` constant and
 * the `struct sockaddr_nl` layout) against the target's C headers, by compiling
 * (never running) a C file whose data holds each value, with the targets and header
 * trees of `scripts/check_abi_symbols.ts` (same environment variables), plus Windows
 * from the mingw-w64 headers (`MINGW_INCLUDE`, default `/usr/share/mingw-w64/include`;
 * Debian: `apt-get install mingw-w64-x86-64-dev`).
 *
 * The headers are included as `Modules/socketmodule.c` and `socketmodule.h` include
 * them: `__APPLE_USE_RFC_3542` on macOS (the RFC 3542 `IPV6_*` values),
 * `linux/netlink.h` on Linux, and on Windows the `#define IPPROTO_X IPPROTO_X` lines
 * that make Winsock's enum visible to `#ifdef`. A constant the headers do not define
 * must be 0 in the table, except where CPython defines a fallback itself
 * (`SOL_IP` 0, `SOL_TCP` 6, `SOL_UDP` 17, `IPPROTO_ICMP` 1, `IPPROTO_RAW` 255,
 * `IPPORT_RESERVED` 1024, `IPPORT_USERRESERVED` 5000, `SHUT_RD`/`SHUT_WR`/`SHUT_RDWR` 0/1/2:
 * `socket_exec`'s `#else` arms). Windows is compiled for Windows 10 (`_WIN32_WINNT`
 * 0x0A00), the oldest version CPython 3.13 supports.
 *
 * Usage: deno run --allow-read --allow-write --allow-run --allow-env \
 *          scripts/check_abi_socket.ts [--json] [--target os-arch [--table socket.json]]
 * (`--table`: a `SocketAbi` as JSON instead of the shipped one, to show that a wrong
 * entry is caught.) Exit status 1 when anything differs, 2 when no compiler is found.
 *
 * @module
 */
import { ABI_TABLES } from "../ffi/abi.ts";
import type { SocketAbi } from "../ffi/abi/socket_types.ts";
import { compareCompiled, constantEntry, type Entry } from "./_abi_clang.ts";
import { runChecks } from "./_abi_cli.ts";
import { type TargetFlags, targetFlags } from "./_abi_targets.ts";

/** One target's outcome. */
export interface SocketReport {
  readonly target: string;
  /** How many values were compared. */
  readonly checked: number;
  readonly mismatches: readonly string[];
}

/** `socket_exec`'s `#else` arms: names CPython defines where the headers do not. */
const CPYTHON_FALLBACKS: Readonly<Record<string, number>> = {
  SOL_IP: 0,
  SOL_TCP: 6,
  SOL_UDP: 17,
  IPPROTO_ICMP: 1,
  IPPROTO_RAW: 255,
  IPPORT_RESERVED: 1024,
  IPPORT_USERRESERVED: 5000,
  // Winsock's SD_RECEIVE, SD_SEND, SD_BOTH have these values too.
  SHUT_RD: 0,
  SHUT_WR: 1,
  SHUT_RDWR: 2,
};

const POSIX_HEADERS = [
  "sys/types.h",
  "sys/socket.h",
  "sys/un.h",
  "netinet/in.h",
  "netinet/tcp.h",
  "asm/types.h",
  "linux/netlink.h",
];

/** Modules/socketmodule.c's own defines for Winsock's IPPROTO enum (bpo-29515). */
const WINDOWS_IPPROTO = [
  "ICMP",
  "IGMP",
  "GGP",
  "TCP",
  "PUP",
  "UDP",
  "IDP",
  "ND",
  "RAW",
  "MAX",
  "HOPOPTS",
  "IPV4",
  "IPV6",
  "ROUTING",
  "FRAGMENT",
  "ESP",
  "AH",
  "ICMPV6",
  "NONE",
  "DSTOPTS",
  "EGP",
  "PIM",
  "ICLFXBM",
  "ST",
  "CBT",
  "IGP",
  "RDP",
  "PGM",
  "L2TP",
  "SCTP",
];

function prelude(target: string): string[] {
  if (target.startsWith("windows")) {
    return [
      "#include <winsock2.h>",
      "#include <ws2tcpip.h>",
      "#include <mstcpip.h>",
      "#include <mswsock.h>",
      // mingw-w64 defines some as macros already; those keep their value.
      ...WINDOWS_IPPROTO.map((p) =>
        `#ifndef IPPROTO_${p}\n#define IPPROTO_${p} IPPROTO_${p}\n#endif`
      ),
    ];
  }
  const lines = POSIX_HEADERS.map((h) => `#if __has_include(<${h}>)\n#include <${h}>\n#endif`);
  return target.startsWith("darwin") ? ["#define __APPLE_USE_RFC_3542 1", ...lines] : lines;
}

/** `[label, C expression, table value]` for everything to compare. */
function entries(target: string, socket: SocketAbi): Entry[] {
  const out: Entry[] = [];
  for (const [name, value] of Object.entries(socket.constants)) {
    out.push(constantEntry(name, value));
  }
  const nl = socket.sockaddrNl;
  if (nl !== null) {
    out.push(
      ["sizeof(struct sockaddr_nl)", "sizeof(struct sockaddr_nl)", nl.size],
      ["nl_pid offset", "offsetof(struct sockaddr_nl, nl_pid)", nl.pid],
      ["nl_groups offset", "offsetof(struct sockaddr_nl, nl_groups)", nl.groups],
    );
  } else if (!target.startsWith("windows")) {
    // No layout in the table: the headers must not declare the struct either.
    out.push([
      "struct sockaddr_nl declared",
      "\n#ifdef NETLINK_ROUTE\n  1\n#else\n  0\n#endif\n",
      0,
    ]);
  }
  return out;
}

/** Compiles the values of `socket` with `flags` and compares them with the table. */
export function checkSocket(
  target: string,
  socket: SocketAbi,
  flags: readonly string[],
): SocketReport {
  const list = entries(target, socket);
  const mismatches = compareCompiled(
    target,
    flags,
    prelude(target),
    list,
    (name) => CPYTHON_FALLBACKS[name] ?? 0,
  );
  return { target, checked: list.length, mismatches };
}

/** The shared `targetFlags` (`_abi_targets.ts`), and Windows from the mingw-w64 headers. */
export function socketTargetFlags(
  env: (name: string) => string | undefined,
): Record<string, TargetFlags> {
  const mingw = env("MINGW_INCLUDE") ?? "/usr/share/mingw-w64/include";
  let present = false;
  try {
    present = Deno.statSync(`${mingw}/ws2tcpip.h`).isFile;
  } catch {
    // absent: the target is skipped below
  }
  const out = targetFlags(env);
  for (const [target, triple] of [["windows-x86_64", "x86_64"], ["windows-aarch64", "aarch64"]]) {
    out[target!] = present
      ? {
        flags: [`--target=${triple}-w64-mingw32`, "-D_WIN32_WINNT=0x0A00", "-isystem", mingw],
      }
      : { skip: `no mingw-w64 headers in ${mingw} (Debian: mingw-w64-x86-64-dev)` };
  }
  return out;
}

if (import.meta.main) {
  runChecks(
    (target) => ABI_TABLES[target]!.socket,
    checkSocket,
    (report) =>
      `${report.target}: ${report.checked} values checked, ${report.mismatches.length} mismatches`,
    undefined,
    socketTargetFlags,
  );
}
