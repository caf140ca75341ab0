/**
 * Runs the test suite on Node and Bun against the built npm package, the way
 * denoland/std does: build `npm/` (tests included, in `npm/tests/`), install the
 * tests' npm dependencies there, then run the same files with each runtime's own
 * runner. Node 26 and Bun are pinned and installed by `scripts/runtimes.ts`.
 *
 * Usage: deno task test:node   (the system Node, 20 here, with koffi; Node 26 with node:ffi)
 *        deno task test:bun    (Bun with bun:ffi)
 *
 * @module
 */
import { buildNpm } from "./build_npm.ts";
import { BUN_VERSION, installedRuntime, NODE_VERSION } from "./runtimes.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NPM = `${ROOT}npm/`;

/** Runs a command with the terminal as its output; true when it exits 0. */
async function run(cmd: string, args: string[], cwd = ROOT): Promise<boolean> {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const command = new Deno.Command(cmd, {
    args,
    cwd,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  const { success } = await command.output();
  return success;
}

function capture(cmd: string, args: string[]): string {
  const { stdout } = new Deno.Command(cmd, { args, cwd: ROOT, stderr: "inherit" }).outputSync();
  return new TextDecoder().decode(stdout).trim();
}

/** Fails unless `binary` picks the backend this run means to test. */
function checkBackend(binary: string, args: string[], expected: string): void {
  const probe = `import("${NPM}ffi/libc.js").then((m) => console.log(m.libc().backend))`;
  const backend = capture(binary, [...args, "-e", probe]);
  console.log(`${binary}: backend ${backend}`);
  if (backend !== expected) throw new Error(`expected backend ${expected}, got ${backend}`);
}

function testFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...testFiles(path));
    else if (entry.name.endsWith("_test.js")) files.push(path);
  }
  return files.sort();
}

/** Builds `npm/` and installs what its tests need (koffi among them) into npm/node_modules. */
async function prepareNpm(): Promise<void> {
  buildNpm();
  if (!await run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], NPM)) {
    throw new Error("npm install in npm/ failed");
  }
}

async function main(which: string): Promise<boolean> {
  await prepareNpm();
  const files = testFiles(`${NPM}tests`);
  if (files.length === 0) throw new Error("npm/tests has no *_test.js files");
  const results: [string, boolean][] = [];
  if (which === "node") {
    const major = Number(capture("node", ["-p", "process.versions.node.split('.')[0]"]));
    // koffi is installed in npm/: every Node picks it (Node 26 too, as faster).
    checkBackend("node", [], "koffi");
    results.push([
      `node ${major}`,
      await run("node", ["--test", "--test-reporter=spec", "--test-timeout=120000", ...files]),
    ]);
    const node26 = await installedRuntime("node");
    const quiet = ["--disable-warning=ExperimentalWarning"];
    // Node 26 would pick koffi too: this run keeps node:ffi under test.
    Deno.env.set("IOMUX_FFI", "node:ffi");
    checkBackend(node26, quiet, "node:ffi");
    results.push([
      `node ${NODE_VERSION}`,
      await run(node26, [
        ...quiet,
        "--test",
        "--test-reporter=spec",
        "--test-timeout=120000",
        ...files,
      ]),
    ]);
    Deno.env.delete("IOMUX_FFI");
  } else {
    const bun = await installedRuntime("bun");
    checkBackend(bun, [], "bun:ffi");
    results.push([`bun ${BUN_VERSION}`, await run(bun, ["test", "--timeout", "60000", ...files])]);
  }
  for (const [name, ok] of results) console.log(`${name}: ${ok ? "passed" : "FAILED"}`);
  return results.every(([, ok]) => ok);
}

if (import.meta.main) {
  const which = Deno.args[0];
  if (which !== "node" && which !== "bun") throw new Error("usage: test_npm.ts node|bun");
  Deno.exit(await main(which) ? 0 : 1);
}
