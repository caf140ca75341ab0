/**
 * `epoll` objects: CPython's Lib/test/test_epoll.py ported (TCP pairs replaced by
 * pipes opened read-write, which are readable and writable like a socket), and every
 * epoll behaviour of Modules/selectmodule.c `select_epoll_*_impl` (class and exact message).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { close, O_RDWR, open, pipe, read, write } from "../../os/mod.ts";
import {
  Epoll,
  epoll,
  EPOLL_CLOEXEC,
  EPOLLERR,
  EPOLLET,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  FileExistsError,
  OSError,
  ValueError,
} from "../../select/mod.ts";
import { assertErrno, assertRaises } from "../_kit/errors.ts";
import { closeQuietly, leakFree, withPipe } from "../_kit/fds.ts";
import { isCloseOnExec, spawnShell } from "../_kit/child.ts";

// deno-lint-ignore no-explicit-any
type Untyped = any;
const CLOSED = "I/O operation on closed epoll object";
const linux = process.platform === "linux";

/**
 * Two fds that behave like the ends of CPython's connected TCP pair for readiness:
 * writable at once, readable too once written to. Each is a pipe reopened O_RDWR
 * through /proc/self/fd, so it is both a reader and a writer of its pipe.
 */
function connectedPair(): { client: number; server: number; closeAll(): void } {
  const fds: number[] = [];
  const end = () => {
    const [r, w] = pipe();
    fds.push(r, w);
    const both = open(`/proc/self/fd/${r}`, O_RDWR);
    fds.push(both);
    return both;
  };
  const client = end();
  const server = end();
  return {
    client,
    server,
    closeAll: () => fds.forEach(closeQuietly),
  };
}

function sortEvents(events: [number, number][]): [number, number][] {
  return [...events].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe("epoll: CPython test_epoll.py", { skip: !linux }, () => {
  it(
    "test_create",
    leakFree(() => {
      const ep = epoll(16);
      assert.ok(ep.fileno() > 0, String(ep.fileno()));
      assert.equal(ep.closed, false);
      ep.close();
      assert.equal(ep.closed, true);
      assertRaises(() => ep.fileno(), ValueError, CLOSED);
      epoll(-1, EPOLL_CLOEXEC).close();
      epoll(undefined, EPOLL_CLOEXEC).close();
      epoll(undefined, 0).close();
      new Epoll().close();
    }),
  );

  it("test_badcreate", () => {
    assertRaises(
      () => (epoll as Untyped)(1, 2, 3),
      TypeError,
      "epoll() takes at most 2 arguments (3 given)",
    );
    assertRaises(
      () => new (Epoll as Untyped)(1, 2, 3),
      TypeError,
      "epoll() takes at most 2 arguments (3 given)",
    );
    const notInt = [["foo", "str"], [null, "NoneType"], [[], "list"], [["foo"], "list"], [
      {},
      "dict",
    ], [1.5, "float"]] as const;
    for (const [bad, type] of notInt) {
      const message = `'${type}' object cannot be interpreted as an integer`;
      assertRaises(() => epoll(bad as Untyped), TypeError, message);
      assertRaises(() => epoll(-1, bad as Untyped), TypeError, message);
    }
    for (const bad of [0, -2, -(2 ** 31)]) {
      assertRaises(() => epoll(bad), ValueError, "negative sizehint");
    }
    assertRaises(() => epoll(2 ** 31), RangeError, "Python int too large to convert to C int");
    for (const flags of [12356, 1, -1]) {
      assert.throws(() => epoll(-1, flags), (e: unknown) => {
        assert.ok(e instanceof OSError);
        assert.equal(e.constructor, OSError);
        assert.equal(e.message, "invalid flags");
        assert.equal(e.errno, null);
        return true;
      });
    }
    // sizehint is checked before flags.
    assertRaises(() => epoll(0, 12356), ValueError, "negative sizehint");
  });

  it(
    "test_context_manager (using)",
    leakFree(() => {
      let kept: Epoll;
      {
        using ep = epoll(16);
        kept = ep;
        assert.ok(ep.fileno() > 0);
        assert.equal(ep.closed, false);
      }
      assert.equal(kept.closed, true);
      assertRaises(() => kept.fileno(), ValueError, CLOSED);
    }),
  );

  it(
    "test_add",
    leakFree(() => {
      const { client, server, closeAll } = connectedPair();
      try {
        {
          using ep = epoll(2);
          ep.register(server, EPOLLIN | EPOLLOUT);
          ep.register(client, EPOLLIN | EPOLLOUT);
        }
        {
          using ep = epoll(2);
          ep.register({ fileno: () => server }, EPOLLIN | EPOLLOUT);
          ep.register({ fileno: () => client }, EPOLLIN | EPOLLOUT);
        }
        using ep = epoll(2);
        const mask = EPOLLIN | EPOLLOUT;
        assertRaises(
          () => ep.register({} as Untyped, mask),
          TypeError,
          "argument must be an int, or have a fileno() method.",
        );
        assertRaises(
          () => ep.register(null as Untyped, mask),
          TypeError,
          "argument must be an int, or have a fileno() method.",
        );
        assertRaises(
          () => ep.register(-1, mask),
          ValueError,
          "file descriptor cannot be a negative integer (-1)",
        );
        assertErrno(() => ep.register(10000, mask), OSError, "EBADF");
        ep.register(server, mask);
        assert.throws(() => ep.register(server, mask), (e: unknown) => {
          assert.ok(e instanceof FileExistsError);
          assert.equal(e.message, "[Errno 17] File exists");
          assert.equal(e.errno, 17);
          return true;
        });
      } finally {
        closeAll();
      }
    }),
  );

  it(
    "test_fromfd",
    leakFree(() => {
      const { client, server, closeAll } = connectedPair();
      let ep2: Epoll | undefined;
      try {
        {
          using ep = epoll(2);
          ep2 = Epoll.fromFd(ep.fileno());
          ep2.register(server, EPOLLIN | EPOLLOUT);
          ep2.register(client, EPOLLIN | EPOLLOUT);
          assert.equal(ep.poll(1, 4).length, 2);
          assert.equal(ep2.poll(0.9, 4).length, 2);
        }
        assert.throws(() => ep2!.poll(1, 4), (e: unknown) => {
          assert.ok(e instanceof OSError);
          assert.equal(e.errno, 9);
          return true;
        });
      } finally {
        // ep2 shares the fd that ep closed: mark it closed without closing a reused number.
        closeAll();
      }
    }),
  );

  it(
    "test_control_and_wait (edge-triggered)",
    leakFree(() => {
      const { client, server, closeAll } = connectedPair();
      try {
        using ep = epoll(16);
        ep.register(server, EPOLLIN | EPOLLOUT | EPOLLET);
        ep.register(client, EPOLLIN | EPOLLOUT | EPOLLET);

        let start = performance.now();
        let events = ep.poll(1, 4);
        assert.ok(performance.now() - start < 100);
        assert.deepEqual(sortEvents(events), sortEvents([[client, EPOLLOUT], [server, EPOLLOUT]]));

        start = performance.now();
        events = ep.poll(0.1, 4);
        assert.deepEqual(events, [], "edge-triggered: nothing new");

        write(client, new TextEncoder().encode("Hello!"));
        write(server, new TextEncoder().encode("world!!!"));
        events = [];
        while (events.length < 2) {
          start = performance.now();
          events.push(...ep.poll(1, 4));
          assert.ok(performance.now() - start < 1000);
        }
        assert.deepEqual(
          sortEvents(events),
          sortEvents([[client, EPOLLIN | EPOLLOUT], [server, EPOLLIN | EPOLLOUT]]),
        );

        ep.unregister(client);
        ep.modify(server, EPOLLOUT);
        start = performance.now();
        events = ep.poll(1, 4);
        assert.ok(performance.now() - start < 100);
        assert.deepEqual(events, [[server, EPOLLOUT]]);
      } finally {
        closeAll();
      }
    }),
  );

  it(
    "test_errors",
    leakFree(() => {
      assertRaises(() => epoll(-2), ValueError, "negative sizehint");
      using ep = epoll();
      assertRaises(
        () => ep.register(-1, EPOLLIN),
        ValueError,
        "file descriptor cannot be a negative integer (-1)",
      );
    }),
  );

  it(
    "test_unregister_closed",
    leakFree(() => {
      const [r, w] = pipe();
      using ep = epoll(16);
      ep.register(w);
      const start = performance.now();
      assert.deepEqual(ep.poll(1, 4), [[w, EPOLLOUT]]);
      assert.ok(performance.now() - start < 100);
      close(w);
      close(r);
      assertErrno(() => ep.unregister(w), OSError, "EBADF");
    }),
  );

  it(
    "test_close",
    leakFree(() =>
      withPipe((r) => {
        const ep = epoll();
        assert.equal(typeof ep.fileno(), "number");
        assert.equal(ep.closed, false);
        ep.close();
        assert.equal(ep.closed, true);
        assertRaises(() => ep.fileno(), ValueError, CLOSED);
        ep.close();
        assertRaises(() => ep.modify(r, EPOLLIN), ValueError, CLOSED);
        assertRaises(() => ep.poll(1.0), ValueError, CLOSED);
        assertRaises(() => ep.register(r, EPOLLIN), ValueError, CLOSED);
        assertRaises(() => ep.unregister(r), ValueError, CLOSED);
      })
    ),
  );

  it(
    "test_fd_non_inheritable",
    leakFree(() => {
      using ep = epoll();
      assert.equal(isCloseOnExec(ep.fileno()), true);
    }),
  );
});

describe("epoll: semantics (Modules/selectmodule.c pyepoll_*)", { skip: !linux }, () => {
  it(
    "reports HUP and ERR even when not asked, and the registered fd",
    leakFree(() => {
      const [r, w] = pipe();
      const [r2, w2] = pipe();
      try {
        using ep = epoll();
        ep.register(r, 0);
        ep.register(w2, EPOLLOUT);
        assert.deepEqual(ep.poll(0), [[w2, EPOLLOUT]]);
        close(w);
        close(r2);
        assert.deepEqual(
          sortEvents(ep.poll(0)),
          sortEvents([[r, EPOLLHUP], [w2, EPOLLOUT | EPOLLERR]]),
        );
      } finally {
        close(r);
        close(w2);
      }
    }),
  );

  it(
    "masks are truncated modulo 2^32; the kernel judges the bits",
    leakFree(() =>
      withPipe((r, w) => {
        using ep = epoll();
        ep.register(w, 2 ** 32 + EPOLLOUT);
        assert.deepEqual(ep.poll(0), [[w, EPOLLOUT]]);
        ep.modify(w, (1n << 64n) as Untyped);
        assert.deepEqual(ep.poll(0), []);
        ep.modify(w, -(2 ** 32) + EPOLLOUT);
        assert.deepEqual(ep.poll(0), [[w, EPOLLOUT]]);
        assertErrno(() => ep.register(r, -1), OSError, "EINVAL");
      })
    ),
  );

  it(
    "returns at most maxevents events",
    leakFree(() =>
      withPipe((r, w) => {
        const [r2, w2] = pipe();
        try {
          using ep = epoll();
          for (const fd of [w, w2]) ep.register(fd, EPOLLOUT);
          write(w, new Uint8Array([1]));
          ep.register(r, EPOLLIN);
          assert.equal(ep.poll(0, 1).length, 1);
          assert.equal(ep.poll(0, 2).length, 2);
          assert.equal(ep.poll(0).length, 3);
          assert.equal(read(r, 1).length, 1);
        } finally {
          close(r2);
          close(w2);
        }
      })
    ),
  );

  it(
    "timeouts: -0.0009 returns at once, -0.001 blocks, 0.0001 waits at least 1 ms",
    leakFree(async () => {
      await withPipe((r) => {
        using ep = epoll();
        ep.register(r, EPOLLIN);
        for (const instant of [-0.0009, -1e-10, -0, 0, 0n as Untyped]) {
          const start = performance.now();
          assert.deepEqual(ep.poll(instant), []);
          assert.ok(performance.now() - start < 500, `poll(${instant}) waited`);
        }
        for (const [timeout, least] of [[0.0001, 1], [0.0011, 2], [0.02, 20]] as const) {
          const start = performance.now();
          assert.deepEqual(ep.poll(timeout), []);
          const elapsed = performance.now() - start;
          assert.ok(elapsed >= least * 0.98, `poll(${timeout}) returned after ${elapsed} ms`);
        }
      });
      for (const timeout of [-0.001, -0.5, -1, null, undefined]) {
        await withPipe(async (r, w) => {
          using ep = epoll();
          ep.register(r, EPOLLIN);
          const child = spawnShell("sleep 0.2; echo x", w);
          const start = performance.now();
          const ready = ep.poll(timeout);
          const elapsed = performance.now() - start;
          assert.deepEqual(ready, [[r, EPOLLIN]]);
          assert.ok(elapsed >= 100, `poll(${timeout}) returned after ${elapsed} ms`);
          assert.equal(await child.exited, 0);
        });
      }
    }),
  );
});
