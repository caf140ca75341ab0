// Each ABI table's symbol names and struct pollfd layout against the target's own C
// headers (scripts/check_abi_symbols.ts): compiled with clang, never run. The host's
// headers are always checked; other targets when their header trees are named in the
// environment (see the script). Skipped, saying why, where clang is not installed.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ABI_TABLES, platformKey } from "../../ffi/abi.ts";
import {
  checkTarget,
  compilerAvailable,
  removeOverlays,
  targetFlags,
} from "../../scripts/check_abi_symbols.ts";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno === "object";
const clang = isDeno && compilerAvailable();
const host = platformKey();
const skip = !isDeno
  ? "runs under Deno (the checker is a Deno script)"
  : !clang
  ? "clang is not installed (Debian: apt-get install clang)"
  : host !== "linux-x86_64"
  ? `the host control needs linux-x86_64 headers, this is ${host}`
  : false;

describe("ABI tables against C headers", { skip }, () => {
  const flags = skip ? {} : targetFlags((name) => Deno.env.get(name));
  after(removeOverlays);
  const hostFlags = () => {
    const how = flags[host]!;
    assert.ok("flags" in how, "the host target is always checked");
    return how.flags;
  };

  it("binds on the host exactly the symbols its headers make C programs call", () => {
    const report = checkTarget(host, ABI_TABLES[host]!, hostFlags());
    assert.deepEqual(report.mismatches, []);
    // Premise: the compile saw the headers (the required symbols all resolved).
    for (const name of ["select", "poll", "read", "recv", "epoll_wait", "__errno_location"]) {
      assert.equal(report.declared[name], name);
    }
  });

  it("reports a wrong symbol name, a wrong pollfd offset and a wrong feature flag", () => {
    const table = ABI_TABLES[host]!;
    const doctored = {
      ...table,
      symbolNames: { read: "read$1050" },
      pollfd: { ...table.pollfd, revents: 4 },
      hasPipe2: false,
    };
    const { mismatches } = checkTarget(host, doctored, hostFlags());
    assert.equal(mismatches.length, 3, mismatches.join("\n"));
    assert.match(mismatches.join("\n"), /read: iomux binds read\$1050, C programs call read/);
    assert.match(mismatches.join("\n"), /struct pollfd/);
    assert.match(mismatches.join("\n"), /hasPipe2 says false, but pipe2 is declared/);
  });

  for (const target of Object.keys(ABI_TABLES).filter((t) => t !== host)) {
    const how = flags[target];
    it(`${target} agrees with its headers`, {
      skip: how && "skip" in how ? how.skip : false,
    }, () => {
      assert.ok(how && "flags" in how);
      const report = checkTarget(target, ABI_TABLES[target]!, how.flags);
      assert.deepEqual(report.mismatches, []);
      if (target === "darwin-x86_64") assert.equal(report.declared.select, "select$1050");
      if (target === "darwin-aarch64") assert.equal(report.declared.select, "select");
    });
  }
});
