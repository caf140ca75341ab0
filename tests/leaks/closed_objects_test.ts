// Closed objects: every method of a closed Epoll, Kqueue, selector and socket fails
// with the documented error (CPython's), or keeps working where CPython's does;
// close() is idempotent everywhere; and an fd closed behind a selector's back is
// handled as CPython handles it (poll: POLLNVAL as ready; epoll: the kernel drops
// it, unregister ignores the EBADF; select: EBADF from select()).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { close, dup2, pipe } from "../../os/mod.ts";
import {
  Epoll,
  epoll,
  EPOLLIN,
  kevent,
  kqueue,
  OSError,
  poll,
  POLLIN,
  POLLNVAL,
  RuntimeError,
  ValueError,
} from "../../select/mod.ts";
import {
  DefaultSelector,
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  KeyError,
  KqueueSelector,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import {
  AF_INET,
  SHUT_RDWR,
  SO_REUSEADDR,
  Socket,
  socketpair,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";
import { isOpen, openFds } from "../_kit/fds.ts";
import { SELECTORS } from "../_kit/selectors.ts";

const linux = process.platform === "linux";

/** Asserts `fn` throws `Class` with exactly `message` (a RegExp for OSError texts). */
function raises(fn: () => unknown, Class: new (...a: never[]) => Error, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

async function rejects(p: Promise<unknown>, Class: new (...a: never[]) => Error, message: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

const EBADF_TEXT = "[Errno 9] Bad file descriptor";

describe("closed primitives", () => {
  it("Epoll: every method fails with 'I/O operation on closed epoll object'", {
    skip: !linux,
  }, async () => {
    const fds = openFds();
    const ep = epoll();
    const fd = ep.fileno();
    ep.close();
    assert.equal(ep.closed, true);
    const msg = "I/O operation on closed epoll object";
    raises(() => ep.fileno(), ValueError, msg);
    raises(() => ep.register(0, EPOLLIN), ValueError, msg);
    raises(() => ep.modify(0, EPOLLIN), ValueError, msg);
    raises(() => ep.unregister(0), ValueError, msg);
    raises(() => ep.poll(0), ValueError, msg);
    raises(() => ep.poll(), ValueError, msg);
    await rejects(ep.pollAsync(0), ValueError, msg);
    // Arguments are converted before the closed check (CPython's clinic order).
    raises(() => ep.register(-1), ValueError, "file descriptor cannot be a negative integer (-1)");
    assert.throws(() => ep.register({} as never), TypeError);
    raises(() => ep.poll("x" as never), ValueError, msg); // closed, then the timeout
    raises(
      () => ep.poll(0, "x" as never),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
    ep.close();
    ep[Symbol.dispose]();
    assert.deepEqual(openFds(), fds);
    // The fd number is free again: closing it twice did not close someone else's fd.
    const [r, w] = pipe();
    try {
      assert.ok(r === fd || w === fd || !fds.includes(fd));
      Epoll.fromFd(-1).close();
    } finally {
      close(r);
      close(w);
    }
  });

  it("Kqueue: control and fileno fail with 'I/O operation on closed kqueue object'", {
    skip: kqueueUnavailable,
  }, () => {
    const kq = kqueue();
    kq.close();
    assert.equal(kq.closed, true);
    const msg = "I/O operation on closed kqueue object";
    raises(() => kq.fileno(), ValueError, msg);
    raises(() => kq.control(null, 4), ValueError, msg);
    raises(() => kq.control([kevent(0)], 0, 0), ValueError, msg);
    kq.close();
    kq[Symbol.dispose]();
  });

  it(
    "an Epoll made with fromFd whose fd was closed through its twin: EBADF",
    { skip: !linux },
    () => {
      const ep = epoll();
      const twin = Epoll.fromFd(ep.fileno());
      ep.close();
      assert.throws(() => twin.poll(0), (e: unknown) => e instanceof OSError && e.errno === 9);
      assert.throws(() => twin.register(0, EPOLLIN), (e: unknown) => e instanceof OSError);
      // Its close() ignores the EBADF of close(2), as CPython's does.
      twin.close();
      twin.close();
    },
  );
});

for (const [name, make] of SELECTORS) {
  describe(`closed ${name}`, () => {
    it("getKey: RuntimeError; unregister/modify: KeyError; close idempotent; map empty", () => {
      const [r, w] = pipe();
      try {
        const sel = make();
        const map = sel.getMap();
        sel.register(r, EVENT_READ);
        sel.close();
        raises(() => sel.getKey(r), RuntimeError, "Selector is closed");
        assert.throws(() => sel.unregister(r), KeyError);
        assert.throws(() => sel.modify(r, EVENT_WRITE), KeyError);
        assert.equal(map.size, 0);
        assert.equal(sel.getMap(), map);
        assert.equal(map.get(r), undefined);
        sel.close();
        (sel as unknown as Disposable)[Symbol.dispose]();
      } finally {
        close(r);
        close(w);
      }
    });

    it("register/select/selectAsync/fileno after close behave as CPython's class does", async () => {
      const [r, w] = pipe();
      try {
        const sel = make();
        sel.close();
        const primitive = sel instanceof EpollSelector
          ? "epoll"
          : sel instanceof KqueueSelector
          ? "kqueue"
          : null;
        if (primitive === null) {
          // Select/PollSelector keep their fd sets (CPython never clears them).
          sel.register(w, EVENT_WRITE);
          assert.equal(sel.select(0).length, 1);
          assert.equal((await sel.selectAsync(0)).length, 1);
        } else {
          const msg = `I/O operation on closed ${primitive} object`;
          raises(() => sel.register(w, EVENT_WRITE), ValueError, msg);
          assert.equal(sel.getMap().size, 0, "register after close rolled back");
          raises(() => sel.select(0), ValueError, msg);
          await rejects(sel.selectAsync(0), ValueError, msg);
          const withFileno = sel as unknown as { fileno(): number };
          raises(() => withFileno.fileno(), ValueError, msg);
        }
      } finally {
        close(r);
        close(w);
      }
    });

    it("close() during a pending selectAsync ends it with []", async () => {
      const [r, w] = pipe();
      try {
        const sel = make();
        sel.register(r, EVENT_READ);
        const pending = sel.selectAsync(10);
        sel.close();
        assert.deepEqual(await pending, []);
      } finally {
        close(r);
        close(w);
      }
    });

    it("an fd closed behind its back is handled as CPython handles it", () => {
      // The premise: the closed number stays free while select() runs. The kernel hands
      // out the lowest free number, and the runtime's own threads (a worker's event
      // loop starting, a pool thread) open fds at any moment; so the case uses a number
      // far above the process's fds but below FD_SETSIZE, which none of them is given.
      const sel = make();
      const [r, w] = pipe();
      const fd = dup2(r, 900);
      close(r);
      sel.register(fd, EVENT_READ, "r");
      close(fd);
      close(w);
      try {
        assert.ok(!isOpen(fd), "premise: the registered number is closed");
        if (sel instanceof SelectSelector) {
          assert.throws(() => sel.select(0), (e: unknown) => e instanceof OSError && e.errno === 9);
        } else if (sel instanceof PollSelector) {
          // POLLNVAL maps to READ|WRITE, masked by the key's events.
          const ready = sel.select(0);
          assert.equal(ready.length, 1);
          assert.equal(ready[0]![0].data, "r");
          assert.equal(ready[0]![1], EVENT_READ);
        } else {
          // epoll and kqueue drop a closed fd by themselves: nothing is reported.
          assert.deepEqual(sel.select(0), []);
        }
        // Unregistering it works for every class (OSError from the kernel ignored).
        assert.equal(sel.unregister(fd).data, "r");
        assert.equal(sel.getMap().size, 0);
      } finally {
        sel.close();
      }
    });
  });
}

describe("fds closed behind the primitives' backs", () => {
  it("poll reports POLLNVAL; epoll's unregister raises EBADF (CPython >= 3.9)", () => {
    const [r, w] = pipe();
    const p = poll();
    p.register(r, POLLIN);
    const ep = linux ? epoll() : undefined;
    ep?.register(r, EPOLLIN);
    close(r);
    close(w);
    assert.deepEqual(p.poll(0), [[r, POLLNVAL]]);
    if (ep) {
      assert.deepEqual(ep.poll(0), []);
      assert.throws(() => ep.unregister(r), (e: unknown) => e instanceof OSError && e.errno === 9);
      ep.close();
    }
  });
});

describe("closed sockets", () => {
  it("every method fails with EBADF as CPython's; fileno() and detach() give -1", () => {
    const s = new Socket(AF_INET);
    const [a, b] = socketpair();
    a.close();
    b.close();
    s.close();
    assert.equal(s.closed, true);
    assert.equal(s.fileno(), -1);
    assert.equal(s.detach(), -1);
    const ebadf = (fn: () => unknown, what: string) =>
      assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof OSError, `${what}: ${String(e)}`);
        assert.equal(e.message, EBADF_TEXT, what);
        return true;
      });
    ebadf(() => s.recv(1), "recv");
    ebadf(() => s.recvInto(new Uint8Array(1)), "recvInto");
    ebadf(() => s.recvFrom(1), "recvFrom");
    ebadf(() => s.send(new Uint8Array(1)), "send");
    ebadf(() => s.sendAll(new Uint8Array(1)), "sendAll");
    ebadf(() => s.bind(["127.0.0.1", 0]), "bind");
    ebadf(() => s.listen(), "listen");
    ebadf(() => s.accept(), "accept");
    ebadf(() => s.connect(["127.0.0.1", 1]), "connect");
    ebadf(() => s.setBlocking(false), "setBlocking");
    ebadf(() => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), "setsockopt");
    ebadf(() => s.getsockopt(SOL_SOCKET, SO_REUSEADDR), "getsockopt");
    ebadf(() => s.getsockname(), "getsockname");
    ebadf(() => s.getpeername(), "getpeername");
    ebadf(() => s.shutdown(SHUT_RDWR), "shutdown");
    ebadf(() => a.recv(1), "socketpair end recv");
    assert.equal(s.connectEx(["127.0.0.1", 1]), 9);
    s.close();
    s[Symbol.dispose]();
    assert.match(String(s), /closed/);
    // A selector refuses a closed socket (fileno() -1) unless found by identity.
    using sel = new PollSelector();
    assert.throws(() => sel.register(s, EVENT_READ), /Invalid file descriptor: -1/);
  });

  it("a socket closed while registered: unregister finds it by identity", () => {
    for (const [name, make] of SELECTORS) {
      const [a, b] = socketpair();
      const sel = make();
      sel.register(a, EVENT_READ);
      sel.register(b, EVENT_WRITE);
      a.close();
      b.close();
      assert.equal(sel.unregister(a).fileobj, a, name);
      assert.equal(sel.unregister(b).fileobj, b, name);
      sel.close();
    }
  });

  it("a closed socket's write end leaves the reader at EOF, the selector says READ", () => {
    const [a, b] = socketpair();
    using sel = new DefaultSelector();
    sel.register(a, EVENT_READ);
    b.sendAll(new Uint8Array([7]));
    b.close();
    assert.equal(sel.select(0).length, 1);
    assert.deepEqual(Array.from(a.recv(10)), [7]);
    assert.equal(a.recv(10).length, 0);
    sel.unregister(a);
    a.close();
  });
});
