/**
 * A socket's blocking modes: non-blocking connect, accept and recv (BlockingIOError,
 * readiness through select, SO_ERROR), SOCK_NONBLOCK, and settimeout's waits and
 * validation.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import { select } from "../../select/mod.ts";
import {
  AF_INET,
  BlockingIOError,
  SO_ERROR,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  Socket,
  SOL_SOCKET,
  TimeoutError,
} from "../../socket/mod.ts";
import { errnoOf } from "./_socket_kit.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const windows = abi.os === "windows";

/** A non-blocking connect under way: WSAEWOULDBLOCK on Windows (CPython's SOCK_INPROGRESS_ERR). */
const IN_PROGRESS = windows ? "EWOULDBLOCK" : "EINPROGRESS";

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
