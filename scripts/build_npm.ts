/**
 * Builds the npm package `iomux` into `npm/`: ES modules and `.d.ts` types from the
 * same sources (no source maps: they would be most of the package, and point at
 * sources it does not ship), a package.json derived from deno.json, the npm README
 * (`scripts/npm_readme.md`, written for Node and Bun users) and LICENSE. The test
 * suite is built beside it into `npm/tests/` (not shipped) so that it runs on Node
 * and Bun against the built output (scripts/test_npm.ts); what the package ships is
 * only what the entry points reach (the off-thread worker is started from source
 * text, not from a file of its own: see `ffi/_off_thread.ts`).
 *
 * Types are checked by `deno check`; this build only emits (`noCheck`), so it needs
 * neither Deno's nor Node's type declarations.
 *
 * Usage: deno task build:npm
 *
 * @module
 */
import ts from "npm:typescript@6.0.3";

const ROOT = new URL("../", import.meta.url).pathname;
const OUT = `${ROOT}npm/`;

interface DenoJson {
  version: string;
  description: string;
  license: string;
  exports: Record<string, string>;
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

/** `npm:name@range/sub` (a direct npm specifier, as the tests use) → `name/sub`. */
const NPM_SPECIFIER = /(["'])npm:(@[^/@"']+\/[^/@"']+|[^/@"']+)(?:@([^/"']*))?(\/[^"']*)?\1/g;

/**
 * Declarations keep `.ts` specifiers (tsc rewrites them only in JavaScript), the
 * doc examples name the JSR package, and the tests name npm packages with `npm:`:
 * all are spelled the npm way here.
 */
function forNpm(text: string): string {
  return text
    .replace(/((?:from|import)\s*\(?\s*)(["'])(\.\.?\/[^"']*)\.ts\2/g, "$1$2$3.js$2")
    .replace(NPM_SPECIFIER, (_, quote, name, _range, sub = "") => `${quote}${name}${sub}${quote}`)
    .replaceAll('"@iomux/iomux', '"iomux');
}

/**
 * The global types the declarations name that a project without DOM's lib or
 * `@types/node` lacks (`tsc` with `lib: ["es2022"]` and only iomux installed).
 * Each merges with the full declaration where one exists: an empty `AbortSignal`
 * adds nothing to DOM's or Node's (nor do empty `ReadableStream`/`WritableStream`, with
 * DOM's own type parameters), and `Symbol.dispose` is declared exactly as TypeScript's
 * `lib.esnext.disposable` and `@types/node` declare it.
 */
const GLOBALS_DTS =
  `// Global types iomux's declarations use, for projects without DOM's lib or @types/node.
interface AbortSignal {}
interface ReadableStream<R = any> {}
interface WritableStream<W = any> {}
interface SymbolConstructor {
  readonly dispose: unique symbol;
}
`;
const GLOBALS_FILE = "_globals.d.ts";

/** Compiles `roots` and what they import into `OUT`; returns the files written. */
function emit(roots: string[], declaration: boolean): string[] {
  const program = ts.createProgram(roots.map((f) => `${ROOT}${f}`), {
    rootDir: ROOT,
    outDir: OUT,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    rewriteRelativeImportExtensions: true,
    declaration,
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

/** The npm packages (`npm:fast-check@^4.10.2` → name and range) that `files` import. */
function npmImports(files: string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const f of files) {
    for (const m of Deno.readTextFileSync(`${ROOT}${f}`).matchAll(NPM_SPECIFIER)) {
      if (m[3] === undefined) throw new Error(`${f}: ${m[0]} has no version range`);
      found[m[2]!] = m[3];
    }
  }
  return found;
}

/** `./select/mod.ts` → `./select/mod.js`, and the same for `.d.ts`. */
function built(path: string, extension: ".js" | ".d.ts"): string {
  return path.replace(/\.ts$/, extension);
}

/**
 * The git remote `origin` as a repository URL for package.json, when this checkout
 * has one that is a network URL. A clone of a local checkout has a path there
 * (`/work/main`), which would publish a dead, private link: left out, as unknown.
 */
export function repositoryUrl(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (/^(?:git\+)?(?:https?|ssh|git):\/\/[^/\s]+\/\S+$/.test(origin)) return origin;
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(\S+)$/.exec(origin); // git@github.com:owner/repo.git
  return scp ? `git+ssh://${origin.replace(":", "/")}` : undefined;
}

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
  testDependencies: Record<string, string>,
): Record<string, unknown> {
  const exports = Object.fromEntries(
    Object.entries(deno.exports).map((
      [name, path],
    ) => [name, { types: built(path, ".d.ts"), default: built(path, ".js") }]),
  );
  return {
    name: "iomux",
    version: deno.version,
    description: deno.description,
    keywords: ["select", "selectors", "poll", "epoll", "kqueue", "ffi", "nonblocking", "io"],
    license: deno.license,
    ...(repository ? { repository: { type: "git", url: repository } } : {}),
    type: "module",
    exports,
    types: exports["."]?.types,
    files,
    sideEffects: false,
    // No "os"/"cpu": they fail `npm install` with EBADPLATFORM elsewhere, even for an
    // indirect dependency. Off Linux, macOS and FreeBSD the first call throws instead.
    // 20.19: the first release where require() of an ES module is on by default.
    engines: { node: ">=20.19", bun: ">=1.4" },
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
  const library = emit(entries, true);
  // The tests (and the examples they run) are built beside it and never shipped.
  const tests = tsFilesUnder("tests");
  emit(tests, false);
  Deno.writeTextFileSync(`${OUT}${GLOBALS_FILE}`, GLOBALS_DTS);
  for (const entry of entries) {
    const dts = `${OUT}${built(entry, ".d.ts")}`;
    const up = "../".repeat(entry.split("/").length - 1) || "./";
    const reference = `/// <reference path="${up}${GLOBALS_FILE}" />\n`;
    Deno.writeTextFileSync(dts, reference + Deno.readTextFileSync(dts));
  }
  const files = [...library, GLOBALS_FILE].sort();
  Deno.writeTextFileSync(
    `${OUT}package.json`,
    JSON.stringify(
      packageJson(deno, files, repositoryUrl(gitOrigin()), npmImports(tests)),
      null,
      2,
    ) +
      "\n",
  );
  Deno.writeTextFileSync(`${OUT}README.md`, Deno.readTextFileSync(`${ROOT}scripts/npm_readme.md`));
  Deno.copyFileSync(`${ROOT}LICENSE`, `${OUT}LICENSE`);
  console.log(`npm/: iomux@${deno.version}, ${library.length} files shipped`);
}

if (import.meta.main) buildNpm();
