/**
 * Builds the npm package `iomux` into `npm/`: ES modules, `.d.ts` types and source
 * maps from the same sources, a package.json derived from deno.json, the README and
 * LICENSE. The test suite is built beside it into `npm/tests/` (not shipped) so that
 * it runs on Node and Bun against the built output (scripts/test_npm.ts).
 *
 * Types are checked by `deno check`; this build only emits (`noCheck`), so it needs
 * neither Deno's nor Node's type declarations.
 *
 * Usage: deno task build:npm
 *
 * @module
 */
import ts from "typescript";

const ROOT = new URL("../", import.meta.url).pathname;
const OUT = `${ROOT}npm/`;

interface DenoJson {
  version: string;
  license: string;
  exports: Record<string, string>;
  imports?: Record<string, string>;
}

/** Every `.ts` file under `dir` (relative to the repository root). */
function tsFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...tsFilesUnder(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

function existing(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/**
 * Declarations keep `.ts` specifiers (tsc rewrites them only in JavaScript), and the
 * doc examples name the JSR package: both are spelled the npm way here.
 */
function forNpm(text: string): string {
  return text
    .replace(/((?:from|import)\s*\(?\s*)(["'])(\.\.?\/[^"']*)\.ts\2/g, "$1$2$3.js$2")
    .replaceAll('"@iomux/iomux', '"iomux');
}

/** Compiles `roots` and what they import into `OUT`; returns the files written. */
function emit(roots: string[]): string[] {
  const program = ts.createProgram(roots.map((f) => `${ROOT}${f}`), {
    rootDir: ROOT,
    outDir: OUT,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    rewriteRelativeImportExtensions: true,
    declaration: true,
    sourceMap: true,
    inlineSources: true,
    noCheck: true,
    skipLibCheck: true,
    types: [],
  });
  const written: string[] = [];
  const result = program.emit(undefined, (path, text) => {
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(path, forNpm(text));
    written.push(path.slice(OUT.length));
  });
  const problems = [...program.getSyntacticDiagnostics(), ...result.diagnostics];
  if (problems.length > 0) {
    const host = {
      getCanonicalFileName: (f: string) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => "\n",
    };
    throw new Error(ts.formatDiagnostics(problems, host));
  }
  return written;
}

/** The bare specifiers (`fast-check`, not `node:test` or `../x.ts`) that `files` import. */
function bareImports(files: string[]): Set<string> {
  const specifiers = files.flatMap((f) =>
    [...Deno.readTextFileSync(`${ROOT}${f}`).matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)]
      .map((m) => m[1]!)
  );
  return new Set(specifiers.filter((s) => !s.startsWith(".") && !s.includes(":")));
}

/** `./select/mod.ts` → `./select/mod.js`, and the same for `.d.ts`. */
function built(path: string, extension: ".js" | ".d.ts"): string {
  return path.replace(/\.ts$/, extension);
}

/** The git remote `origin`, if this checkout has one. */
function gitOrigin(): string | undefined {
  const git = new Deno.Command("git", {
    args: ["remote", "get-url", "origin"],
    cwd: ROOT,
    stderr: "null",
  });
  const { success, stdout } = git.outputSync();
  return success ? new TextDecoder().decode(stdout).trim() : undefined;
}

function packageJson(
  deno: DenoJson,
  files: string[],
  repository: string | undefined,
  testImports: Set<string>,
): Record<string, unknown> {
  const exports = Object.fromEntries(
    Object.entries(deno.exports).map((
      [name, path],
    ) => [name, { types: built(path, ".d.ts"), default: built(path, ".js") }]),
  );
  // The npm packages the tests import (deno.json "imports": "npm:name@range"):
  // what npm/tests needs, and users never install.
  const testDependencies = Object.fromEntries(
    Object.entries(deno.imports ?? {}).flatMap(([bare, spec]) => {
      const match = /^npm:(@?[^@]+)@(.+)$/.exec(spec);
      return match && testImports.has(bare) ? [[match[1], match[2]]] : [];
    }),
  );
  return {
    name: "iomux",
    version: deno.version,
    description:
      "Python's select and selectors modules for TypeScript: select, poll, epoll and kqueue through FFI, on Deno, Node and Bun",
    keywords: ["select", "selectors", "poll", "epoll", "kqueue", "ffi", "nonblocking", "io"],
    license: deno.license,
    ...(repository ? { repository: { type: "git", url: repository } } : {}),
    type: "module",
    exports,
    types: exports["."]?.types,
    files,
    sideEffects: false,
    os: ["linux", "darwin", "freebsd"],
    cpu: ["x64", "arm64"],
    engines: { node: ">=20.16", bun: ">=1.4" },
    peerDependencies: { koffi: "^3.3.4" },
    peerDependenciesMeta: { koffi: { optional: true } },
    devDependencies: { koffi: "^3.3.4", ...testDependencies },
  };
}

export function buildNpm(): void {
  const deno = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)) as DenoJson;
  // Keep npm/node_modules (the test run's installs); replace everything else.
  for (const entry of existing(OUT)) {
    if (entry !== "node_modules") Deno.removeSync(`${OUT}${entry}`, { recursive: true });
  }
  const entries = Object.values(deno.exports).map((p) => p.replace(/^\.\//, ""));
  // The off-thread worker is loaded by URL, not imported: name it as a root.
  const tests = tsFilesUnder("tests");
  const written = emit([...entries, "ffi/_off_thread_worker.ts", ...tests]);
  // Ship every top-level file or folder the library wrote, and nothing of the tests.
  const files = [
    ...new Set(written.filter((f) => !f.startsWith("tests/")).map((f) => f.split("/")[0]!)),
  ]
    .map((f) => f.includes(".") ? f : `${f}/`).sort();
  Deno.writeTextFileSync(
    `${OUT}package.json`,
    JSON.stringify(packageJson(deno, files, gitOrigin(), bareImports(tests)), null, 2) + "\n",
  );
  Deno.writeTextFileSync(`${OUT}README.md`, forNpm(Deno.readTextFileSync(`${ROOT}README.md`)));
  Deno.copyFileSync(`${ROOT}LICENSE`, `${OUT}LICENSE`);
  console.log(`npm/: iomux@${deno.version}, ${written.length} files`);
}

if (import.meta.main) buildNpm();
