/**
 * The compiler side of the ABI checkers (`scripts/check_abi_*.ts`): clang run on C
 * source that is compiled, never run, to assembly whose data words are read back,
 * and the comparison of compiled values with a table's. Separate from each checker
 * so that every checker compiles and compares alike.
 *
 * @module
 */

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

/** The compiler: `CLANG`, or `clang` from PATH. */
export function clang(): string {
  return Deno.env.get("CLANG") ?? "clang";
}

/** Runs the compiler with `args`. */
export function run(args: string[]): { ok: boolean; stdout: string; stderr: string } {
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
