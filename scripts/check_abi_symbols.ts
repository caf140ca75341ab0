/**
 * Checks each ABI table's symbol names and `struct pollfd` layout against the real
 * C headers of its target, by compiling (never running) a C file that takes the
 * address of every function in `ffi/symbols.ts`: the assembly names the symbol a C
 * program really calls (Apple's headers send `select` to `select$1050` on Intel),
 * which must be the one iomux binds. Undeclared names show which optional
 * functions the target lacks; those must agree with the table's feature flags.
 *
 * Usage: deno run --allow-read --allow-write --allow-run --allow-env \
 *          scripts/check_abi_symbols.ts [--json] [--target os-arch [--table abi.json]]
 *
 * Targets: the host's own (`linux-x86_64` here) always; the others when their
 * header trees are named in the environment:
 *   LINUX_AARCH64_INCLUDE  aarch64 glibc + kernel headers (Debian:
 *                          libc6-dev-arm64-cross, /usr/aarch64-linux-gnu/include)
 *   XNU, APPLE_LIBC        an xnu tree (bsd/, libkern/, EXTERNAL_HEADERS/) and an
 *                          Apple Libc tree (include/): both macOS targets
 *   FREEBSD_SRC            a freebsd-src tree (include/ and sys/): both FreeBSD targets
 *   CLANG                  the compiler (default: clang)
 * Exit status 1 when anything differs, 2 when no compiler is found.
 *
 * @module
 */
import { ABI_TABLES } from "../ffi/abi.ts";
import type { Abi } from "../ffi/abi/types.ts";
import { LIBC_SYMBOLS, symbolName } from "../ffi/symbols.ts";
import type { SymbolSpec } from "../ffi/types.ts";
import { compile, dataWords, HEADERS } from "./_abi_clang.ts";
import { runChecks } from "./_abi_cli.ts";

/** One target's outcome. */
export interface TargetReport {
  readonly target: string;
  /** C name → the symbol the headers make a C program call; absent if undeclared. */
  readonly declared: Readonly<Record<string, string>>;
  /** Everything that disagrees with the table, one sentence each. */
  readonly mismatches: readonly string[];
}

/** The C source: every header that exists, one address per name, the pollfd layout. */
function source(names: readonly string[]): string {
  const includes = HEADERS.map((h) => `#if __has_include(<${h}>)\n#include <${h}>\n#endif`);
  return [
    ...includes,
    "#include <stddef.h>",
    "void *iomux_symbols[] = {",
    ...names.map((n) => `  (void *)&${n},`),
    "};",
    "long long iomux_pollfd[] = { sizeof(struct pollfd), offsetof(struct pollfd, fd),",
    "  sizeof(((struct pollfd *)0)->fd), offsetof(struct pollfd, events),",
    "  offsetof(struct pollfd, revents) };",
    "",
  ].join("\n");
}

/** The C names the table binds, each once (`poll_async` binds `poll`). */
function cNames(abi: Abi): string[] {
  const names = Object.entries(LIBC_SYMBOLS as Readonly<Record<string, SymbolSpec>>).map(
    ([key, spec]) => spec.name ?? key,
  );
  return [...new Set([...names, abi.errnoFunction])];
}

/** Compiles `abi`'s names with `flags` and compares what the headers say with the table. */
export function checkTarget(target: string, abi: Abi, flags: readonly string[]): TargetReport {
  const all = cNames(abi);
  const first = compile(flags, source(all));
  const undeclared = new Set(
    [...first.stderr.matchAll(/undeclared (?:identifier|function) '([A-Za-z_0-9]+)'/g)].map((m) =>
      m[1]!
    ),
  );
  const names = all.filter((n) => !undeclared.has(n));
  const result = undeclared.size === 0 ? first : compile(flags, source(names));
  if (!result.ok) throw new Error(`${target}: the check does not compile:\n${result.stderr}`);
  const words = dataWords(result.stdout);
  const mangled = abi.os === "darwin" ? (s: string) => s.replace(/^"?_|"$/g, "") : (s: string) => s;
  const declared: Record<string, string> = {};
  names.forEach((n, i) => declared[n] = mangled(words[i]!));
  const mismatches: string[] = [];
  for (const [key, spec] of Object.entries(LIBC_SYMBOLS as Readonly<Record<string, SymbolSpec>>)) {
    const c = spec.name ?? key;
    const bound = symbolName(key, spec, abi);
    const real = declared[c];
    if (real === undefined) {
      if (!spec.optional) mismatches.push(`${c} is not declared, yet the table requires it`);
    } else if (real !== bound) {
      mismatches.push(`${key}: iomux binds ${bound}, C programs call ${real}`);
    }
  }
  if (declared[abi.errnoFunction] !== abi.errnoFunction) {
    mismatches.push(
      `errno function ${abi.errnoFunction}: headers give ${declared[abi.errnoFunction]}`,
    );
  }
  const flagsAgree: [string, boolean, string][] = [
    ["hasPipe2", abi.hasPipe2, "pipe2"],
    ["socket.hasAccept4", abi.socket.hasAccept4, "accept4"],
    ["epollEvent", abi.epollEvent !== null, "epoll_wait"],
    ["kevent", abi.kevent !== null, "kevent"],
  ];
  for (const [field, says, name] of flagsAgree) {
    if (says !== (name in declared)) {
      mismatches.push(`${field} says ${says}, but ${name} is ${says ? "not " : ""}declared`);
    }
  }
  const layout = words.slice(names.length).map(Number);
  const p = abi.pollfd;
  const ours = [p.size, p.fd, p.fdBytes, p.events, p.revents];
  if (ours.join() !== layout.join()) {
    mismatches.push(
      `struct pollfd {size, fd, fd width, events, revents}: iomux ${ours}, C ${layout}`,
    );
  }
  return { target, declared, mismatches };
}

if (import.meta.main) {
  runChecks(
    (target) => ABI_TABLES[target]!,
    checkTarget,
    (report) => {
      const renamed = Object.entries(report.declared).filter(([c, s]) => c !== s);
      return `${report.target}: ${Object.keys(report.declared).length} symbols declared, ` +
        `${report.mismatches.length} mismatches` +
        (renamed.length ? `; renamed by the headers: ${renamed.map((r) => r.join(" → "))}` : "");
    },
    2,
  );
}
