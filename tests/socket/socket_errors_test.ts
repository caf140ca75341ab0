/**
 * Closed sockets and bad arguments: EBADF after close, CPython's messages for sizes
 * and addresses, wrapping an fd (and refusing a non-socket), and close-on-exec on
 * every fd a socket call makes.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import { libc } from "../../ffi/libc.ts";
import { close, pipe } from "../../os/mod.ts";
import {
  AF_INET,
  AF_UNIX,
  gaierror,
  OSError,
  SOCK_DGRAM,
  Socket,
  socketpair,
  ValueError,
} from "../../socket/mod.ts";
import { UNIX_SOCKETS } from "../_kit/platform.ts";
import { closeAll, tcpTrio } from "./_socket_kit.ts";

const windows = abi.os === "windows";

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
