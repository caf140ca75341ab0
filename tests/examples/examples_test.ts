// The example servers, run in-process against real loopback clients: the select chat
// server step by step, the poll and selectors servers on the event loop while the
// clients wait with pollAsync.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ChatServer } from "../../examples/select_chat_server.ts";
import { LineEchoServer } from "../../examples/poll_server.ts";
import { startEchoServer } from "../../examples/selectors_echo_server.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { createConnection, type Socket } from "../../socket/mod.ts";
import { sleep } from "../_kit/time.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads from a non-blocking `sock` until `text` has arrived, waiting with pollAsync. */
async function readUntil(sock: Socket, text: string, seconds = 10): Promise<string> {
  const p = poll();
  p.register(sock, POLLIN);
  const deadline = performance.now() + seconds * 1000;
  let got = "";
  while (!got.includes(text)) {
    const left = deadline - performance.now();
    assert.ok(
      left > 0,
      `timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(got)}`,
    );
    if ((await p.pollAsync(left)).length === 0) continue;
    const data = sock.recv(65536);
    if (data.length === 0) break;
    got += decoder.decode(data);
  }
  return got;
}

describe("examples", () => {
  it("select chat server broadcasts a line to the other clients only", () => {
    const server = new ChatServer();
    const clients: Socket[] = [];
    try {
      const deadline = performance.now() + 10_000;
      const stepUntil = (done: () => boolean) => {
        while (!done()) {
          assert.ok(performance.now() < deadline, "server made no progress");
          server.step(0.05);
        }
      };
      for (let i = 0; i < 2; i++) {
        clients.push(createConnection(server.address));
        stepUntil(() => server.clients.size === i + 1);
      }
      const [a, b] = clients as [Socket, Socket];
      a.sendAll(encoder.encode("hello\n"));
      b.setBlocking(false);
      let heard = "";
      stepUntil(() => {
        try {
          heard += decoder.decode(b.recv(4096));
        } catch {
          // Nothing yet.
        }
        return heard.includes("hello\n");
      });
      const [host, port] = a.getsockname() as [string, number];
      assert.ok(heard.includes(`[${host}:${port}] hello\n`), heard);
      a.setBlocking(false);
      const own = (() => {
        try {
          return decoder.decode(a.recv(4096));
        } catch {
          return "";
        }
      })();
      assert.ok(!own.includes("hello"), "the sender got its own line back");
    } finally {
      for (const c of clients) c.close();
      server.close();
    }
  });

  it("poll line echo server echoes lines and hangs up after bye", async () => {
    const server = new LineEchoServer();
    const serving = server.serve();
    const client = createConnection(server.address);
    try {
      client.setBlocking(false);
      client.sendAll(encoder.encode("one\ntwo\nbye\nthree\n"));
      const reply = await readUntil(client, "bye\n");
      assert.equal(reply, "one\ntwo\nbye\n");
      assert.equal(await readUntil(client, "<EOF>"), ""); // the server closed
    } finally {
      client.close();
      server.close();
      await serving;
    }
  });

  it("selectors echo server (startEchoServer) echoes 1 MiB", async () => {
    const server = startEchoServer();
    const client = createConnection([server.host, server.port]);
    try {
      client.setBlocking(false);
      const line = "0123456789abcdef".repeat(4) + "\n";
      const payload = line.repeat((1 << 20) / line.length);
      let sent = 0;
      let got = "";
      const bytes = encoder.encode(payload);
      const p = poll();
      p.register(client, POLLIN);
      const deadline = performance.now() + 20_000;
      while (got.length < payload.length) {
        assert.ok(performance.now() < deadline, "echo too slow");
        if (sent < bytes.length) {
          try {
            sent += client.send(bytes.subarray(sent, sent + 65536));
          } catch {
            // Full: read first.
          }
        }
        if ((await p.pollAsync(sent < bytes.length ? 0 : 1000)).length > 0) {
          got += decoder.decode(client.recv(65536), { stream: true });
        } else if (sent < bytes.length) {
          await sleep(0);
        }
      }
      assert.equal(got, payload);
      assert.equal(server.connections, 1);
    } finally {
      client.close();
      server.close();
      await server.done;
    }
  });
});
