/**
 * What kqueue() does where there is none: OSError ENOSYS saying why, and on Linux,
 * in a Deno child, IOMUX_KQUEUE_LIB unset, unreadable, not loading, or naming
 * libkqueue.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kqueue, kqueue, OSError } from "../../select/mod.ts";
import { abi } from "../../ffi/abi.ts";
import { KQUEUE_LIB_ENV } from "../../ffi/kqueue_lib.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";

const native = abi.kevent !== null;
const available = kqueueUnavailable === false;
const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
const { ENOSYS } = abi.errno;

describe("kqueue where there is none", () => {
  const message = `[Errno ${ENOSYS}] Function not implemented: ` +
    "kqueue needs macOS or FreeBSD, or IOMUX_KQUEUE_LIB naming libkqueue";

  it("kqueue() raises OSError ENOSYS saying why", {
    skip: available ? "kqueue is available" : false,
  }, () => {
    for (const make of [() => kqueue(), () => new Kqueue(), () => Kqueue.fromFd(3)]) {
      assert.throws(
        make,
        (e: unknown) =>
          e instanceof OSError && e.errno === ENOSYS && e.code === "ENOSYS" &&
          e.message === message,
      );
    }
  });

  /** What `kqueue()` does in a Deno child with this environment and these flags. */
  const child = (env: Record<string, string>, flags: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), "iomux-kq-"));
    const script = join(dir, "probe.ts");
    const mod = new URL("../../select/mod.ts", import.meta.url).href;
    writeFileSync(
      script,
      `import { kqueue } from ${JSON.stringify(mod)};\n` +
        `try { kqueue().close(); console.log("ok"); }\n` +
        `catch (e) { console.log(e.constructor.name, e.message); }\n`,
    );
    const childEnv = { ...process.env, ...env };
    try {
      const out = spawnSync(process.execPath, ["run", "--quiet", ...flags, script], {
        env: childEnv,
        encoding: "utf8",
      });
      return out.stdout.trim() || out.stderr.trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const childSkip = native ? "native kqueue" : isDeno ? false : "spawns a Deno child";

  it("on Linux without IOMUX_KQUEUE_LIB, or without permission to read it", {
    skip: childSkip,
  }, () => {
    assert.equal(
      // Empty counts as unset (Deno's child_process cannot remove a variable).
      child({ [KQUEUE_LIB_ENV]: "" }, ["--allow-ffi", "--allow-env"]),
      `OSError ${message}`,
    );
    // Deno without --allow-env cannot read the variable: treated as unset.
    assert.equal(
      child({ [KQUEUE_LIB_ENV]: "/nonexistent/libkqueue.so" }, ["--allow-ffi"]),
      `OSError ${message}`,
    );
  });

  it("on Linux with an IOMUX_KQUEUE_LIB that does not load", { skip: childSkip }, () => {
    const out = child({ [KQUEUE_LIB_ENV]: "/nonexistent/libkqueue.so" }, [
      "--allow-ffi",
      "--allow-env",
    ]);
    assert.match(
      out,
      /^OSError \[Errno \d+\] Function not implemented: cannot load IOMUX_KQUEUE_LIB=\/nonexistent\/libkqueue\.so: /,
    );
  });

  it("on Linux with IOMUX_KQUEUE_LIB naming libkqueue", {
    skip: native
      ? "native kqueue"
      : !isDeno
      ? "spawns a Deno child"
      : !available
      ? `${KQUEUE_LIB_ENV} is not set`
      : false,
  }, () => {
    assert.equal(child({}, ["--allow-ffi", "--allow-env"]), "ok");
  });
});
