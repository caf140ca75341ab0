// examples/graceful_shutdown.ts in a child process: it echoes, then exits by itself
// on SIGTERM with every watcher and socket closed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { createConnection } from "../../socket/mod.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { serveEcho } from "../../examples/graceful_shutdown.ts";
import type { Socket } from "../../socket/mod.ts";

async function echoOnce(client: Socket, text: string): Promise<string> {
  client.sendAll(new TextEncoder().encode(text));
  const p = poll();
  p.register(client, POLLIN);
  let got = "";
  while (got.length < text.length) {
    await p.pollAsync(10_000);
    got += new TextDecoder().decode(client.recv(100));
  }
  return got;
}

describe("examples/graceful_shutdown", () => {
  it("serveEcho echoes until its signal aborts", async () => {
    const controller = new AbortController();
    const server = serveEcho(0, controller.signal);
    const clients = [0, 1, 2].map(() => createConnection(["127.0.0.1", server.port]));
    try {
      const echoed = await Promise.all(clients.map((c, i) => echoOnce(c, `client ${i}`)));
      assert.deepEqual(echoed, ["client 0", "client 1", "client 2"]);
    } finally {
      for (const client of clients) client.close();
    }
    controller.abort();
    await server.stopped;
  });

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
        assert.equal(await echoOnce(client, "ping"), "ping");
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
