/**
 * `open()` failures name the path, as CPython's `os.open` does (`path_error`):
 * `FileNotFoundError: [Errno 2] No such file or directory: 'x'` with `filename` set.
 * Checked against `python3` on the same paths.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { O_RDONLY, O_WRONLY, open } from "../../os/mod.ts";
import { OSError } from "../../errors.ts";
import { haveCommand } from "../_kit/child.ts";

const python = haveCommand("python3", "-c", "import os");

function failure(path: string, flags: number): [string, string, unknown, unknown] {
  try {
    open(path, flags);
  } catch (e) {
    assert.ok(e instanceof OSError);
    return [e.name, e.message, e.errno, e.filename];
  }
  throw new Error(`open(${path}) succeeded`);
}

describe("open() errors carry the filename", () => {
  const dir = mkdtempSync(join(tmpdir(), "iomux-open-"));
  const cases: [string, "O_RDONLY" | "O_WRONLY"][] = [
    [join(dir, "missing"), "O_RDONLY"],
    [join(dir, "it's missing"), "O_RDONLY"],
    [dir, "O_WRONLY"],
    [join(dir, "missing", "below"), "O_RDONLY"],
  ];
  const flags = { O_RDONLY, O_WRONLY };

  it("names the path in the message and in filename", () => {
    const [name, message, , filename] = failure(cases[0]![0], O_RDONLY);
    assert.equal(name, "FileNotFoundError");
    assert.match(message, /^\[Errno \d+\] No such file or directory: '.*missing'$/);
    assert.equal(filename, cases[0]![0]);
  });

  it("matches python3's os.open for the same paths", {
    skip: !python && "python3 is not installed",
  }, () => {
    const script = `
import json, os, sys
out = []
for path, flag in json.loads(sys.argv[1]):
    try:
        os.open(path, getattr(os, flag))
        out.append(None)
    except OSError as e:
        out.append([type(e).__name__, str(e), e.errno, e.filename])
print(json.dumps(out))`;
    const r = spawnSync("python3", ["-c", script, JSON.stringify(cases)], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const expected = JSON.parse(r.stdout);
    assert.deepEqual(cases.map(([path, flag]) => failure(path, flags[flag])), expected);
    rmSync(dir, { recursive: true });
  });
});
