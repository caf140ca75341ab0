/**
 * The targets of the ABI checkers and how clang compiles for each: the host's Linux
 * always, the others from the header trees the environment names (see
 * `scripts/check_abi_symbols.ts`'s usage), with the overlays that stand in for what
 * those trees' own builds would generate.
 *
 * @module
 */
import { run } from "./_abi_clang.ts";

/** How to compile for one target: clang flags, or why it is skipped. */
export type TargetFlags = { flags: string[] } | { skip: string };

const overlays: string[] = [];

/** Removes the header overlays that {@linkcode targetFlags} made. */
export function removeOverlays(): void {
  for (const dir of overlays.splice(0)) Deno.removeSync(dir, { recursive: true });
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
