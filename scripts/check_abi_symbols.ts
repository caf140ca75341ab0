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

/** One target's outcome. */
export interface TargetReport {
  readonly target: string;
  /** C name → the symbol the headers make a C program call; absent if undeclared. */
  readonly declared: Readonly<Record<string, string>>;
  /** Everything that disagrees with the table, one sentence each. */
  readonly mismatches: readonly string[];
}

/** How to compile for one target: clang flags, or why it is skipped. */
export type TargetFlags = { flags: string[] } | { skip: string };

/** The headers every check includes (those a target lacks are skipped). */
export const HEADERS = [
  "sys/types.h",
  "sys/select.h",
  "poll.h",
  "unistd.h",
  "fcntl.h",
  "string.h",
  "errno.h",
  "sys/socket.h",
  "netdb.h",
  "sys/event.h",
  "sys/epoll.h",
  "sys/eventfd.h",
  "stdlib.h",
  "sys/ioctl.h",
  "termios.h",
  "spawn.h",
  "sys/wait.h",
  "signal.h",
];

const overlays: string[] = [];

/** Removes the header overlays that {@linkcode targetFlags} made. */
export function removeOverlays(): void {
  for (const dir of overlays.splice(0)) Deno.removeSync(dir, { recursive: true });
}

/** The compiler: `CLANG`, or `clang` from PATH. */
function clang(): string {
  return Deno.env.get("CLANG") ?? "clang";
}

function run(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  return decode(new Deno.Command(clang(), { args, stdout: "piped", stderr: "piped" }).outputSync());
}

function decode(o: { success: boolean; stdout: Uint8Array; stderr: Uint8Array }) {
  const d = new TextDecoder();
  return { ok: o.success, stdout: d.decode(o.stdout), stderr: d.decode(o.stderr) };
}

/** Compiles C source to assembly. */
export function compile(flags: readonly string[], source: string) {
  const path = Deno.makeTempFileSync({ suffix: ".c" });
  try {
    Deno.writeTextFileSync(path, source);
    const o = new Deno.Command(clang(), {
      args: [...flags, "-w", "-ferror-limit=0", "-S", "-o", "-", path],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    return decode(o);
  } finally {
    Deno.removeSync(path);
  }
}

/** Whether the compiler runs at all. */
export function compilerAvailable(): boolean {
  try {
    return new Deno.Command(clang(), { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
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

/** Marks a constant the headers lack (no real constant has this value). */
export const ABSENT = "-9223372036854775807";

/** `[label, C expression, table value]`: one value a checker compares. */
export type Entry = [label: string, expression: string, ours: number];

/** `[name, the macro's value or ABSENT, table value]` for a constant. */
export function constantEntry(name: string, ours: number): Entry {
  return [name, `\n#ifdef ${name}\n  (long long)(${name})\n#else\n  ${ABSENT}LL\n#endif\n`, ours];
}

/**
 * Compiles `list`'s expressions after the `prelude` lines, one `long long` each, and
 * compares each with the table; for a constant the headers lack, `absent(name,
 * compiled)` says what the table must hold. Returns one sentence per difference.
 */
export function compareCompiled(
  target: string,
  flags: readonly string[],
  prelude: readonly string[],
  list: readonly Entry[],
  absent: (name: string, compiled: ReadonlyMap<string, string>) => number,
): string[] {
  const text = [
    ...prelude,
    "#include <stddef.h>",
    "long long iomux_values[] = {",
    ...list.map(([, expression]) => `  ${expression},`),
    "};",
    "",
  ].join("\n");
  const result = compile(flags, text);
  if (!result.ok) throw new Error(`${target}: the check does not compile:\n${result.stderr}`);
  const words = dataWords(result.stdout);
  if (words.length !== list.length) {
    throw new Error(`${target}: ${words.length} values compiled for ${list.length} asked`);
  }
  const compiled = new Map(list.map(([name], i) => [name, words[i]!]));
  const mismatches: string[] = [];
  list.forEach(([name, , ours], i) => {
    const word = words[i]!;
    if (word === ABSENT) {
      const expected = absent(name, compiled);
      if (ours !== expected) {
        mismatches.push(`${name}: the headers do not define it, the table says ${ours}`);
      }
    } else if (BigInt(word) !== BigInt(ours)) {
      mismatches.push(`${name}: iomux ${ours}, C ${word}`);
    }
  });
  return mismatches;
}

/** The operands of `.quad`/`.xword` directives, in order. */
export function dataWords(assembly: string): string[] {
  return [...assembly.matchAll(/^\s+\.(?:quad|xword)\s+(\S+)/gm)].map((m) => m[1]!);
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

/** The clang flags for each target whose headers are at hand. */
export function targetFlags(
  env: (name: string) => string | undefined,
): Record<string, TargetFlags> {
  const resources = `${run(["-print-resource-dir"]).stdout.trim()}/include`;
  const arm = env("LINUX_AARCH64_INCLUDE");
  const xnu = env("XNU");
  const appleLibc = env("APPLE_LIBC");
  const freebsd = env("FREEBSD_SRC");
  const out: Record<string, TargetFlags> = {
    "linux-x86_64": { flags: ["--target=x86_64-linux-gnu", "-D_GNU_SOURCE"] },
    "linux-aarch64": arm
      ? {
        flags: [
          "--target=aarch64-linux-gnu",
          "-D_GNU_SOURCE",
          "-nostdinc",
          "-isystem",
          resources,
          "-isystem",
          arm,
        ],
      }
      : { skip: "LINUX_AARCH64_INCLUDE is not set" },
  };
  for (const [target, triple] of [["darwin-x86_64", "x86_64"], ["darwin-aarch64", "arm64"]]) {
    out[target!] = xnu && appleLibc
      ? {
        flags: [`--target=${triple}-apple-macosx11.0`, ...darwinFlags(xnu, appleLibc, resources)],
      }
      : { skip: "XNU and APPLE_LIBC are not both set" };
  }
  for (
    const [target, triple, machine] of [
      ["freebsd-x86_64", "x86_64", "amd64"],
      ["freebsd-aarch64", "aarch64", "arm64"],
    ]
  ) {
    out[target!] = freebsd
      ? {
        flags: [
          `--target=${triple}-unknown-freebsd14`,
          ...freebsdFlags(freebsd, machine!, resources),
        ],
      }
      : { skip: "FREEBSD_SRC is not set" };
  }
  return out;
}

/**
 * xnu's and Libc's headers as the SDK ships them. What their build generates is
 * made here: `_posix_availability.h` by xnu's own generator; the symbol aliasing
 * header, libpthread's `sys/_pthread/*.h` and `gethostuuid.h` as empty stand-ins.
 * The prelude stands in for the SDK's newer `Availability.h` (xnu's takes at most
 * four platforms per `__API_AVAILABLE`) and for `__DARWIN_ALIAS_STARTING`, which
 * the aliasing header would define (an alias from 10.6 on, so always, for macOS 11).
 * None of them renames a function checked here.
 */
function darwinFlags(xnu: string, appleLibc: string, resources: string): string[] {
  const overlay = Deno.makeTempDirSync({ prefix: "iomux-darwin-" });
  overlays.push(overlay);
  Deno.mkdirSync(`${overlay}/sys/_pthread`, { recursive: true });
  new Deno.Command("sh", {
    args: [`${xnu}/bsd/sys/make_posix_availability.sh`, `${overlay}/sys/_posix_availability.h`],
  }).outputSync();
  Deno.writeTextFileSync(`${overlay}/sys/_symbol_aliasing.h`, "");
  Deno.writeTextFileSync(`${overlay}/gethostuuid.h`, "");
  // libmalloc's header, which stdlib.h includes; nothing checked here comes from it.
  Deno.mkdirSync(`${overlay}/malloc`);
  Deno.writeTextFileSync(`${overlay}/malloc/_malloc.h`, "");
  Deno.writeTextFileSync(
    `${overlay}/iomux_prelude.h`,
    [
      "#include <Availability.h>",
      "#undef __API_AVAILABLE",
      "#define __API_AVAILABLE(...)",
      "#ifndef __SPI_AVAILABLE",
      "#define __SPI_AVAILABLE(...)",
      "#endif",
      "#include <sys/cdefs.h>",
      "#undef __DARWIN_ALIAS_STARTING",
      "#define __DARWIN_ALIAS_STARTING(mac, iphone, x) x",
      "",
    ].join("\n"),
  );
  for (const entry of Deno.readDirSync(`${xnu}/bsd/sys`)) {
    if (!entry.name.endsWith(".h")) continue;
    const text = Deno.readTextFileSync(`${xnu}/bsd/sys/${entry.name}`);
    for (const m of text.matchAll(/<sys\/_pthread\/([a-z_]+\.h)>/g)) {
      // A pointer to an incomplete struct: enough for signal.h's uses of pthread_t
      // and pthread_attr_t, which nothing checked here looks into.
      const type = m[1]!.replace(/^_|\.h$/g, "");
      const stand = `#ifndef IOMUX_${type}\n#define IOMUX_${type}\n` +
        `typedef struct _opaque_${type} *${type};\n#endif\n`;
      Deno.writeTextFileSync(`${overlay}/sys/_pthread/${m[1]}`, stand);
    }
  }
  // xnu before Libc: Libc's own sys/cdefs.h wants headers of its build.
  const isystem = [overlay, `${xnu}/bsd`, `${appleLibc}/include`, `${xnu}/libkern`, resources];
  // signal.h, wait.h and termios.h reach mach/machine/_structs.h (xnu's osfmk/).
  if (existsDir(`${xnu}/osfmk/mach`)) isystem.push(`${xnu}/osfmk`);
  // The user-space spawn.h is xnu's libsyscall wrapper's.
  const spawn = `${xnu}/libsyscall/wrappers/spawn`;
  if (existsDir(spawn)) isystem.push(spawn);
  return [
    "-DXNU_PLATFORM_MacOSX",
    "-ffreestanding",
    "-nostdinc",
    ...isystem.flatMap((d) => ["-isystem", d]),
    "-isystem",
    `${xnu}/EXTERNAL_HEADERS`,
    "-include",
    "iomux_prelude.h",
  ];
}

function existsDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function freebsdFlags(src: string, machine: string, resources: string): string[] {
  const overlay = Deno.makeTempDirSync({ prefix: "iomux-freebsd-" });
  overlays.push(overlay);
  Deno.symlinkSync(`${src}/sys/${machine}/include`, `${overlay}/machine`);
  Deno.symlinkSync(`${src}/sys/x86/include`, `${overlay}/x86`);
  const isystem = [overlay, `${src}/include`, `${src}/sys`, resources];
  return ["-nostdinc", ...isystem.flatMap((d) => ["-isystem", d])];
}

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
