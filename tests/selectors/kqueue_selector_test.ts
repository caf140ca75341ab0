// KqueueSelector specifics (Lib/selectors.py KqueueSelector; Lib/test/test_selectors.py
// KqueueSelectorTestCase): one kernel filter
// per direction, separate READ and WRITE entries, maxevents counted in filters, the
// timeout rules, and DefaultSelector's choice. The shared selectors suites run it
// through tests/_kit/selectors.ts. On Linux it needs IOMUX_KQUEUE_LIB (libkqueue).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DefaultSelector,
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  KeyError,
  KqueueSelector,
  OSError,
  ValueError,
} from "../../selectors/mod.ts";
import { close, pipe } from "../../os/mod.ts";
import { type Socket, socketpair } from "../../socket/mod.ts";
import { abi } from "../../ffi/abi.ts";
import { nativeKqueue } from "../../select/kqueue.ts";
import { raiseFdLimit, withCleanup } from "../_kit/selectors.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";

const skip = kqueueUnavailable;
const available = skip === false;

/** A socketpair closed by `defer`. */
function pair(defer: (...fns: (() => void)[]) => void): [Socket, Socket] {
  const [a, b] = socketpair();
  defer(() => a.close(), () => b.close());
  return [a, b];
}

describe("KqueueSelector", { skip }, () => {
  it("test_register_bad_fd: EBADF, and nothing stays registered", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector();
      defer(() => s.close());
      // Make the selector's own fds first so the bad fd's number stays free.
      const [r, w] = pipe();
      close(r);
      close(w);
      assert.throws(
        () => s.register(r, EVENT_READ),
        (e: unknown) => e instanceof OSError && e.errno === abi.errno.EBADF,
      );
      assert.throws(() => s.getKey(r), KeyError);
      assert.equal(s.getMap().size, 0);
    }));

  it("test_empty_select_timeout: select(1) with nothing registered waits", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector();
      defer(() => s.close());
      const start = performance.now();
      assert.deepEqual(s.select(1), []);
      const waited = performance.now() - start;
      // CPython accepts 0.8-2.0 s; a timeout is never shortened here.
      assert.ok(waited >= 999 && waited < 5000, `${waited} ms`);
    }));

  it("test_select_read_write: READ and WRITE of one fd come as two entries", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector<string>();
      defer(() => s.close());
      const [sock1, sock2] = pair(defer);
      sock2.send(new TextEncoder().encode("foo"));
      const key = s.register(sock1, EVENT_READ | EVENT_WRITE, "both");
      const ready = s.select(1);
      assert.equal(ready.length, 2);
      assert.ok(ready.every(([k]) => k === key));
      assert.deepEqual(ready.map(([, events]) => events).sort(), [EVENT_READ, EVENT_WRITE]);
    }));

  it("asks for one event per filter: every ready filter comes back in one call", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector();
      defer(() => s.close());
      const fds: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [a, b] = pair(defer);
        b.send(new Uint8Array([i]));
        s.register(a, EVENT_READ | EVENT_WRITE);
        fds.push(a.fileno());
      }
      const ready = s.select(1);
      assert.equal(ready.length, 10);
      for (const fd of fds) {
        const mine = ready.filter(([key]) => key.fd === fd).map(([, e]) => e).sort();
        assert.deepEqual(mine, [EVENT_READ, EVENT_WRITE]);
      }
      // Unregistering deletes the filters: nothing is reported for those fds.
      for (const fd of fds) s.unregister(fd);
      assert.deepEqual(s.select(0), []);
    }));

  it("reports only what the key asked for, and the peer's close as READ", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector();
      defer(() => s.close());
      const [a, b] = pair(defer);
      const key = s.register(a, EVENT_READ);
      assert.deepEqual(s.select(0), []);
      b.close();
      assert.deepEqual(s.select(1), [[key, EVENT_READ]]);
    }));

  it("modify goes through unregister/register; invalid events lose the key", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector<number>();
      defer(() => s.close());
      const [a] = pair(defer);
      s.register(a, EVENT_READ, 1);
      const key = s.modify(a, EVENT_WRITE, 2);
      assert.equal(key.events, EVENT_WRITE);
      assert.deepEqual(s.select(1), [[key, EVENT_WRITE]]);
      assert.throws(() => s.modify(a, 0), { name: "ValueError", message: "Invalid events: 0" });
      assert.throws(() => s.getKey(a), KeyError);
      assert.deepEqual(s.select(0), []);
    }));

  it("unregister works after the fd was closed", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector();
      defer(() => s.close());
      const [a, b] = socketpair();
      const fa = a.fileno();
      const fb = b.fileno();
      s.register(fa, EVENT_READ);
      s.register(fb, EVENT_WRITE);
      a.close();
      b.close();
      assert.equal(s.unregister(fa).fd, fa);
      assert.equal(s.unregister(fb).fd, fb);
    }));

  it("timeouts: max(timeout, 0) seconds, the primitive's messages beyond", () =>
    withCleanup((defer) => {
      const s = new KqueueSelector();
      defer(() => s.close());
      const [, b] = pair(defer);
      const key = s.register(b, EVENT_WRITE);
      assert.deepEqual(s.select(-1), [[key, EVENT_WRITE]]);
      assert.deepEqual(s.select(0), [[key, EVENT_WRITE]]);
      assert.deepEqual(s.select(null), [[key, EVENT_WRITE]]);
      assert.throws(() => s.select("1" as unknown as number), {
        name: "TypeError",
        message: "'>' not supported between instances of 'int' and 'str'",
      });
      assert.throws(() => s.select(NaN), {
        name: "TypeError",
        message: "timeout argument must be a number or None, got float",
      });
    }));

  it("fileno, and use after close: ValueError from the kqueue, key rolled back", () => {
    const s = new KqueueSelector();
    assert.ok(s.fileno() >= 0);
    const [r, w] = pipe();
    try {
      s.close();
      s.close();
      assert.throws(() => s.fileno(), ValueError);
      assert.throws(() => s.register(r, EVENT_READ), {
        name: "ValueError",
        message: "I/O operation on closed kqueue object",
      });
      assert.equal(s.getMap().size, 0);
      assert.throws(() => s.select(0), { message: "I/O operation on closed kqueue object" });
    } finally {
      close(r);
      close(w);
    }
  });

  it(
    "registers above FD_SETSIZE",
    { skip: abi.os === "linux" ? false : "uses prlimit" },
    () =>
      withCleanup((defer) => {
        defer(raiseFdLimit());
        const s = new KqueueSelector();
        defer(() => s.close());
        let pairs = 0;
        for (; pairs < 600; pairs++) {
          const [rd, wr] = pair(defer);
          s.register(rd, EVENT_READ);
          s.register(wr, EVENT_WRITE);
        }
        assert.ok(Math.max(...[...s.getMap().keys()]) >= 1024);
        const ready = s.select(1);
        // libkqueue returns at most 512 events per kevent() call (its MAX_KEVENT).
        assert.equal(ready.length, nativeKqueue ? pairs : Math.min(pairs, 512));
        assert.ok(ready.every(([key, events]) => events === EVENT_WRITE && key.events === 2));
      }),
  );
});

describe("DefaultSelector and kqueue", () => {
  it("is KqueueSelector where kqueue is the kernel's, and stays epoll on Linux", () =>
    withCleanup((defer) => {
      const s = new DefaultSelector();
      defer(() => s.close());
      if (nativeKqueue) assert.ok(s instanceof KqueueSelector);
      // Even with IOMUX_KQUEUE_LIB set: libkqueue is an emulation over epoll.
      else if (abi.os === "linux") assert.ok(s instanceof EpollSelector);
    }));

  it("KqueueSelector throws OSError ENOSYS where there is no kqueue", {
    skip: available ? "kqueue is available" : false,
  }, () => {
    assert.throws(
      () => new KqueueSelector(),
      (e: unknown) =>
        e instanceof OSError && e.code === "ENOSYS" && /IOMUX_KQUEUE_LIB/.test(e.message),
    );
  });
});
