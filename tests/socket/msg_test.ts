/**
 * `sendmsg`/`recvmsg`/`recvmsgInto` with ancillary data, `sendFds`/`recvFds`,
 * `CMSG_LEN`/`CMSG_SPACE` (CPython's `Modules/socketmodule.c` `sock_sendmsg`,
 * `sock_recvmsg_guts`, `Lib/socket.py` `send_fds`/`recv_fds`): fds passed both ways
 * over a socketpair, gathering and scattering, truncated control data, datagram
 * addresses, non-blocking mode and timeouts. msg_python_test.ts compares with python3.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BlockingIOError, OSError, TimeoutError } from "../../errors.ts";
import { ValueError } from "../../_plain_errors.ts";
import { close, pipe, read, write } from "../../os/mod.ts";
import {
  AF_INET,
  AF_UNIX,
  CMSG_LEN,
  CMSG_SPACE,
  MSG_CTRUNC,
  MSG_TRUNC,
  recvFds,
  SCM_RIGHTS,
  sendFds,
  SOCK_DGRAM,
  SOCK_STREAM,
  Socket,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { isCloseOnExec } from "../_kit/child.ts";
import { assertRaises } from "../_kit/errors.ts";
import { leakFree } from "../_kit/fds.ts";
import { withSocketPair as withPair } from "../_kit/sockets.ts";
import { UNIX_SOCKETS } from "../_kit/platform.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (s: string) => encoder.encode(s);

/** The ints of an `SCM_RIGHTS` item's data. */
function fdsOf(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Array.from({ length: data.byteLength >> 2 }, (_, i) => view.getInt32(i * 4, true));
}

function withTempDir<R>(body: (dir: string) => R): R {
  const dir = mkdtempSync(join(tmpdir(), "iomux-msg-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("sendmsg/recvmsg pass fds over a Unix socketpair", { skip: UNIX_SOCKETS }, () => {
  it(
    "a pipe's write end, passed a → b: written on the received fd, read on the original",
    withPair(SOCK_STREAM, (a, b) => {
      const [r, w] = pipe();
      try {
        assert.equal(a.sendmsg([text("x")], [[SOL_SOCKET, SCM_RIGHTS, new Int32Array([w])]]), 1);
        const [data, ancdata, flags, address] = b.recvmsg(10, CMSG_SPACE(4));
        assert.deepEqual([...data], [...text("x")]);
        assert.equal(flags, 0);
        assert.equal(address, null);
        assert.equal(ancdata.length, 1);
        const [level, type, payload] = ancdata[0]!;
        assert.deepEqual([level, type, payload.byteLength], [SOL_SOCKET, SCM_RIGHTS, 4]);
        const [received] = fdsOf(payload);
        assert.notEqual(received, w, "the kernel made a new fd");
        write(received!, text("through the copy"));
        close(received!);
        assert.equal(decoder.decode(read(r, 100)), "through the copy");
      } finally {
        close(r);
        close(w);
      }
    }),
  );

  it(
    "a pipe's read end, passed b → a with sendFds/recvFds, two fds at once",
    withPair(SOCK_STREAM, (a, b) => {
      const [r, w] = pipe();
      try {
        assert.equal(sendFds(b, [text("fd"), text("s")], [r, w]), 3);
        const [msg, fds, flags] = recvFds(a, 10, 2);
        assert.equal(decoder.decode(msg), "fds");
        assert.equal(flags, 0);
        assert.equal(fds.length, 2);
        write(w, text("to the original"));
        assert.equal(decoder.decode(read(fds[0]!, 100)), "to the original");
        write(fds[1]!, text("and back"));
        assert.equal(decoder.decode(read(r, 100)), "and back");
        fds.forEach(close);
      } finally {
        close(r);
        close(w);
      }
    }),
  );

  it(
    "received fds are inheritable, as CPython's (no MSG_CMSG_CLOEXEC)",
    { skip: process.platform !== "linux" && "reads /proc/<pid>/fdinfo" },
    withPair(SOCK_STREAM, (a, b) => {
      const [r, w] = pipe();
      try {
        assert.ok(isCloseOnExec(r), "premise: iomux's pipe is close-on-exec");
        sendFds(a, [text("x")], [r]);
        const [, [received]] = recvFds(b, 1, 1);
        assert.equal(isCloseOnExec(received!), false);
        close(received!);
      } finally {
        close(r);
        close(w);
      }
    }),
  );

  it(
    "several buffers are gathered into one message; recvmsgInto scatters it",
    withPair(SOCK_STREAM, (a, b) => {
      assert.equal(a.sendmsg([text("ab"), new Uint8Array(0), text("cdefghij")]), 10);
      const first = new Uint8Array(3), second = new Uint8Array(4);
      const [count, ancdata, flags, address] = b.recvmsgInto([first, second]);
      assert.deepEqual([count, ancdata, flags, address], [7, [], 0, null]);
      assert.equal(decoder.decode(first) + decoder.decode(second), "abcdefg");
      const tail = new Uint8Array(new ArrayBuffer(10), 2, 5);
      assert.equal(b.recvmsgInto([tail])[0], 3);
      assert.equal(decoder.decode(tail.subarray(0, 3)), "hij");
      assert.equal(a.sendmsg([]), 0, "no buffers: an empty send, as CPython");
    }),
  );

  it(
    "truncated control data: MSG_CTRUNC, only the fds that fit, none leaked",
    withPair(SOCK_STREAM, (a, b) => {
      const [r, w] = pipe();
      try {
        // CPython on Linux: 0, 16, 17 give no item; CMSG_LEN(4) one fd; CMSG_SPACE(8) both.
        for (
          const [room, expected] of [[0, 0], [CMSG_LEN(0), 0], [CMSG_LEN(0) + 1, 0], [
            CMSG_LEN(4),
            1,
          ], [CMSG_LEN(4) + 3, 1]] as const
        ) {
          sendFds(a, [text("ab"), text("cd")], [r, w]);
          const [data, ancdata, flags] = b.recvmsg(10, room);
          assert.equal(decoder.decode(data), "abcd");
          assert.equal(flags & MSG_CTRUNC, MSG_CTRUNC, `ancbufsize ${room}`);
          const fds = ancdata.flatMap(([, , d]) => fdsOf(d));
          assert.equal(fds.length, expected, `ancbufsize ${room}`);
          fds.forEach(close);
        }
        sendFds(a, [text("x")], [r, w]);
        const [, ancdata, flags] = b.recvmsg(10, CMSG_SPACE(8));
        assert.equal(flags & MSG_CTRUNC, 0);
        fdsOf(ancdata[0]![2]).forEach(close);
      } finally {
        close(r);
        close(w);
      }
    }),
  );

  it(
    "recvFds with fewer slots than fds sent: MSG_CTRUNC, the rest never arrive",
    withPair(SOCK_STREAM, (a, b) => {
      const [r, w] = pipe();
      try {
        sendFds(a, [text("x")], [r, w, r]);
        const [, fds, flags] = recvFds(b, 1, 1);
        assert.equal(fds.length, 1);
        assert.equal(flags & MSG_CTRUNC, MSG_CTRUNC);
        close(fds[0]!);
      } finally {
        close(r);
        close(w);
      }
    }),
  );

  it(
    "non-blocking: recvmsg and sendmsg raise BlockingIOError",
    withPair(SOCK_STREAM, (a, b) => {
      b.setBlocking(false);
      assert.throws(() => b.recvmsg(10), BlockingIOError);
      a.setBlocking(false);
      const chunk = new Uint8Array(65536);
      let blocked = false;
      for (let i = 0; i < 10_000 && !blocked; i++) {
        try {
          a.sendmsg([chunk]);
        } catch (e) {
          assert.ok(e instanceof BlockingIOError, String(e));
          blocked = true;
        }
      }
      assert.ok(blocked, "the send buffer filled");
    }),
  );

  it(
    "a timeout bounds recvmsg as the other calls (TimeoutError)",
    withPair(SOCK_STREAM, (_a, b) => {
      b.settimeout(0.05);
      assertRaises(() => b.recvmsg(10), TimeoutError, "timed out");
    }),
  );

  it(
    "a closed socket: EBADF, after the argument checks",
    withPair(SOCK_STREAM, (a) => {
      a.close();
      assert.throws(
        () => a.sendmsg([text("x")]),
        (e) => e instanceof OSError && e.code === "EBADF",
      );
      assert.throws(() => a.recvmsg(1), (e) => e instanceof OSError && e.code === "EBADF");
      assertRaises(() => a.recvmsg(-1), ValueError, "negative buffer size in recvmsg()");
    }),
  );
});

describe("sendmsg/recvmsg on datagram sockets, with addresses", { skip: UNIX_SOCKETS }, () => {
  it(
    "AF_UNIX datagrams between paths: the sender's path; MSG_TRUNC",
    leakFree(() =>
      withTempDir((dir) => {
        const one = new Socket(AF_UNIX, SOCK_DGRAM), two = new Socket(AF_UNIX, SOCK_DGRAM);
        const anonymous = new Socket(AF_UNIX, SOCK_DGRAM);
        try {
          one.bind(join(dir, "one"));
          two.bind(join(dir, "two"));
          assert.equal(one.sendmsg([text("hel"), text("lo")], [], 0, join(dir, "two")), 5);
          assert.deepEqual(two.recvmsg(2), [text("he"), [], MSG_TRUNC, join(dir, "one")]);
          anonymous.sendmsg([text("q")], undefined, 0, join(dir, "two"));
          assert.deepEqual(two.recvmsg(5), [text("q"), [], 0, null]);
        } finally {
          one.close();
          two.close();
          anonymous.close();
        }
      })
    ),
  );

  it(
    "UDP: sendmsg to an address, recvmsg gives the sender's",
    leakFree(() => {
      const rx = new Socket(AF_INET, SOCK_DGRAM), tx = new Socket(AF_INET, SOCK_DGRAM);
      try {
        rx.bind(["127.0.0.1", 0]);
        tx.bind(["127.0.0.1", 0]);
        assert.equal(tx.sendmsg([text("udp")], [], 0, rx.getsockname()), 3);
        const [data, ancdata, flags, address] = rx.recvmsg(10);
        assert.deepEqual([decoder.decode(data), ancdata, flags], ["udp", [], 0]);
        assert.deepEqual(address, tx.getsockname());
        assertRaises(
          () => tx.sendmsg([text("x")], [], 0, ["127.0.0.1"] as never),
          TypeError,
          "AF_INET address must be a pair (host, port)",
        );
      } finally {
        rx.close();
        tx.close();
      }
    }),
  );
});

describe("Windows", { skip: process.platform !== "win32" && "Windows only" }, () => {
  it("sendmsg, recvmsg and CMSG_LEN are not available (CPython has none there)", () => {
    const s = new Socket();
    try {
      assert.throws(() => s.sendmsg([text("x")]), /not available on Windows/);
      assert.throws(() => s.recvmsg(1), /not available on Windows/);
      assert.throws(() => CMSG_LEN(0), /not available on Windows/);
    } finally {
      s.close();
    }
  });
});
