/**
 * Unix sockets of the socket module: stream and datagram sockets bound to paths in a
 * temporary directory, the path length limit, and Linux's abstract names.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { abi } from "../../ffi/abi.ts";
import { AF_UNIX, SOCK_DGRAM, Socket } from "../../socket/mod.ts";
import { UNIX_SOCKETS } from "../_kit/platform.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "iomux-sock-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Unix sockets", { skip: UNIX_SOCKETS }, () => {
  it("stream: bind a path, accept, addresses are paths", () => {
    withTempDir((dir) => {
      const path = join(dir, "stream.sock");
      using server = new Socket(AF_UNIX);
      server.bind(path);
      server.listen();
      assert.equal(server.getsockname(), path);
      using client = new Socket(AF_UNIX);
      assert.equal(client.getsockname(), "");
      client.connect(path);
      const [conn, address] = server.accept();
      using _conn = conn;
      assert.equal(address, "");
      assert.equal(client.getpeername(), path);
      client.sendAll(encoder.encode("unix"));
      assert.equal(decoder.decode(conn.recv(10)), "unix");
      assert.equal(server.toString().endsWith(`laddr='${path}'>`), true);
    });
  });

  it("datagram: sendTo/recvFrom carry the sender's path", () => {
    withTempDir((dir) => {
      using a = new Socket(AF_UNIX, SOCK_DGRAM);
      using b = new Socket(AF_UNIX, SOCK_DGRAM);
      a.bind(join(dir, "a"));
      b.bind(join(dir, "b"));
      assert.equal(a.sendTo(encoder.encode("one"), join(dir, "b")), 3);
      a.sendTo(encoder.encode("two"), 0, join(dir, "b"));
      const [data, from] = b.recvFrom(100);
      assert.equal(decoder.decode(data), "one");
      assert.equal(from, join(dir, "a"));
      const buf = new Uint8Array(10);
      assert.deepEqual(b.recvFromInto(buf), [3, join(dir, "a")]);
    });
  });

  it("a path too long raises OSError('AF_UNIX path too long')", () => {
    using s = new Socket(AF_UNIX);
    assert.throws(() => s.bind("/tmp/" + "x".repeat(200)), {
      name: "OSError",
      message: "AF_UNIX path too long",
    });
  });

  it("Linux abstract names start with NUL", { skip: abi.os !== "linux" }, () => {
    const name = `\0iomux-test-${Math.random()}`;
    using s = new Socket(AF_UNIX);
    s.bind(name);
    assert.equal(s.getsockname(), name);
  });
});
