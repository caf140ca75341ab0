/**
 * The one place that pins and installs the runtimes this machine does not have:
 * Node 26 (for `node:ffi`) and Bun (for `bun:ffi`). Both come from npm, the only
 * registry CI can reach, into `node_modules/.cache/iomux-runtimes/`, once; the test
 * runner (`scripts/test_npm.ts`) and the comparison bench (`bench/compare/`) take
 * them from here, so that tests and benches run the same versions.
 *
 * Usage: deno task runtimes   (installs both, prints each binary and its version)
 *
 * @module
 */

/** The repository root. */
const ROOT = new URL("../", import.meta.url).pathname;

/** Where the runtimes are installed: an npm project of its own, outside `npm/`. */
export const RUNTIMES_DIR: string = `${ROOT}node_modules/.cache/iomux-runtimes/`;

/** The Node release with the built-in `node:ffi` that the tests and benches run. */
export const NODE_VERSION = "26.10.0";

/** The Bun release that the tests and benches run. */
export const BUN_VERSION = "1.4.5";

/** A runtime this file installs. */
export type PinnedRuntime = "node" | "bun";

/** The npm package (`name@version`) that carries a runtime's binary for this machine. */
export function pinnedPackage(name: PinnedRuntime): string {
  if (name === "bun") return `bun@${BUN_VERSION}`;
  const arch = Deno.build.arch === "x86_64" ? "x64" : "arm64";
  return `node-${Deno.build.os}-${arch}@${NODE_VERSION}`;
}

/** The version a binary reports, or null when it does not run. */
function versionOf(binary: string): string | null {
  try {
    const out = new Deno.Command(binary, { args: ["--version"], stderr: "null" }).outputSync();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

/**
 * The path of a pinned runtime's binary, installed with npm on first use. Throws,
 * with npm's own message, when it cannot be installed or does not run here.
 * Progress goes to stderr, so that a caller's stdout (a bench report) stays clean.
 */
export async function installedRuntime(name: PinnedRuntime): Promise<string> {
  const binary = `${RUNTIMES_DIR}node_modules/.bin/${name}`;
  if (versionOf(binary) === null) {
    const pkg = pinnedPackage(name);
    Deno.mkdirSync(RUNTIMES_DIR, { recursive: true });
    try {
      // An npm project of its own, so that npm installs here and not in a parent folder.
      Deno.writeTextFileSync(`${RUNTIMES_DIR}package.json`, "{}\n", { createNew: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    console.error(`installing ${pkg} from npm into ${RUNTIMES_DIR}`);
    let failure = "";
    try {
      const out = await new Deno.Command("npm", {
        args: ["install", "--no-audit", "--no-fund", "--save-exact", pkg],
        cwd: RUNTIMES_DIR,
        stdin: "null",
      }).output();
      if (!out.success) failure = new TextDecoder().decode(out.stderr).trim();
    } catch (e) {
      failure = (e as Error).message;
    }
    if (failure) throw new Error(`cannot install ${pkg} with npm: ${failure}`);
  }
  if (versionOf(binary) === null) throw new Error(`${binary} does not run on this machine`);
  return binary;
}

if (import.meta.main) {
  for (const name of ["node", "bun"] as const) {
    const binary = await installedRuntime(name);
    console.log(`${name}: ${binary} (${versionOf(binary)})`);
  }
}
