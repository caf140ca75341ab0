// koffi is found from the application too, not only from beside iomux: a directory
// install (`npm install ../iomux`), `npm link` or a workspace symlinks the package
// into the application's node_modules, and Node resolves iomux's own requires from
// the symlink's target, where no koffi is. Runs on Node with the koffi backend,
// from the built npm package (npm/tests/ffi/), against a copy of that package.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { koffiSearchOrigins } from "../../ffi/_koffi.ts";
import { libc } from "../../ffi/libc.ts";

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const onNode = !g.Deno && !g.Bun;
const skip = !onNode
  ? "runs on Node (the koffi backend), from the built npm package"
  : libc().backend !== "koffi"
  ? `this Node uses ${libc().backend}, not koffi`
  : nodeFfiPresent()
  // Without koffi in the app such a Node falls back to node:ffi: the premise (the
  // app fails without koffi) cannot be shown there.
  ? "this Node has node:ffi to fall back on"
  : false;

function nodeFfiPresent(): boolean {
  const p = globalThis as { process?: { getBuiltinModule?(id: string): unknown } };
  try {
    return p.process?.getBuiltinModule?.("node:ffi") !== undefined;
  } catch {
    return false;
  }
}

describe("koffi resolution", () => {
  it("looks beside iomux first, then from the working directory and the main script", () => {
    const app = { cwd: () => "/srv/app", argv: ["/usr/bin/node", "/srv/app/main.js"] };
    assert.deepEqual(koffiSearchOrigins("file:///x/iomux/ffi/_koffi.js", app), [
      "file:///x/iomux/ffi/_koffi.js",
      "/srv/app/",
      "/srv/app/main.js",
    ]);
    assert.deepEqual(koffiSearchOrigins("file:///x/_koffi.js", undefined), ["file:///x/_koffi.js"]);
  });

  it("loads koffi installed in an application that symlinks iomux", { skip }, () => {
    const pkg = fileURLToPath(new URL("../../", import.meta.url));
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    assert.equal(manifest.name, "iomux", "runs from the built package");
    // koffi's own folder (its exports hide package.json): up from its entry point.
    let koffiDir = createRequire(join(pkg, "package.json")).resolve("koffi");
    while (basename(koffiDir) !== "koffi") koffiDir = dirname(koffiDir);
    const root = mkdtempSync(join(tmpdir(), "iomux-link-"));
    try {
      // The package outside the application, with no node_modules of its own.
      const copy = join(root, "iomux");
      cpSync(pkg, copy, {
        recursive: true,
        filter: (src) => !/[/\\](node_modules|tests)$/.test(src),
      });
      const app = join(root, "app");
      mkdirSync(join(app, "node_modules"), { recursive: true });
      symlinkSync(copy, join(app, "node_modules", "iomux"), "dir");
      const script = [
        'import { pipe, write, read, close } from "iomux/os";',
        "const [r, w] = pipe();",
        "write(w, new Uint8Array([7]));",
        "console.log(read(r, 1)[0]);",
        "close(r); close(w);",
      ].join("\n");
      const run = (cwd: string) =>
        spawnSync(process.execPath, ["--input-type=module", "-e", script], {
          cwd,
          encoding: "utf8",
        });
      // The premise: without koffi in the application, it is not to be found.
      const without = run(app);
      assert.notEqual(without.status, 0);
      assert.match(without.stderr, /install the koffi package beside iomux/);
      symlinkSync(koffiDir, join(app, "node_modules", "koffi"), "dir");
      const inside = run(app);
      assert.equal(inside.stderr.includes("koffi"), false, inside.stderr);
      assert.equal(inside.stdout.trim(), "7");
      assert.equal(inside.status, 0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
