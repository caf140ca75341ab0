// select.kqueue against a real kqueue: CPython's Lib/test/test_kqueue.py ported.
// control()'s argument, timeout and error rules are in kqueue_control_test.ts, what
// kqueue() does where there is none in kqueue_unavailable_test.ts.
// On macOS and FreeBSD this runs against the kernel; on Linux only when
// IOMUX_KQUEUE_LIB names a libkqueue shared library (otherwise it is skipped).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type KEvent,
  kevent,
  KQ_EV_ADD,
  KQ_EV_CLEAR,
  KQ_EV_DELETE,
  KQ_EV_ENABLE,
  KQ_EV_ERROR,
  KQ_FILTER_READ,
  KQ_FILTER_WRITE,
  Kqueue,
  kqueue,
  OSError,
  ValueError,
} from "../../select/mod.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { createServer, Socket, socketpair } from "../../socket/mod.ts";
import { abi } from "../../ffi/abi.ts";
import { libc } from "../../ffi/libc.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";

const native = abi.kevent !== null;
const skip = kqueueUnavailable;
const { EBADF } = abi.errno;

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const pairs = (events: KEvent[]) =>
  new Set(events.map((e) => `${e.ident}:${e.filter === KQ_FILTER_READ ? "R" : "W"}`));

describe("kqueue (test_kqueue.py)", { skip }, () => {
  it("test_create_queue", () => {
    const kq = kqueue();
    assert.ok(kq.fileno() > 0, String(kq.fileno()));
    assert.equal(kq.closed, false);
    kq.close();
    assert.equal(kq.closed, true);
    assert.throws(() => kq.fileno(), {
      name: "ValueError",
      message: "I/O operation on closed kqueue object",
    });
  });

  it("test_queue_event: TCP pair, fromFd, READ/WRITE filters, deletes", () => {
    using serverSocket = createServer(["127.0.0.1", 0]);
    using client = new Socket();
    client.setBlocking(false);
    // FreeBSD may connect at once instead of raising EINPROGRESS.
    const rc = client.connectEx(serverSocket.getsockname());
    assert.ok(rc === 0 || rc === abi.errno.EINPROGRESS, `connect_ex: ${rc}`);
    const [server] = serverSocket.accept();
    using _server = server;
    using kq = kqueue();
    const kq2 = Kqueue.fromFd(kq.fileno());
    const both = KQ_EV_ADD | KQ_EV_ENABLE;
    kq.control([kevent(server.fileno(), KQ_FILTER_WRITE, both)], 0);
    kq.control([kevent(server.fileno(), KQ_FILTER_READ, both)], 0);
    kq2.control([kevent(client.fileno(), KQ_FILTER_WRITE, both)], 0);
    kq2.control([kevent(client.fileno(), KQ_FILTER_READ, both)], 0);

    const c = client.fileno();
    const s = server.fileno();
    assert.deepEqual(pairs(kq.control(null, 4, 1)), new Set([`${c}:W`, `${s}:W`]));

    client.send(new TextEncoder().encode("Hello!"));
    server.send(new TextEncoder().encode("world!!!"));
    let events: KEvent[] = [];
    for (let i = 0; i < 10; i++) {
      events = kq.control(null, 4, 1);
      if (events.length === 4) break;
      sleepMs(100);
    }
    assert.deepEqual(pairs(events), new Set([`${c}:W`, `${c}:R`, `${s}:W`, `${s}:R`]));

    kq.control([kevent(c, KQ_FILTER_WRITE, KQ_EV_DELETE)], 0);
    kq.control([kevent(c, KQ_FILTER_READ, KQ_EV_DELETE)], 0);
    kq.control([kevent(s, KQ_FILTER_READ, KQ_EV_DELETE)], 0, 0);
    assert.deepEqual(pairs(kq.control([], 4, 0.99)), new Set([`${s}:W`]));
    // kq2 shares kq's fd: the using declaration closes it, kq2 only forgets it.
    assert.equal(kq2.fileno(), kq.fileno());
  });

  it("testPair: data holds the readable byte count", () => {
    const [a, b] = socketpair();
    using _a = a, _b = b;
    using kq = kqueue();
    a.send(new TextEncoder().encode("foo"));
    const both = KQ_EV_ADD | KQ_EV_ENABLE;
    const r = kq.control([kevent(a, KQ_FILTER_READ, both), kevent(b, KQ_FILTER_READ, both)], 1, 1);
    assert.ok(r.length > 0);
    const ev = r[0]!;
    assert.equal(ev.flags & KQ_EV_ERROR, 0);
    assert.equal(ev.ident, b.fileno());
    assert.equal(new TextDecoder().decode(b.recv(Number(ev.data))), "foo");
  });

  it("test_issue30058: any iterable changelist, its length taken from iteration", () => {
    const [r, w] = pipe();
    try {
      using kq = kqueue();
      // libkqueue on Linux refuses to EV_ADD an existing pipe or socket knote again
      // unless EV_CLEAR is set (its linux/read.c knote_modify); BSD accepts it.
      const flags = KQ_EV_ADD | KQ_EV_ENABLE | (native ? 0 : KQ_EV_CLEAR);
      const ev = kevent(r, KQ_FILTER_READ, flags);
      kq.control([ev], 0);
      kq.control(Object.freeze([ev]), 0);
      const badList = {
        length: 0,
        *[Symbol.iterator]() {
          for (let i = 0; i < 100; i++) yield ev;
        },
      };
      kq.control(badList, 0);
      kq.control([ev][Symbol.iterator](), 0);
      kq.control(new Set([ev]), 0);
      write(w, new Uint8Array([1]));
      assert.equal(kq.control(null, 4, 1).length, 1);
    } finally {
      close(r);
      close(w);
    }
  });

  it("test_close", () => {
    const kq = kqueue();
    assert.equal(typeof kq.fileno(), "number");
    assert.equal(kq.closed, false);
    kq.close();
    assert.equal(kq.closed, true);
    assert.throws(() => kq.fileno(), ValueError);
    kq.close();
    assert.throws(() => kq.control(null, 4), {
      name: "ValueError",
      message: "I/O operation on closed kqueue object",
    });
  });

  it("test_fd_non_inheritable: the fd is close-on-exec", () => {
    using kq = kqueue();
    const flags = libc().fcntl(kq.fileno(), abi.fcntl.F_GETFD, 0);
    assert.ok(flags >= 0);
    assert.equal(flags & abi.fcntl.FD_CLOEXEC, abi.fcntl.FD_CLOEXEC);
  });

  // test_fork has no counterpart: no JavaScript runtime forks a running process.

  it("Kqueue.fromFd(-1) makes a new queue; below -1 is EBADF", () => {
    using kq = Kqueue.fromFd(-1);
    assert.ok(kq.fileno() >= 0);
    assert.throws(
      () => Kqueue.fromFd(-2),
      (e: unknown) => e instanceof OSError && e.errno === EBADF,
    );
    assert.throws(() => new (Kqueue as new (x: number) => Kqueue)(1), {
      name: "TypeError",
      message: "kqueue() takes no positional arguments",
    });
  });
});
