/**
 * Checks each ABI table's `socket.msg` entry (`struct msghdr`, `struct iovec`,
 * `struct cmsghdr`, the `CMSG_*` alignment; `SCM_*` are socket constants, checked by
 * `scripts/check_abi_socket.ts`) against the
 * target's C headers, by compiling (never running) a C file whose data holds each
 * value, with the targets and header trees of `scripts/check_abi_symbols.ts` (same
 * environment variables). A table without `msg` (Windows) is not checked.
 *
 * Usage: deno run --allow-read --allow-write --allow-run --allow-env \
 *          scripts/check_abi_msg.ts [--json] [--target os-arch [--table msg.json]]
 * Exit status 1 when anything differs, 2 when no compiler is found.
 *
 * @module
 */
import { ABI_TABLES } from "../ffi/abi.ts";
import type { MsgAbi } from "../ffi/abi/socket_types.ts";
import { compareCompiled, type Entry, HEADERS } from "./_abi_clang.ts";
import { runChecks } from "./_abi_cli.ts";

/** One target's outcome. */
export interface MsgReport {
  readonly target: string;
  readonly checked: number;
  readonly mismatches: readonly string[];
}

/** `[label, C expression, table value]` for everything to compare. */
function entries(m: MsgAbi): Entry[] {
  const field = (name: string, value: number): Entry => [
    `msghdr.${name}`,
    `offsetof(struct msghdr, msg_${name})`,
    value,
  ];
  const header = m.cmsghdrSize;
  const align = (n: number) => Math.ceil(n / m.cmsgAlign) * m.cmsgAlign;
  return [
    ["sizeof(struct msghdr)", "sizeof(struct msghdr)", m.size],
    field("name", m.name),
    field("namelen", m.namelen),
    field("iov", m.iov),
    field("iovlen", m.iovlen),
    ["sizeof(msg_iovlen)", "sizeof(((struct msghdr *)0)->msg_iovlen)", m.iovlenBytes],
    field("control", m.control),
    field("controllen", m.controllen),
    [
      "sizeof(msg_controllen)",
      "sizeof(((struct msghdr *)0)->msg_controllen)",
      m.controllenBytes,
    ],
    field("flags", m.flags),
    ["sizeof(struct iovec)", "sizeof(struct iovec)", m.iovecSize],
    ["iov_base at 0", "offsetof(struct iovec, iov_base)", 0],
    ["iov_len at 8", "offsetof(struct iovec, iov_len)", 8],
    ["sizeof(struct cmsghdr)", "sizeof(struct cmsghdr)", m.cmsghdrSize],
    ["cmsg_len at 0", "offsetof(struct cmsghdr, cmsg_len)", 0],
    ["sizeof(cmsg_len)", "sizeof(((struct cmsghdr *)0)->cmsg_len)", m.cmsgLenBytes],
    ["cmsg_level", "offsetof(struct cmsghdr, cmsg_level)", m.cmsgLevel],
    ["cmsg_type", "offsetof(struct cmsghdr, cmsg_type)", m.cmsgType],
    // The alignment, seen through the macros themselves.
    ["CMSG_LEN(0)", "CMSG_LEN(0)", align(header)],
    ["CMSG_LEN(5)", "CMSG_LEN(5)", align(header) + 5],
    ["CMSG_SPACE(1)", "CMSG_SPACE(1)", align(header) + align(1)],
    ["CMSG_SPACE(13)", "CMSG_SPACE(13)", align(header) + align(13)],
  ];
}

const PRELUDE = [...HEADERS, "sys/uio.h"].map((h) =>
  `#if __has_include(<${h}>)\n#include <${h}>\n#endif`
);

/** Compiles the values of `msg` with `flags` and compares them with the table. */
export function checkMsg(target: string, msg: MsgAbi | null, flags: readonly string[]): MsgReport {
  if (msg === null) return { target, checked: 0, mismatches: [] };
  const list = entries(msg);
  // Every entry is a layout value the headers always define.
  const mismatches = compareCompiled(target, flags, PRELUDE, list, () => 0);
  return { target, checked: list.length, mismatches };
}

if (import.meta.main) {
  runChecks(
    (target) => ABI_TABLES[target]!.socket.msg,
    checkMsg,
    (report) =>
      `${report.target}: ${report.checked} values checked, ${report.mismatches.length} mismatches`,
  );
}
