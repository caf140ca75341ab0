/**
 * socketpair(): two connected sockets (CPython's loopback TCP pair on Windows), a send
 * to a closed peer, and 4 MiB moved blocking to another process and non-blocking
 * through a select loop.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { abi } from "../../ffi/abi.ts";
import { select } from "../../select/mod.ts";
import {
  AF_INET,
  AF_UNIX,
  BlockingIOError,
  BrokenPipeError,
  SOCK_STREAM,
  Socket,
  socketpair,
} from "../../socket/mod.ts";
import { hasPython } from "../_kit/python.ts";
import { closeAll } from "./_socket_kit.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const windows = abi.os === "windows";

const python = hasPython("import socket");

describe("socketpair", () => {
  it("gives two connected AF_UNIX stream sockets", () => {
    const [a, b] = socketpair();
    try {
      // Windows has no socketpair(2): CPython's loopback TCP pair (Lib/socket.py).
      assert.equal(a.family, windows ? AF_INET : AF_UNIX);
      assert.equal(a.type, SOCK_STREAM);
      a.sendAll(encoder.encode("ab"));
      assert.equal(decoder.decode(b.recv(10)), "ab");
      // A stream socketpair has no sender address: Python gives None.
      a.sendAll(encoder.encode("c"));
      const [data, from] = b.recvFrom(10);
      assert.deepEqual(data, encoder.encode("c"));
      // Windows' pair is TCP, where recvfrom may fill in the peer's address.
      if (!windows) assert.equal(from, null);
    } finally {
      closeAll(a, b);
    }
  });

  it("a send to a closed peer raises BrokenPipeError and the process lives", {
    skip: windows
      ? "Winsock has no EPIPE: a send to a closed peer fails with WSAECONNRESET/WSAECONNABORTED, often only on a later send"
      : false,
  }, () => {
    const [a, b] = socketpair();
    b.close();
    try {
      assert.throws(() => a.send(encoder.encode("x")), BrokenPipeError);
    } finally {
      a.close();
    }
  });

  it("sendAll moves 4 MiB to a reader in another process", { skip: !python }, async () => {
    using server = new Socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    const [, port] = server.getsockname() as [string, number];
    const reader = spawn("python3", [
      "-c",
      "import socket,sys,hashlib\n" +
      "s=socket.create_connection(('127.0.0.1',int(sys.argv[1])))\n" +
      "h=hashlib.sha256();n=0\n" +
      "while True:\n d=s.recv(65536)\n if not d: break\n h.update(d);n+=len(d)\n" +
      "print(n,h.hexdigest())",
      String(port),
    ]);
    let out = "";
    reader.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number>((resolve) =>
      reader.on("exit", (code) => resolve(code ?? -1))
    );
    const [conn] = server.accept();
    const data = new Uint8Array(4 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
    try {
      conn.sendAll(data);
    } finally {
      conn.close();
    }
    assert.equal(await exited, 0);
    const digest = await crypto.subtle.digest("SHA-256", data);
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(out.trim(), `${data.length} ${hex}`);
  });

  it("4 MiB through non-blocking sockets in one thread with a select loop", {
    skip: windows
      ? "under Wine a non-blocking send of 8 MiB on loopback does not fail with WSAEWOULDBLOCK"
      : false,
  }, () => {
    const [a, b] = socketpair();
    try {
      a.setBlocking(false);
      b.setBlocking(false);
      const data = new Uint8Array(4 << 20);
      for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
      const received = new Uint8Array(data.length);
      let sent = 0, got = 0;
      while (got < data.length) {
        const [readable, writable] = select([b], sent < data.length ? [a] : [], [], 10);
        assert.ok(readable.length + writable.length > 0, "select timed out");
        if (writable.length > 0) sent += a.send(data.subarray(sent, sent + 256 * 1024));
        if (readable.length > 0) got += b.recvInto(received.subarray(got));
      }
      assert.deepEqual(received, data);
      // Once the buffer is full, Python's sendall on a non-blocking socket raises.
      assert.throws(() => a.sendAll(new Uint8Array(8 << 20)), BlockingIOError);
    } finally {
      closeAll(a, b);
    }
  });
});
