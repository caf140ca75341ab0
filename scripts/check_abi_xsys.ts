/**
 * Compares the macOS and FreeBSD ABI tables with golang.org/x/sys, a second source
 * that its maintainers generate on each OS itself (`unix/zerrors_<os>_<arch>.go` for
 * the constants, `unix/ztypes_<os>_<arch>.go` for the structs). It complements the
 * compile checks (`scripts/check_abi_*.ts`), which need the OS's header trees: FreeBSD's
 * are not at hand here, x/sys is. Compared: every socket, netdb, termios and fcntl
 * constant both have, `errno` values, and the sizes of `struct pollfd`, `msghdr`,
 * `cmsghdr`, `iovec` and `termios`. A name x/sys lacks is counted, not judged.
 *
 * Usage: deno run --allow-read scripts/check_abi_xsys.ts [--json] DIR
 * (DIR: x/sys's `unix/` directory, e.g. from `git clone https://go.googlesource.com/sys`.)
 * Exit status 1 when anything differs.
 *
 * @module
 */
import { ABI_TABLES } from "../ffi/abi.ts";
import type { Abi } from "../ffi/abi/types.ts";

/** One target's outcome. */
export interface XsysReport {
  readonly target: string;
  readonly agree: number;
  readonly absent: number;
  readonly mismatches: readonly string[];
}

/** iomux's target and x/sys's file suffix. */
const TARGETS: readonly [string, string][] = [
  ["darwin-x86_64", "darwin_amd64"],
  ["darwin-aarch64", "darwin_arm64"],
  ["freebsd-x86_64", "freebsd_amd64"],
  ["freebsd-aarch64", "freebsd_arm64"],
];

/** `NAME = value` lines of a generated Go file, as bigints. */
export function goConstants(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const m of text.matchAll(/^\s+([A-Za-z][A-Za-z0-9_]*)\s+=\s+(-?)(0x[0-9a-f]+|\d+)\s*$/gm)) {
    const magnitude = BigInt(m[3]!);
    out.set(m[1]!, m[2] === "-" ? -magnitude : magnitude);
  }
  return out;
}

/** What iomux's table says, by x/sys's name for it. */
function ours(abi: Abi): Map<string, number> {
  const out = new Map<string, number>();
  const add = (values: Readonly<Record<string, number>> | undefined) => {
    for (const [name, value] of Object.entries(values ?? {})) out.set(name, value);
  };
  add(abi.socket.constants);
  add(abi.netdb?.constants);
  add(abi.devices?.termiosConstants);
  add(abi.devices?.fcntlConstants);
  add(abi.errno as unknown as Record<string, number>);
  out.set("SizeofPollFd", abi.pollfd.size);
  if (abi.socket.msg) {
    out.set("SizeofMsghdr", abi.socket.msg.size);
    out.set("SizeofCmsghdr", abi.socket.msg.cmsghdrSize);
    out.set("SizeofIovec", abi.socket.msg.iovecSize);
  }
  if (abi.devices) out.set("SizeofTermios", abi.devices.termios.size);
  return out;
}

/** `sizeof(struct termios)` from x/sys's `Termios` struct (no Sizeof constant there). */
function termiosSize(types: string): bigint | undefined {
  const body = types.match(/type Termios struct \{([^}]*)\}/)?.[1];
  if (body === undefined) return undefined;
  let size = 0;
  for (const [, count, bits] of body.matchAll(/\s\w+\s+(?:\[(\d+)\])?u?int(\d+)/g)) {
    const width = Number(bits) / 8;
    size = Math.ceil(size / width) * width + width * Number(count ?? 1);
  }
  return BigInt(size);
}

/** Compares `target`'s table with x/sys's files for `suffix` in `dir`. */
export function checkXsys(dir: string, target: string, suffix: string): XsysReport {
  const errors = Deno.readTextFileSync(`${dir}/zerrors_${suffix}.go`);
  const types = Deno.readTextFileSync(`${dir}/ztypes_${suffix}.go`);
  const theirs = new Map([...goConstants(errors), ...goConstants(types)]);
  const termios = termiosSize(types);
  if (termios !== undefined) theirs.set("SizeofTermios", termios);
  let agree = 0;
  let absent = 0;
  const mismatches: string[] = [];
  for (const [name, value] of ours(ABI_TABLES[target]!)) {
    const x = theirs.get(name);
    if (x === undefined) {
      absent++;
      continue;
    }
    // Go prints a 32-bit ioctl request with its top bit set as a positive number.
    const mine = BigInt(value);
    if (mine === x || (mine < 0n && mine + (1n << 32n) === x)) agree++;
    else mismatches.push(`${name}: iomux ${value}, x/sys ${x}`);
  }
  return { target, agree, absent, mismatches };
}

if (import.meta.main) {
  const json = Deno.args.includes("--json");
  const dir = Deno.args.find((a) => !a.startsWith("--"));
  if (dir === undefined) {
    console.error("usage: check_abi_xsys.ts [--json] path/to/x-sys/unix");
    Deno.exit(2);
  }
  const reports = TARGETS.map(([target, suffix]) => checkXsys(dir, target, suffix));
  if (json) console.log(JSON.stringify(reports));
  else {
    for (const r of reports) {
      console.log(
        `${r.target} vs x/sys: ${r.agree} agree, ${r.mismatches.length} differ, ${r.absent} not in x/sys`,
      );
      for (const m of r.mismatches) console.log(`  ${m}`);
    }
  }
  Deno.exit(reports.some((r) => r.mismatches.length > 0) ? 1 : 0);
}
