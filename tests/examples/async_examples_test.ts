// The async examples, run as the README says (Deno only: they are scripts that read
// Deno.args): the echo server answers its clients while its ticker keeps time, and
// the character-device reader gets every reading from its simulated sensor.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";

const isDeno = "Deno" in globalThis;

function runExample(name: string, permissions: string[]): Promise<string> {
  const path = fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["run", ...permissions, path],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe("async examples", { skip: !isDeno }, () => {
  it("async_echo_server.ts echoes every client line while the ticker runs", async () => {
    const out = await runExample("async_echo_server.ts", ["--allow-ffi", "--allow-net"]);
    for (
      const line of [
        "alice got back: alice line 3",
        "bob got back: bob line 2",
        "carol got back: carol line 4",
      ]
    ) {
      assert.ok(out.includes(line), `missing ${JSON.stringify(line)} in:\n${out}`);
    }
    assert.equal(out.match(/disconnected/g)?.length, 3);
    assert.ok((out.match(/^tick /gm)?.length ?? 0) >= 3, out);
    assert.match(out, /shut down after \d+ ticks/);
  });

  it("char_device.ts reads each reading of the simulated sensor", async () => {
    const out = await runExample("char_device.ts", ["--allow-ffi", "--allow-write", "--allow-run"]);
    const readings = out.match(/temp=2\d\.5C/g) ?? [];
    assert.deepEqual(readings, [
      "temp=21.5C",
      "temp=22.5C",
      "temp=23.5C",
      "temp=24.5C",
      "temp=25.5C",
      "temp=26.5C",
    ]);
    assert.ok(out.includes("tick 1"), out);
  });
});
