/**
 * First contact with the npm package, tried as a new user would: build and pack
 * `npm/`, check what the tarball holds and what its package.json and README say,
 * lint it with `publint` and `@arethetypeswrong/cli`, then make fresh projects that
 *
 * - install the packed tarball, run a real sync and async wait on Node 20 (koffi),
 *   Node 26 (`node:ffi`, one ExperimentalWarning only) and Bun, `require()` it,
 *   type-check a TypeScript user with `tsc` and nothing but `typescript` installed
 *   (no DOM lib, no `@types/node`; then with `@types/node` too), and bundle the app
 *   with esbuild and with `bun build` and run the bundles;
 * - install the package as a directory (`npm install ../dir`: a symlink, as
 *   `npm link` and workspaces make) and run the same app on the three runtimes;
 * - install it, directly and as a dependency's dependency, with npm seeing another
 *   platform (AIX on ia32): no EBADPLATFORM;
 *
 * and, for Deno, runs `deno task demo` in a clean copy of the checkout with an empty
 * `DENO_DIR`: it must download nothing (the tests' and the build's npm packages
 * stay out of a user's path).
 *
 * Every check runs and reports; the exit code is 1 if any failed. The tools come
 * from npm at pinned versions; Node 26 and Bun from `scripts/runtimes.ts`.
 *
 * Usage: deno task test:package
 *
 * @module
 */
import { buildNpm, repositoryUrl } from "./build_npm.ts";
import { installedRuntime } from "./runtimes.ts";
import { APP_JS, APP_TS, REQUIRE_CJS, tsconfig } from "./_package_fixtures.ts";
import { check, expectRun, project, reportChecks, walk } from "./_package_checks.ts";
import { checkMetadata, type Packed } from "./_package_metadata.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NPM = `${ROOT}npm/`;
const TOOLS_DIR = `${ROOT}node_modules/.cache/iomux-package-tools/`;

/** The npm packages the checks install, pinned. */
const PINS = {
  publint: "0.3.25",
  attw: "@arethetypeswrong/cli@0.18.5",
  esbuild: "esbuild@0.28.2",
  typescript: "typescript@6.0.3",
  koffi: "koffi@3.3.4",
  typesNode: "@types/node@20.19.43",
} as const;

/** The linters, installed once into the repository's cache. */
async function tools(): Promise<string> {
  const bin = `${TOOLS_DIR}node_modules/.bin/`;
  try {
    Deno.statSync(`${bin}attw`);
    Deno.statSync(`${bin}publint`);
  } catch {
    await project(TOOLS_DIR, [`publint@${PINS.publint}`, PINS.attw], ["--save-exact"]);
  }
  return bin;
}

/** The app on one runtime; it must print `ok`, and `warnings` ExperimentalWarnings if given. */
async function runApp(
  runtime: string,
  args: string[],
  cwd: string,
  warnings?: number,
): Promise<string> {
  // node:ffi is the backend whose one warning is counted: koffi, installed in these
  // projects, would otherwise come first on Node 26 too.
  const text = await expectRun(runtime, args, cwd, "ok", { IOMUX_FFI: "node:ffi" });
  if (warnings !== undefined) {
    const seen = text.split("\n").filter((l) => l.includes("ExperimentalWarning")).length;
    if (seen !== warnings) {
      throw new Error(`${seen} ExperimentalWarning lines, expected ${warnings}:\n${text}`);
    }
  }
  return "";
}

async function main(): Promise<boolean> {
  const work = Deno.makeTempDirSync({ prefix: "iomux-package-" });
  console.log(`building npm/ and packing it into ${work}`);
  buildNpm();
  const node26 = await installedRuntime("node");
  const bun = await installedRuntime("bun");
  const node20 = "node";

  const packed = JSON.parse(
    await expectRun("npm", ["pack", "--json", "--pack-destination", work], NPM),
  )[0] as Packed;
  const tarball = `${work}/${packed.filename}`;
  const unpacked = `${work}/unpacked`;
  Deno.mkdirSync(unpacked);
  await expectRun("tar", ["xzf", tarball, "-C", unpacked], work);
  const shipped = `${unpacked}/package`;

  await check("tarball contents, package.json, README", async () => {
    const pkg = JSON.parse(Deno.readTextFileSync(`${shipped}/package.json`));
    return await Promise.resolve(
      checkMetadata(packed, pkg, Deno.readTextFileSync(`${shipped}/README.md`)),
    );
  });
  await check("repository: a network URL or nothing, never a local path", async () => {
    const cases: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ["/work/main", undefined],
      ["../main", undefined],
      ["file:///work/main", undefined],
      ["C:/src/iomux", undefined],
      ["https://github.com/iomux/iomux.git", "https://github.com/iomux/iomux.git"],
      ["git@github.com:iomux/iomux.git", "git+ssh://git@github.com/iomux/iomux.git"],
      ["ssh://git@host.example/iomux.git", "ssh://git@host.example/iomux.git"],
    ];
    const wrong = cases.filter(([origin, want]) => repositoryUrl(origin) !== want);
    if (wrong.length > 0) throw new Error(`wrong for: ${wrong.map(([o]) => o).join(", ")}`);
    return await Promise.resolve("");
  });
  await check("workers start from source text, never from a file or a URL", async () => {
    const code = packed.files.map((f) => f.path).filter((p) => p.endsWith(".js"))
      .map((p) => [p, Deno.readTextFileSync(`${shipped}/${p}`)] as const);
    const starts = code.flatMap(([p, text]) =>
      [...text.matchAll(/new Worker\(([^)]*)\)/g)].map((m) => [p, m[1]!] as const)
    );
    if (starts.length === 0) throw new Error("no new Worker( in the package: the premise");
    const bad = [
      ...starts.filter(([, args]) => !/\beval: true\b/.test(args)),
      ...code.filter(([, text]) => /new URL\([^)]*import\.meta\.url/.test(text)),
    ];
    if (bad.length > 0) throw new Error(bad.map(([p, what]) => `${p}: ${what}`).join("\n"));
    return await Promise.resolve(`${starts.length} new Worker( matches, all eval: true`);
  });
  const bin = await tools();
  await check("publint --strict", async () => {
    await expectRun(`${bin}publint`, [shipped, "--strict"], work);
  });
  await check("attw --profile esm-only", async () => {
    await expectRun(`${bin}attw`, [tarball, "--profile", "esm-only", "--format", "ascii"], work);
  });

  // A fresh project with the tarball, as `npm install iomux` gives it.
  const fresh = `${work}/from-tarball`;
  await project(fresh, [tarball, PINS.koffi, PINS.typescript, PINS.esbuild]);
  Deno.writeTextFileSync(`${fresh}/app.js`, APP_JS);
  Deno.writeTextFileSync(`${fresh}/require.cjs`, REQUIRE_CJS);
  Deno.writeTextFileSync(`${fresh}/app.ts`, APP_TS);
  await check("tarball: Node 20 (koffi) waits", () => runApp(node20, ["app.js"], fresh));
  await check("tarball: Node 20 require()", () => runApp(node20, ["require.cjs"], fresh));
  await check(
    "tarball: Node 26 (node:ffi) waits, one warning",
    () => runApp(node26, ["app.js"], fresh, 1),
  );
  await check("tarball: Bun waits", () => runApp(bun, ["app.js"], fresh));
  await check("README's examples run as written (Node 20)", async () => {
    const readme = Deno.readTextFileSync(`${shipped}/README.md`);
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    if (blocks.length === 0) throw new Error("the README has no js example");
    for (const [i, code] of blocks.entries()) {
      Deno.writeTextFileSync(`${fresh}/readme_${i}.mjs`, code);
      await expectRun(node20, [`readme_${i}.mjs`], fresh);
    }
    return await Promise.resolve(`${blocks.length} examples`);
  });
  const tsc = `${fresh}/node_modules/.bin/tsc`;
  for (
    const [name, lib, types] of [["es2022, no DOM", ["es2022"], []], ["esnext + DOM", [
      "esnext",
      "dom",
    ], []]] as const
  ) {
    await check(`tsc (${name}, no @types/node)`, async () => {
      Deno.writeTextFileSync(`${fresh}/tsconfig.json`, tsconfig([...lib], [...types]));
      await expectRun(tsc, ["-p", "."], fresh);
    });
  }
  await check("tsc (es2022, with @types/node)", async () => {
    await expectRun("npm", ["install", "--no-audit", "--no-fund", PINS.typesNode], fresh);
    Deno.writeTextFileSync(`${fresh}/tsconfig.json`, tsconfig(["es2022"], ["node"]));
    await expectRun(tsc, ["-p", "."], fresh);
  });
  // A bundle holds no worker file: the off-thread worker must start from source text,
  // which minifying (renaming) and --keep-names (esbuild's __name calls) must not break.
  const esbuild = `${fresh}/node_modules/.bin/esbuild`;
  const esbuildVariants: [string, string[]][] = [
    ["", []],
    [", minified, --keep-names", ["--minify", "--keep-names"]],
  ];
  const bunVariants: [string, string[]][] = [["", []], [", minified", ["--minify"]]];
  for (const [name, flags] of esbuildVariants) {
    await check(`esbuild bundle${name}: Node 20 and Node 26 waits, one warning`, async () => {
      const out = `dist/esbuild${flags.length}/app.mjs`;
      const args = ["app.js", "--bundle", "--platform=node", "--format=esm", "--external:koffi"];
      await expectRun(esbuild, [...args, ...flags, `--outfile=${out}`], fresh);
      await runApp(node20, [out], fresh);
      await runApp(node26, [out], fresh, 1);
    });
  }
  for (const [name, flags] of bunVariants) {
    await check(`bun build bundle${name}: Bun waits; for Node: Node 20 and 26 wait`, async () => {
      const dir = `dist/bun${flags.length}`;
      await expectRun(bun, ["build", "app.js", "--target=bun", ...flags, `--outdir=${dir}`], fresh);
      await runApp(bun, [`${dir}/app.js`], fresh);
      const forNode = ["build", "app.js", "--target=node", "--external=koffi", ...flags];
      await expectRun(bun, [...forNode, `--outdir=${dir}-node`], fresh);
      await runApp(node20, [`${dir}-node/app.js`], fresh);
      await runApp(node26, [`${dir}-node/app.js`], fresh, 1);
    });
  }

  // A directory install is a symlink: koffi must be found from the project.
  const linked = `${work}/from-directory`;
  await project(linked, [shipped, PINS.koffi]);
  Deno.writeTextFileSync(`${linked}/app.js`, APP_JS);
  await check("directory install: Node 20 (koffi) waits", async () => {
    if (!Deno.lstatSync(`${linked}/node_modules/iomux`).isSymlink) {
      throw new Error("npm did not symlink the directory: the premise of this check");
    }
    await runApp(node20, ["app.js"], linked);
  });
  await check(
    "directory install: Node 26 waits, one warning",
    () => runApp(node26, ["app.js"], linked, 1),
  );
  await check("directory install: Bun waits", () => runApp(bun, ["app.js"], linked));

  await check(
    "install on AIX/ia32, directly and as a dependency; the first call says why not",
    async () => {
      // npm checks "os"/"cpu" against process.platform/arch; make them another machine's.
      const preload = `${work}/other-platform.cjs`;
      Deno.writeTextFileSync(
        preload,
        'Object.defineProperty(process, "platform", { value: "aix" });\n' +
          'Object.defineProperty(process, "arch", { value: "ia32" });\n',
      );
      const middle = `${work}/middle`;
      Deno.mkdirSync(middle);
      const dependent = { name: "uses-iomux", version: "1.0.0", dependencies: { iomux: tarball } };
      Deno.writeTextFileSync(`${middle}/package.json`, JSON.stringify(dependent) + "\n");
      const packedMiddle = JSON.parse(await expectRun("npm", ["pack", "--json"], middle))[0];
      const env = { NODE_OPTIONS: `--require ${preload}` };
      await project(`${work}/other-platform`, [tarball], [], env);
      await project(
        `${work}/other-platform-indirect`,
        [`${middle}/${packedMiddle.filename}`],
        [],
        env,
      );
      // There, the import works and the first call says why it cannot.
      const firstCall = 'import { pipe } from "iomux/os";\n' +
        "try { pipe(); } catch (e) { console.log(e.message); }";
      const said = await expectRun(
        node20,
        ["--input-type=module", "-e", firstCall],
        `${work}/other-platform`,
        undefined,
        env,
      );
      if (!said.startsWith("iomux: no ABI table for this platform (aix-ia32)")) {
        throw new Error(`the first call said: ${said}`);
      }
    },
  );

  await check("deno task demo from a clean checkout and DENO_DIR downloads nothing", async () => {
    const checkout = `${work}/checkout`;
    const files = (await expectRun("git", ["ls-files", "-co", "--exclude-standard"], ROOT))
      .split("\n").filter((f) => f !== "" && !f.startsWith("npm/"));
    for (const file of files) {
      Deno.mkdirSync(`${checkout}/${file}`.replace(/\/[^/]*$/, ""), { recursive: true });
      try {
        Deno.copyFileSync(`${ROOT}${file}`, `${checkout}/${file}`);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e; // deleted, not yet committed
      }
    }
    const env = { DENO_DIR: `${work}/deno-dir` };
    const text = await expectRun(Deno.execPath(), ["task", "demo"], checkout, undefined, env);
    const downloads = text.split("\n").filter((l) => /Download|Initialize/.test(l));
    const npmCache = [...walk(`${work}/deno-dir/npm`)];
    if (downloads.length > 0 || npmCache.length > 0) {
      throw new Error([...downloads, ...npmCache].join("\n"));
    }
  });

  const passed = reportChecks();
  if (passed) Deno.removeSync(work, { recursive: true });
  else console.log(`projects kept in ${work}`);
  return passed;
}

if (import.meta.main) Deno.exit(await main() ? 0 : 1);
