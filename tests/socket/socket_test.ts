// The socket module against real sockets on loopback (IPv4, IPv6 when the machine has
// it) and UDP, its constants and inet_pton/inet_ntop. Where CPython's answer matters,
// python3 (when installed) is asked directly. Unix sockets, socketpairs, blocking
// modes and errors have their own files beside this one.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import * as socket from "../../socket/mod.ts";
import {
  AF_INET,
  AF_INET6,
  ConnectionRefusedError,
  createServer,
  MSG_PEEK,
  OSError,
  SHUT_WR,
  SO_LINGER,
  SO_REUSEADDR,
  SO_TYPE,
  SOCK_DGRAM,
  SOCK_STREAM,
  Socket,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";
import { hasIPv6 } from "../_kit/ipv6.ts";
import { closeAll, errnoOf, tcpTrio } from "./_socket_kit.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const windows = abi.os === "windows";

const python = hasPython("import socket");

const ipv6 = hasIPv6();

describe("socket constants", () => {
  it("match python3's socket module", { skip: !python }, () => {
    const names = Object.keys(abi.socket.constants).filter((n) =>
      (socket as Record<string, unknown>)[n] !== 0 || n === "AF_UNSPEC" || n.startsWith("SHUT_")
    );
    const script =
      "import socket,json,sys;print(json.dumps({n:getattr(socket,n,None) for n in sys.argv[1:]}))";
    const theirs = pythonJson<Record<string, number | null>>(script, names);
    for (const name of names) {
      if (theirs[name] === null) continue; // Python built without it.
      assert.equal((socket as Record<string, unknown>)[name], theirs[name], name);
    }
  });
});

describe("Socket over IPv4 TCP", () => {
  it("connects, accepts and reports Python-style addresses", () => {
    const [server, client, conn] = tcpTrio();
    try {
      const [host, port] = server.getsockname() as [string, number];
      assert.equal(host, "127.0.0.1");
      assert.ok(port > 0);
      assert.deepEqual(client.getpeername(), ["127.0.0.1", port]);
      assert.deepEqual(conn.getpeername(), client.getsockname());
      assert.deepEqual(conn.getsockname(), ["127.0.0.1", port]);
      assert.equal(conn.family, AF_INET);
      assert.equal(conn.type, SOCK_STREAM);
      assert.equal(conn.proto, 0);
      assert.equal(conn.getBlocking(), true);
      assert.equal(
        server.toString(),
        `<socket.socket fd=${server.fileno()}, family=${AF_INET}, type=1, proto=0, laddr=('127.0.0.1', ${port})>`,
      );
      const [, cport] = client.getsockname() as [string, number];
      assert.match(
        client.toString(),
        new RegExp(`laddr=\\('127.0.0.1', ${cport}\\), raddr=\\('127.0.0.1', ${port}\\)>$`),
      );
    } finally {
      closeAll(server, client, conn);
    }
  });

  it("accept returns the client's address", () => {
    using server = new Socket();
    server.bind(["127.0.0.1", 0]);
    server.listen(5);
    using client = new Socket();
    client.connect(["localhost", (server.getsockname() as [string, number])[1]]);
    const [conn, address] = server.accept();
    using _conn = conn;
    assert.deepEqual(address, client.getsockname());
  });

  it("moves bytes both ways, recv gives exactly what arrived, empty at EOF", () => {
    const [server, client, conn] = tcpTrio();
    try {
      assert.equal(client.send(encoder.encode("hello")), 5);
      const got = conn.recv(1024);
      assert.equal(decoder.decode(got), "hello");
      assert.equal(got.byteLength, 5);
      assert.equal(got.buffer.byteLength, 5);
      conn.sendAll(encoder.encode("world"));
      const buf = new Uint8Array(16);
      assert.equal(client.recvInto(buf.subarray(3), 5), 5);
      assert.equal(decoder.decode(buf.subarray(3, 8)), "world");
      client.close();
      assert.equal(conn.recv(10).length, 0);
    } finally {
      closeAll(server, client, conn);
    }
  });

  it("shutdown(SHUT_WR) gives the peer EOF while the other direction stays open", () => {
    const [server, client, conn] = tcpTrio();
    try {
      client.sendAll(encoder.encode("last"));
      client.shutdown(SHUT_WR);
      assert.equal(decoder.decode(conn.recv(100)), "last");
      assert.equal(conn.recv(100).length, 0);
      conn.sendAll(encoder.encode("reply"));
      assert.equal(decoder.decode(client.recv(100)), "reply");
    } finally {
      closeAll(server, client, conn);
    }
  });

  it("MSG_PEEK leaves the data queued", () => {
    const [server, client, conn] = tcpTrio();
    try {
      client.sendAll(encoder.encode("peek"));
      assert.equal(decoder.decode(conn.recv(4, MSG_PEEK)), "peek");
      assert.equal(decoder.decode(conn.recv(4)), "peek");
    } finally {
      closeAll(server, client, conn);
    }
  });

  it("EADDRINUSE is an OSError with errno and code", () => {
    using a = new Socket();
    a.bind(["127.0.0.1", 0]);
    a.listen();
    using b = new Socket();
    assert.throws(() => b.bind(a.getsockname()), (e: unknown) => {
      assert.ok(e instanceof OSError);
      assert.equal(e.errno, errnoOf("EADDRINUSE"));
      assert.equal(e.code, "EADDRINUSE");
      return true;
    });
    const [, port] = a.getsockname() as [string, number];
    assert.throws(
      () => createServer(["127.0.0.1", port]),
      (e: unknown) =>
        e instanceof OSError &&
        e.message.endsWith(
          `(while attempting to bind on address ('127.0.0.1', ${port}))`,
        ),
    );
  });

  it("a refused connection raises ConnectionRefusedError; connectEx returns the errno", () => {
    // A bound but not listening port refuses at once, and nobody else can take it.
    using holder = new Socket();
    holder.bind(["127.0.0.1", 0]);
    using client = new Socket();
    assert.throws(() => client.connect(holder.getsockname()), ConnectionRefusedError);
    using again = new Socket();
    assert.equal(again.connectEx(holder.getsockname()), errnoOf("ECONNREFUSED"));
  });

  it("options: SO_REUSEADDR as an int, SO_LINGER as bytes, buflen checked", () => {
    using s = new Socket();
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    assert.notEqual(s.getsockopt(SOL_SOCKET, SO_REUSEADDR), 0);
    assert.equal(s.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    // struct linger is two ints, two u_shorts on Windows.
    const linger = windows
      ? new Uint8Array(new Uint16Array([1, 0]).buffer)
      : new Uint8Array(new Int32Array([1, 0]).buffer);
    s.setsockopt(SOL_SOCKET, SO_LINGER, linger);
    assert.deepEqual(s.getsockopt(SOL_SOCKET, SO_LINGER, linger.length), linger);
    assert.throws(() => s.getsockopt(SOL_SOCKET, SO_TYPE, 2000), {
      name: "OSError",
      message: "getsockopt buflen out of range",
    });
  });
});

describe("Socket over IPv6", () => {
  it("binds ::1 and reports 4-tuples", { skip: !ipv6 }, () => {
    const [server, client, conn] = tcpTrio(AF_INET6, "::1");
    try {
      const address = server.getsockname();
      assert.equal(address.length, 4);
      const [host, port, flowinfo, scopeId] = address as [string, number, number, number];
      assert.deepEqual([host, flowinfo, scopeId], ["::1", 0, 0]);
      assert.deepEqual(client.getpeername(), ["::1", port, 0, 0]);
      client.sendAll(encoder.encode("six"));
      assert.equal(decoder.decode(conn.recv(10)), "six");
      assert.match(server.toString(), new RegExp(`laddr=\\('::1', ${port}, 0, 0\\)>$`));
    } finally {
      closeAll(server, client, conn);
    }
  });
});

describe("UDP", () => {
  it("sendTo/recvFrom over 127.0.0.1", () => {
    using a = new Socket(AF_INET, SOCK_DGRAM);
    using b = new Socket(AF_INET, SOCK_DGRAM);
    b.bind(["127.0.0.1", 0]);
    a.sendTo(encoder.encode("datagram"), b.getsockname());
    if (windows) {
      // Winsock fails a truncated datagram with WSAEMSGSIZE, as CPython reports it.
      assert.throws(
        () => b.recvFrom(3),
        (e: unknown) => e instanceof OSError && e.winerror === 10040,
      );
      return;
    }
    const [data, from] = b.recvFrom(3);
    assert.equal(decoder.decode(data), "dat"); // the rest of the datagram is discarded
    // a was bound implicitly to 0.0.0.0 by its first send; the datagram names 127.0.0.1.
    assert.deepEqual(from, ["127.0.0.1", (a.getsockname() as [string, number])[1]]);
  });
});

describe("inet_pton / inet_ntop", () => {
  it("agree with python3 on canonical forms", { skip: !python }, () => {
    const samples = [
      "::",
      "::1",
      "1::",
      "fe80::1",
      "::ffff:1.2.3.4",
      "::1.2.3.4",
      "1:0:0:2:0:0:0:3",
      "2001:db8::ff00:42:8329",
      "1:2:3:4:5:6:7::",
    ];
    const script =
      "import socket,sys,json;print(json.dumps([socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, a)) for a in sys.argv[1:]]))";
    const theirs = pythonJson<string[]>(script, samples);
    const ours = samples.map((a) => socket.inetNtop(AF_INET6, socket.inetPton(AF_INET6, a)));
    assert.deepEqual(ours, theirs);
    assert.throws(() => socket.inetPton(AF_INET, "127.1"), {
      message: "illegal IP address string passed to inet_pton",
    });
    assert.deepEqual([...socket.inetAton("127.1")], [127, 0, 0, 1]);
  });
});
