// examples/graceful_shutdown.ts in a child process: it echoes, then exits by itself
// on SIGTERM with every watcher and socket closed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { createConnection } from "../../socket/mod.ts";
import { poll, POLLIN } from "../../select/mod.ts";

describe("examples/graceful_shutdown", () => {
  it("echoes, then shuts down on SIGTERM and exits by itself", async () => {
    const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
    const path = fileURLToPath(new URL(`../../examples/graceful_shutdown${ext}`, import.meta.url));
    const args = "Deno" in globalThis ? ["run", "--allow-ffi", path] : [path];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const listening = new Promise<number>((resolve) => {
      child.stdout!.on("data", (chunk) => {
        out += chunk;
        const match = /listening (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      const port = await listening;
      const client = createConnection(["127.0.0.1", port]);
      try {
        client.sendAll(new TextEncoder().encode("ping"));
        const p = poll();
        p.register(client, POLLIN);
        let got = "";
        while (got.length < 4) {
          await p.pollAsync(10_000);
          got += new TextDecoder().decode(client.recv(100));
        }
        assert.equal(got, "ping");
      } finally {
        client.close();
      }
      // process.kill rather than child.kill: Deno's ChildProcess reports the exit code
      // of a child it was asked to kill as null, even when the child exited by itself.
      process.kill(child.pid!, "SIGTERM");
      assert.equal(await exited, 0, out);
      assert.match(out, /got SIGTERM\nshut down\n$/);
    } finally {
      clearTimeout(timer);
    }
  });
});
