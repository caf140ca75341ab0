// Host names wherever Python takes them: bind, connect, connectEx and sendTo resolve a
// name with getaddrinfo (CPython's setipaddr), createConnection tries every address
// (Lib/socket.py create_connection) and createServer binds a name. Only localhost and
// /etc/hosts names; "example.invalid" for the failures, compared with python3's.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import {
  AF_INET,
  AF_INET6,
  ConnectionRefusedError,
  createConnection,
  createServer,
  gaierror,
  getaddrinfo,
  OSError,
  SOCK_DGRAM,
  SOCK_STREAM,
  Socket,
} from "../../socket/mod.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";
import { hasIPv6 } from "../_kit/ipv6.ts";
import { leakFree as fdChecked } from "../_kit/fds.ts";

const python = hasPython("import socket");
/** The fd-leak check, where there are fds to count (not on Windows, which has no sh). */
const leakFree = abi.os === "windows" ? <T>(body: T) => body : fdChecked;
const encoder = new TextEncoder();

const ipv6 = hasIPv6();

/** A listening loopback server and its port. */
function listener(): [Socket, number] {
  const server = new Socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  return [server, (server.getsockname() as [string, number])[1]];
}

/** A loopback port that nobody listens on (bound, then closed). */
function closedPort(): number {
  using s = new Socket();
  s.bind(["127.0.0.1", 0]);
  return (s.getsockname() as [string, number])[1];
}

/** The error python3 raises for `code` (an expression over `socket`), as `[class, message]`. */
function pythonError(code: string): [string, string] {
  return pythonJson<[string, string]>(`
import json, socket
try:
    ${code}
    print(json.dumps(["none", ""]))
except Exception as e:
    print(json.dumps([type(e).__name__, str(e)]))
`);
}

describe("host names in addresses", () => {
  it(
    "connect and connectEx resolve a name to a local listener",
    leakFree(() => {
      const [server, port] = listener();
      using _server = server;
      using a = new Socket();
      a.connect(["localhost", port]);
      using b = new Socket();
      assert.equal(b.connectEx(["localhost", port]), 0);
      for (const client of [a, b]) {
        const [conn] = server.accept();
        using _conn = conn;
        assert.deepEqual(conn.getpeername(), client.getsockname());
        assert.deepEqual(client.getpeername(), ["127.0.0.1", port]);
      }
    }),
  );

  it(
    'bind and sendTo resolve a name; "" is the wildcard address',
    leakFree(() => {
      using receiver = new Socket(AF_INET, SOCK_DGRAM);
      receiver.bind(["localhost", 0]);
      const [host, port] = receiver.getsockname() as [string, number];
      // What getaddrinfo gives for localhost over IPv4 (127.0.0.1 in /etc/hosts).
      assert.equal(host, getaddrinfo("localhost", null, AF_INET)[0]![4][0]);
      using sender = new Socket(AF_INET, SOCK_DGRAM);
      assert.equal(sender.sendTo(encoder.encode("ping"), ["localhost", port]), 4);
      const [data, from] = receiver.recvFrom(16);
      assert.equal(new TextDecoder().decode(data), "ping");
      assert.deepEqual(from, ["127.0.0.1", (sender.getsockname() as [string, number])[1]]);
      using any = new Socket();
      any.bind(["", 0]);
      assert.equal((any.getsockname() as [string, number])[0], "0.0.0.0");
    }),
  );

  it("a name that does not resolve raises python3's gaierror", () => {
    using s = new Socket();
    assert.throws(() => s.connect(["example.invalid", 80]), (e: unknown) => {
      assert.ok(e instanceof gaierror);
      if (python) {
        assert.deepEqual(
          [e.name, e.message],
          pythonError('socket.socket().connect(("example.invalid", 80))'),
        );
      }
      return true;
    });
    // connect_ex raises a gaierror too: only the connect's own errno is returned.
    assert.throws(() => s.connectEx(["example.invalid", 80]), gaierror);
  });

  it(
    '"<broadcast>" on IPv6 is python3\'s "address family mismatched"',
    { skip: !ipv6 && "no IPv6 sockets here" },
    () => {
      using s = new Socket(AF_INET6);
      assert.throws(() => s.bind(["<broadcast>", 0]), {
        name: "OSError",
        message: "address family mismatched",
      });
      if (python) {
        assert.deepEqual(
          ["OSError", "address family mismatched"],
          pythonError('socket.socket(socket.AF_INET6).bind(("<broadcast>", 0))'),
        );
      }
    },
  );
});

describe("createConnection", () => {
  it(
    "connects by name, with the timeout applied",
    leakFree(() => {
      const [server, port] = listener();
      using _server = server;
      using client = createConnection(["localhost", port], { timeout: 5 });
      assert.equal(client.gettimeout(), 5);
      assert.deepEqual(client.getpeername(), ["127.0.0.1", port]);
      server.accept()[0].close();
    }),
  );

  it(
    "raises the last error, or every error with allErrors",
    leakFree(() => {
      const port = closedPort();
      assert.throws(() => createConnection(["localhost", port]), ConnectionRefusedError);
      const attempts = getaddrinfo("localhost", port, 0, SOCK_STREAM).length;
      assert.throws(
        () => createConnection(["localhost", port], { allErrors: true }),
        (e: unknown) => {
          assert.ok(e instanceof AggregateError);
          assert.equal(e.message, "create_connection failed");
          assert.equal(e.errors.length, attempts);
          assert.ok(e.errors.every((x) => x instanceof ConnectionRefusedError));
          return true;
        },
      );
      assert.throws(() => createConnection(["example.invalid", port]), gaierror);
    }),
  );
});

describe("createServer", () => {
  it(
    "binds a name",
    leakFree(() => {
      using server = createServer(["localhost", 0]);
      assert.equal((server.getsockname() as [string, number])[0], "127.0.0.1");
    }),
  );

  it("re-raises a gaierror as python3's OSError naming the address", () => {
    assert.throws(() => createServer(["example.invalid", 0]), (e: unknown) => {
      assert.ok(e instanceof OSError && !(e instanceof gaierror));
      assert.equal(e.errno, abi.netdb.constants.EAI_NONAME);
      if (python) {
        assert.deepEqual(
          [e.name, e.message],
          pythonError('socket.create_server(("example.invalid", 0))'),
        );
      }
      return true;
    });
  });
});
