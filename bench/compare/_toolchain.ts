/**
 * Which runtimes this machine has, and the command line of each benchmark variant.
 * A runtime that is missing is reported with the reason and skipped, never fatal.
 *
 * @module
 */

import { installedRuntime, pinnedPackage, type PinnedRuntime } from "../../scripts/runtimes.ts";

/** The repository root, where every command runs. */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

/** One program that prints a JSON result line. */
export interface Variant {
  /** `runtime.mechanism`, e.g. `deno.selectors`. */
  readonly id: string;
  readonly runtime: string;
  readonly mechanism: string;
  readonly n: number;
  readonly cmd: readonly string[];
}

/** A runtime that runs `bench/compare/js/mux.mjs`. */
export interface JsRuntime {
  /** Short name used in variant ids (`deno`, `node`, `node-koffi`, `bun`). */
  readonly name: string;
  /** What it is, for the report (`Deno 2.9.6`, `Node 26.0.0 (node:ffi)`). */
  readonly label: string;
  /** The command up to the script path (binary and flags). */
  readonly prefix: readonly string[];
  /** The iomux entry point it imports (a file URL). */
  readonly entry: string;
}

/** What was found: tools, versions, and why anything is missing. */
export interface Toolchain {
  cc: string | null;
  python: string | null;
  js: JsRuntime[];
  versions: Record<string, string>;
  missing: string[];
}

/** Runs a command, returning its trimmed stdout, or null when it cannot run or fails. */
export async function tryOutput(cmd: readonly string[], cwd = ROOT): Promise<string | null> {
  try {
    const out = await new Deno.Command(cmd[0]!, { args: cmd.slice(1), cwd, stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A private copy of the npm build in `workDir`, so that a rebuild of `npm/` during the
 * run (`deno task test:node` does one) cannot pull files from under it; its
 * `node_modules` (koffi) is linked, not copied. Returns the copy's ESM entry.
 */
function npmSnapshot(workDir: string): string | null {
  const dir = `${ROOT}npm/`;
  let target: unknown;
  try {
    const pkg = JSON.parse(Deno.readTextFileSync(`${dir}package.json`));
    const dot = pkg.exports?.["."];
    target = typeof dot === "string" ? dot : dot?.import?.default ?? dot?.import ??
      dot?.default ?? pkg.module ?? pkg.main;
  } catch {
    return null;
  }
  if (typeof target !== "string" || !exists(dir + target)) return null;
  const copy = `${workDir}/npm/`;
  const copyTree = (from: string, to: string) => {
    Deno.mkdirSync(to, { recursive: true });
    for (const e of Deno.readDirSync(from)) {
      if (e.name === "node_modules" || e.name === "tests") continue;
      if (e.isDirectory) copyTree(`${from}${e.name}/`, `${to}${e.name}/`);
      else if (e.isFile) Deno.copyFileSync(`${from}${e.name}`, `${to}${e.name}`);
    }
  };
  try {
    copyTree(dir, copy);
    if (exists(`${dir}node_modules`)) Deno.symlinkSync(`${dir}node_modules`, `${copy}node_modules`);
  } catch (e) {
    console.error(`cannot copy npm/: ${(e as Error).message}`);
    return null;
  }
  return `file://${copy}${target.replace(/^\.\//, "")}`;
}

/** A pinned runtime from `scripts/runtimes.ts` (installed on first use), or null. */
async function pinnedRuntime(name: PinnedRuntime, missing: string[]): Promise<string | null> {
  try {
    return await installedRuntime(name);
  } catch (e) {
    missing.push(`pinned ${pinnedPackage(name)}: ${(e as Error).message.slice(0, 160)}`);
    return null;
  }
}

/** The pinned Bun, else a `bun` on PATH. */
async function findBun(missing: string[]): Promise<string | null> {
  const pinned = await pinnedRuntime("bun", missing);
  if (pinned) return pinned;
  return await tryOutput(["bun", "--version"]) !== null ? "bun" : null;
}

/** A Node with the built-in `node:ffi` (Node 26+): the system `node` if it is one. */
async function findNodes(
  missing: string[],
): Promise<{ ffi: string | null; plain: string | null }> {
  const hasFfi = async (node: string) =>
    await tryOutput([node, "-p", "typeof process.getBuiltinModule?.('node:ffi')?.dlopen"]) ===
      "function";
  const system = (await tryOutput(["node", "--version"])) !== null ? "node" : null;
  let ffi: string | null = null;
  if (system && await hasFfi(system)) ffi = system;
  if (!ffi) {
    const cached = await pinnedRuntime("node", missing);
    if (cached && await hasFfi(cached)) ffi = cached;
  }
  return { ffi, plain: system };
}

/**
 * Builds `npm/` (scripts/build_npm.ts) when it is missing or older than a source
 * file, so that Node and Bun never measure stale code; installs koffi beside it.
 */
async function freshNpmBuild(): Promise<void> {
  let built = 0;
  try {
    built = Deno.statSync(`${ROOT}npm/package.json`).mtime?.getTime() ?? 0;
  } catch {
    // not built
  }
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of Deno.readDirSync(`${ROOT}${dir}`)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) t = Math.max(t, newest(path));
      else if (e.name.endsWith(".ts")) {
        t = Math.max(t, Deno.statSync(`${ROOT}${path}`).mtime!.getTime());
      }
    }
    return t;
  };
  // Every library folder (`_py/`, `_wait/`, `ffi/`, `select/`, …) and the root's
  // own files (`mod.ts`, `errors.ts`): everything but what the package does not ship.
  const notLibrary = new Set(["bench", "examples", "node_modules", "npm", "scripts", "tests"]);
  const sources = Math.max(
    0,
    ...[...Deno.readDirSync(ROOT)]
      .filter((e) => e.isDirectory && !e.name.startsWith(".") && !notLibrary.has(e.name))
      .map((e) => newest(e.name)),
    ...[...Deno.readDirSync(ROOT)]
      .filter((e) => e.isFile && e.name.endsWith(".ts"))
      .map((e) => Deno.statSync(`${ROOT}${e.name}`).mtime!.getTime()),
  );
  if (built < sources) {
    console.error("building npm/ (deno task build:npm)");
    if (await tryOutput([Deno.execPath(), "task", "build:npm"]) === null) return;
  }
  if (!exists(`${ROOT}npm/node_modules/koffi`) && await tryOutput(["npm", "--version"])) {
    console.error("installing koffi into npm/ for Node without node:ffi");
    await tryOutput(
      ["npm", "install", "--no-audit", "--no-fund", "--no-save", "koffi@^3.3.4"],
      `${ROOT}npm`,
    );
  }
}

/** Finds every runtime, compiler and build the comparison can use. */
export async function detect(workDir: string): Promise<Toolchain> {
  const t: Toolchain = { cc: null, python: null, js: [], versions: {}, missing: [] };
  t.versions.deno = Deno.version.deno;
  t.js.push({
    name: "deno",
    label: `Deno ${Deno.version.deno}`,
    prefix: [Deno.execPath(), "run", "--allow-ffi", "--allow-read", "--allow-env"],
    entry: new URL("../../mod.ts", import.meta.url).href,
  });
  const cc = await tryOutput(["cc", "--version"]);
  if (cc) {
    t.cc = "cc";
    t.versions.cc = cc.split("\n")[0]!;
  } else t.missing.push("C compiler (`cc`): not found; no C baselines, so no ratios to C");
  const py = await tryOutput(["python3", "--version"]);
  if (py) {
    t.python = "python3";
    t.versions.python = py;
  } else t.missing.push("CPython (`python3`): not found");

  await freshNpmBuild();
  const entry = npmSnapshot(workDir);
  if (!entry) {
    t.missing.push("Node and Bun: no npm build in npm/ (run `deno task build:npm`)");
    return t;
  }
  const nodes = await findNodes(t.missing);
  if (nodes.ffi) {
    const v = await tryOutput([nodes.ffi, "--version"]);
    t.versions["node (node:ffi)"] = v ?? "?";
    t.js.push({
      name: "node",
      label: `Node ${v} (node:ffi)`,
      // iomux prefers koffi where it is installed (npm/ has it): ask for node:ffi.
      prefix: ["env", "IOMUX_FFI=node:ffi", nodes.ffi, "--no-warnings"],
      entry,
    });
  } else t.missing.push("Node with node:ffi (Node 26+): not found (try `npx --yes node@26 -v`)");
  if (nodes.plain) {
    const v = await tryOutput([nodes.plain, "--version"]);
    const koffiOk = await tryOutput([
      nodes.plain,
      "--no-warnings",
      ...(nodes.plain === nodes.ffi ? ["--no-experimental-ffi"] : []),
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(entry)}); m.pipe(); console.log("ok")`,
    ]);
    if (koffiOk === "ok") {
      t.versions["node (koffi)"] = v ?? "?";
      t.js.push({
        name: "node-koffi",
        label: `Node ${v} (koffi)`,
        prefix: [
          nodes.plain,
          "--no-warnings",
          ...(nodes.plain === nodes.ffi ? ["--no-experimental-ffi"] : []),
        ],
        entry,
      });
    } else t.missing.push(`Node ${v} with koffi: iomux does not load (is koffi installed?)`);
  }
  const bun = await findBun(t.missing);
  if (bun) {
    const v = await tryOutput([bun, "--version"]);
    t.versions.bun = v ?? "?";
    t.js.push({ name: "bun", label: `Bun ${v}`, prefix: [bun, "run"], entry });
  } else t.missing.push("Bun: not found (`npm install bun`)");
  return t;
}

/** The C baseline of each mechanism. */
export const C_BASELINE: Readonly<Record<string, string>> = {
  selectors: "c.epoll_wait",
  "selectors-async": "c.epoll_wait",
  epoll: "c.epoll_wait",
  "epoll-async": "c.epoll_wait",
  "raw-epoll_wait": "c.epoll_wait",
  epoll_wait: "c.epoll_wait",
  poll: "c.poll",
  select: "c.select",
};

/** Every readiness-call variant at every N (select only below FD_SETSIZE). */
export function variants(t: Toolchain, ns: readonly number[], budgetMs: number, cBin: string) {
  const out: Variant[] = [];
  for (const n of ns) {
    const mechanisms = n < 1024 ? ["epoll", "poll", "select"] : ["epoll", "poll"];
    const add = (runtime: string, mechanism: string, cmd: string[]) =>
      out.push({ id: `${runtime}.${mechanism}`, runtime, mechanism, n, cmd });
    if (t.cc) {
      for (const m of mechanisms) {
        const bin = m === "epoll" ? "epoll_wait" : m;
        add("c", bin, [`${cBin}/${bin}`, String(n), String(budgetMs)]);
      }
    }
    if (t.python) {
      for (const m of ["selectors", ...mechanisms]) {
        add("python", m, [t.python, "bench/compare/python/mux.py", m, String(n), String(budgetMs)]);
      }
    }
    for (const js of t.js) {
      // The async twins, in Deno only: their targets are ratios to the sync calls.
      // And the floor of any Deno library: epoll_wait through Deno.dlopen, no more.
      const asyncs = js.name === "deno"
        ? [
          "selectors-async",
          "epoll-async",
          ...(Deno.build.arch === "x86_64" ? ["raw-epoll_wait"] : []),
        ]
        : [];
      for (const m of ["selectors", ...mechanisms, ...asyncs]) {
        add(js.name, m, [
          ...js.prefix,
          "bench/compare/js/mux.mjs",
          js.name,
          m,
          String(n),
          String(budgetMs),
          js.entry,
        ]);
      }
    }
  }
  return out;
}
