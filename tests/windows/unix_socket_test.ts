/**
 * AF_UNIX stream sockets on Windows (Windows 10 1803 and later have them in Winsock,
 * `afunix.h`): iomux makes no difference between them and the Unix ones, and the
 * address is a path, as on Unix. CPython 3.13 has no `socket.AF_UNIX` on Windows, so
 * this goes beyond it. Wine 10 refuses to make one (WSAEAFNOSUPPORT): the case then
 * skips with the error Winsock gave. Runs under scripts/wine.sh; skipped elsewhere.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { AF_UNIX, OSError, SOCK_STREAM, Socket } from "../../socket/mod.ts";
import { NOT_WINDOWS } from "./_winsock.ts";

/** Why AF_UNIX cannot be tested here: Winsock's refusal to make one, or `false`. */
function refusal(): string | false {
  if (NOT_WINDOWS) return NOT_WINDOWS;
  try {
    new Socket(AF_UNIX, SOCK_STREAM).close();
    return false;
  } catch (e) {
    if (!(e instanceof OSError)) throw e;
    return `this Winsock refuses AF_UNIX sockets: ${e.message}`;
  }
}

describe("AF_UNIX sockets on Windows", { skip: refusal() }, () => {
  it("bind, listen, connect, accept and a byte each way over a path", () => {
    const path = `iomux-${Date.now()}-${Math.random().toString(36).slice(2)}.sock`;
    using server = new Socket(AF_UNIX, SOCK_STREAM);
    try {
      server.bind(path);
      server.listen();
      assert.equal(server.getsockname(), path);
      using client = new Socket(AF_UNIX, SOCK_STREAM);
      client.connect(path);
      const [conn] = server.accept();
      using _ = conn;
      assert.equal(client.send(new Uint8Array([7])), 1);
      assert.deepEqual(conn.recv(4), new Uint8Array([7]));
      assert.equal(conn.send(new Uint8Array([8])), 1);
      assert.deepEqual(client.recv(4), new Uint8Array([8]));
    } finally {
      rmSync(path, { force: true });
    }
  });
});
