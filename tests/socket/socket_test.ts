// The socket module against real sockets on loopback (IPv4, IPv6 when the machine has
// it), Unix stream and datagram sockets in a temporary directory, and socketpairs.
// Where CPython's answer matters, python3 (when installed) is asked directly.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { abi } from "../../ffi/abi.ts";
import { libc } from "../../ffi/libc.ts";
import { close, pipe } from "../../os/mod.ts";
import { select } from "../../select/mod.ts";
import * as socket from "../../socket/mod.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  BlockingIOError,
  BrokenPipeError,
  ConnectionRefusedError,
  createServer,
  gaierror,
  MSG_PEEK,
  OSError,
  SHUT_WR,
  SO_ERROR,
  SO_LINGER,
  SO_REUSEADDR,
  SO_TYPE,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  Socket,
  socketpair,
  SOL_SOCKET,
  TimeoutError,
  ValueError,
} from "../../socket/mod.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";
import { hasIPv6 } from "../_kit/ipv6.ts";
import { UNIX_SOCKETS } from "../_kit/platform.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const windows = abi.os === "windows";
/** A non-blocking connect under way: WSAEWOULDBLOCK on Windows (CPython's SOCK_INPROGRESS_ERR). */
const IN_PROGRESS = windows ? "EWOULDBLOCK" : "EINPROGRESS";

const errnoOf = (name: string) =>
  Number(Object.entries(abi.errnoNames).find(([, n]) => n === name)![0]);

const python = hasPython("import socket");

const ipv6 = hasIPv6();

/** A listening TCP server, a client connected to it and the accepted peer. */
function tcpTrio(family = AF_INET, host = "127.0.0.1"): [Socket, Socket, Socket] {
  const server = new Socket(family);
  server.bind([host, 0]);
  server.listen();
  const client = new Socket(family);
  client.connect(server.getsockname());
  const [conn] = server.accept();
  return [server, client, conn];
}

function closeAll(...socks: Socket[]): void {
  for (const s of socks) s.close();
}

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "iomux-sock-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

describe("non-blocking sockets", () => {
  it("connect raises BlockingIOError, select reports writable, SO_ERROR is 0", () => {
    using server = new Socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    using client = new Socket();
    client.setBlocking(false);
    assert.equal(client.getBlocking(), false);
    try {
      client.connect(server.getsockname());
    } catch (e) {
      assert.ok(e instanceof BlockingIOError);
      assert.equal(e.code, IN_PROGRESS);
    }
    const [, writable] = select([], [client], [], 10);
    assert.deepEqual(writable, [client]);
    assert.equal(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
    const [conn] = server.accept();
    conn.close();
  });

  it("a refused non-blocking connect reports ECONNREFUSED through SO_ERROR", () => {
    using holder = new Socket();
    holder.bind(["127.0.0.1", 0]);
    using client = new Socket();
    client.setBlocking(false);
    const errno = client.connectEx(holder.getsockname());
    if (errno !== errnoOf("ECONNREFUSED")) {
      assert.equal(errno, errnoOf(IN_PROGRESS));
      // Windows reports a refused connect as exceptional (Lib/selectors.py on win32).
      select([], [client], windows ? [client] : [], 10);
      assert.equal(client.getsockopt(SOL_SOCKET, SO_ERROR), errnoOf("ECONNREFUSED"));
    }
  });

  it("accept and recv raise BlockingIOError; accepted sockets are blocking", () => {
    using server = new Socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    server.setBlocking(false);
    assert.throws(() => server.accept(), BlockingIOError);
    using client = new Socket();
    client.connect(server.getsockname());
    select([server], [], [], 10);
    const [conn] = server.accept();
    using _conn = conn;
    assert.equal(conn.getBlocking(), true);
    conn.setBlocking(false);
    assert.throws(() => conn.recv(10), BlockingIOError);
  });

  it("SOCK_NONBLOCK in type makes a non-blocking socket with a plain type", {
    skip: SOCK_NONBLOCK === 0,
  }, () => {
    using s = new Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
    assert.equal(s.getBlocking(), false);
    assert.equal(s.type, SOCK_STREAM);
  });
});

describe("timeouts (settimeout)", () => {
  it("accept and recv raise TimeoutError('timed out') after at least the timeout", () => {
    using server = new Socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    server.settimeout(0.05);
    assert.equal(server.gettimeout(), 0.05);
    assert.equal(server.getBlocking(), true);
    let start = performance.now();
    assert.throws(() => server.accept(), (e: unknown) => {
      assert.ok(e instanceof TimeoutError);
      assert.equal(e.message, "timed out");
      assert.equal(e.errno, null);
      return true;
    });
    assert.ok(performance.now() - start >= 49, "returned early");
    using client = new Socket();
    client.settimeout(5);
    client.connect(server.getsockname());
    const [conn] = server.accept();
    using _conn = conn;
    conn.settimeout(0.05);
    start = performance.now();
    assert.throws(() => conn.recv(10), TimeoutError);
    assert.ok(performance.now() - start >= 49, "returned early");
    client.sendAll(encoder.encode("in time"));
    assert.equal(decoder.decode(conn.recv(100)), "in time");
  });

  it("settimeout validates like Python; setBlocking maps to null and 0", () => {
    using s = new Socket();
    assert.equal(s.gettimeout(), null);
    assert.throws(() => s.settimeout(-1), {
      name: "ValueError",
      message: "Timeout value out of range",
    });
    assert.throws(() => s.settimeout(NaN), { message: "Invalid value NaN (not a number)" });
    s.setBlocking(false);
    assert.equal(s.gettimeout(), 0);
    s.setBlocking(true);
    assert.equal(s.gettimeout(), null);
  });
});

describe("closed sockets and bad arguments", () => {
  it("close is idempotent; fileno is -1; calls raise EBADF as in Python", () => {
    const s = new Socket();
    const fd = s.fileno();
    s.close();
    s.close();
    assert.equal(s.closed, true);
    assert.equal(s.fileno(), -1);
    assert.equal(
      s.toString(),
      `<socket.socket [closed] fd=-1, family=${AF_INET}, type=1, proto=0>`,
    );
    for (
      const call of [
        () => s.recv(1),
        () => s.send(new Uint8Array(1)),
        () => s.getsockname(),
        () => s.bind(["127.0.0.1", 0]),
        () => s.setBlocking(false),
      ]
    ) {
      // Windows: fd -1 is INVALID_SOCKET, which Winsock calls WSAENOTSOCK (as CPython).
      assert.throws(
        call,
        (e: unknown) => e instanceof OSError && e.code === (windows ? "ENOTSOCK" : "EBADF"),
      );
    }
    assert.ok(fd >= 0);
  });

  it("recv_into and recv check sizes with CPython's messages", () => {
    const [a, b] = socketpair();
    try {
      assert.throws(() => a.recvInto(new Uint8Array(2), 5), {
        name: "ValueError",
        message: "buffer too small for requested bytes",
      });
      assert.throws(() => a.recvInto(new Uint8Array(2), -1), ValueError);
      assert.throws(() => a.recv(-1), { message: "negative buffersize in recv" });
      assert.throws(() => a.recvFromInto(new Uint8Array(2), 5), {
        message: "nbytes is greater than the length of the buffer",
      });
      assert.throws(() => a.recv(1.5), TypeError);
      // Zero bytes asks the kernel nothing: no BlockingIOError on an empty socket.
      a.setBlocking(false);
      assert.equal(a.recv(0).length, 0);
      assert.equal(a.recvInto(new Uint8Array(0)), 0);
    } finally {
      closeAll(a, b);
    }
  });

  it("address errors: TypeError, RangeError, gaierror", { skip: UNIX_SOCKETS }, () => {
    using s = new Socket();
    // deno-lint-ignore no-explicit-any
    const bind = (a: any) => () => s.bind(a);
    assert.throws(bind("x"), {
      name: "TypeError",
      message: "bind(): AF_INET address must be tuple, not str",
    });
    assert.throws(bind(["a"]), { message: "AF_INET address must be a pair (host, port)" });
    assert.throws(bind([1, 2]), { message: "str, bytes or bytearray expected, not int" });
    assert.throws(bind(["127.0.0.1", 70000]), {
      name: "RangeError",
      message: "bind(): port must be 0-65535.",
    });
    assert.throws(
      bind(["no-such-host.invalid", 0]),
      (e: unknown) => e instanceof gaierror && e.code === "EAI_NONAME",
    );
    assert.throws(
      bind(["::1", 0]),
      (e: unknown) => e instanceof gaierror && e.code === "EAI_ADDRFAMILY",
    );
    using u = new Socket(AF_UNIX);
    assert.throws(() => u.bind(1 as unknown as string), {
      message: "a bytes-like object is required, not 'int'",
    });
  });

  it(
    "wraps an fd and detects family and type; refuses a non-socket",
    { skip: UNIX_SOCKETS },
    () => {
      const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
      try {
        const wrapped = new Socket(undefined, undefined, undefined, a.detach());
        using _w = wrapped;
        assert.equal(wrapped.family, AF_UNIX);
        assert.equal(wrapped.type, SOCK_DGRAM);
        assert.throws(() => new Socket(undefined, undefined, undefined, -1), {
          message: "negative file descriptor",
        });
        const [r, w] = pipe();
        try {
          assert.throws(
            () => new Socket(undefined, undefined, undefined, r),
            (e: unknown) => e instanceof OSError && e.code === "ENOTSOCK",
          );
        } finally {
          close(r);
          close(w);
        }
      } finally {
        closeAll(a, b);
      }
    },
  );

  it("every fd is close-on-exec (socket, accept, socketpair)", () => {
    const [server, client, conn] = tcpTrio();
    const [a, b] = socketpair();
    try {
      for (const s of [server, client, conn, a, b]) {
        const flags = libc().fcntl(s.fileno(), abi.fcntl.F_GETFD, 0);
        assert.equal(flags & abi.fcntl.FD_CLOEXEC, abi.fcntl.FD_CLOEXEC);
      }
    } finally {
      closeAll(server, client, conn, a, b);
    }
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
