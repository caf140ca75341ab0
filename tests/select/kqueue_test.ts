// select.kqueue against a real kqueue: CPython's Lib/test/test_kqueue.py ported, plus
// control()'s argument, timeout and error rules (Modules/selectmodule.c
// select_kqueue_control_impl).
// On macOS and FreeBSD this runs against the kernel; on Linux only when
// IOMUX_KQUEUE_LIB names a libkqueue shared library (otherwise it is skipped, and
// only the "kqueue is unavailable" checks run).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  KEvent,
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
import { KQUEUE_LIB_ENV } from "../../ffi/kqueue_lib.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";
import {
  canSignal,
  interrupted,
  selectorPremise,
  signaller,
  useSignalTarget,
} from "../_kit/eintr.ts";

const native = abi.kevent !== null;
const skip = kqueueUnavailable;
const available = skip === false;
const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
const { EBADF, ENOSYS } = abi.errno;

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

describe("kqueue.control rules (Modules/selectmodule.c select_kqueue_control_impl)", {
  skip,
}, () => {
  const signals = useSignalTarget(47);

  it("checks arity, maxevents and the closed state in CPython's order", () => {
    using kq = kqueue();
    const loose = kq as unknown as { control(...args: unknown[]): KEvent[] };
    assert.throws(() => loose.control(null), {
      message: "control expected at least 2 arguments, got 1",
    });
    assert.throws(() => loose.control(null, 1, 0, 4), {
      message: "control expected at most 3 arguments, got 4",
    });
    assert.throws(() => loose.control(null, "1"), {
      name: "TypeError",
      message: "'str' object cannot be interpreted as an integer",
    });
    assert.throws(() => kq.control(null, 2 ** 31), RangeError);
    assert.throws(() => kq.control(null, -1), {
      name: "ValueError",
      message: "Length of eventlist must be 0 or positive, got -1",
    });
    const closed = kqueue();
    closed.close();
    assert.throws(() => closed.control(null, -1), {
      message: "I/O operation on closed kqueue object",
    });
  });

  it("rejects negative timeouts and re-words every conversion failure", () => {
    using kq = kqueue();
    for (const bad of [-1, -1e-10, -0.5, -(2 ** 30), -1e-300]) {
      assert.throws(() => kq.control(null, 0, bad), {
        name: "ValueError",
        message: "timeout must be positive or None",
      }, String(bad));
    }
    const cases: [unknown, string][] = [
      ["1", "str"],
      [NaN, "float"],
      [Infinity, "float"],
      [-Infinity, "float"],
      [1e300, "float"],
      [10 ** 10, "int"],
      // Out of int64 nanoseconds, so an OverflowError in CPython, re-worded too.
      [-(2 ** 40), "int"],
      [2n ** 70n, "int"],
      [{}, "dict"],
      [[1], "list"],
      [true, "bool"],
    ];
    for (const [bad, type] of cases) {
      assert.throws(() => kq.control(null, 0, bad as number), {
        name: "TypeError",
        message: `timeout argument must be a number or None, got ${type}`,
      }, String(bad));
    }
    // The timeout is checked before the changelist.
    assert.throws(() => kq.control(5 as unknown as KEvent[], 0, "x" as unknown as number), {
      message: "timeout argument must be a number or None, got str",
    });
    assert.deepEqual(kq.control(null, 0, -0), []);
    assert.deepEqual(kq.control(null, 0, 0), []);
    assert.deepEqual(kq.control(undefined, 1, 0n as unknown as number), []);
  });

  it("rejects changelists that are not iterables of KEvent", () => {
    using kq = kqueue();
    assert.throws(() => kq.control(5 as unknown as KEvent[], 0), {
      name: "TypeError",
      message: "changelist is not iterable",
    });
    for (const bad of [[1], "abc", [kevent(0), null]]) {
      assert.throws(() => kq.control(bad as unknown as KEvent[], 0), {
        name: "TypeError",
        message: "changelist must be an iterable of select.kevent objects",
      });
    }
  });

  it("reports a failed change as EV_ERROR when there is room, else raises", () => {
    // The queue first: its own fds must not take the closed pipe's numbers.
    using kq = kqueue();
    const [r, w] = pipe();
    close(r);
    close(w);
    const [ev, ...rest] = kq.control([kevent(r)], 1, 0);
    assert.deepEqual(rest, []);
    assert.ok(ev instanceof KEvent);
    assert.equal(ev.ident, r);
    assert.equal(ev.flags & KQ_EV_ERROR, KQ_EV_ERROR);
    assert.equal(ev.data, EBADF);
    assert.throws(
      () => kq.control([kevent(r)], 0, 0),
      (e: unknown) => e instanceof OSError && e.errno === EBADF && e.code === "EBADF",
    );
  });

  it("returns new KEvent objects, not the changelist's", () => {
    const [r, w] = pipe();
    try {
      using kq = kqueue();
      const change = kevent(w, KQ_FILTER_WRITE, KQ_EV_ADD, 0, 0, 2n ** 64n - 1n);
      const [ev] = kq.control([change], 1, 1);
      assert.ok(ev instanceof KEvent && ev !== change);
      assert.equal(ev.ident, w);
      assert.equal(ev.filter, KQ_FILTER_WRITE);
      assert.equal(ev.udata, 2n ** 64n - 1n);
      assert.ok(Number(ev.data) > 0);
    } finally {
      close(r);
      close(w);
    }
  });

  it("waits at least the timeout, and maxevents 0 returns at once", () => {
    const [r, w] = pipe();
    try {
      using kq = kqueue();
      kq.control([kevent(r)], 0);
      let start = performance.now();
      assert.deepEqual(kq.control(null, 1, 0.25), []);
      const waited = performance.now() - start;
      assert.ok(waited >= 249 && waited < 5000, `${waited} ms`);
      // kevent ignores the timeout when nevents is 0 (why KqueueSelector asks for 1).
      start = performance.now();
      assert.deepEqual(kq.control(null, 0, 5), []);
      assert.ok(performance.now() - start < 2500);
    } finally {
      close(r);
      close(w);
    }
  });

  it("resumes with the time left when a signal interrupts the wait (PEP 475)", async (t) => {
    // SIGWINCH aimed at the JS thread (tests/_kit/eintr.ts): SIGUSR1 would start the
    // inspector, and the pid's signals miss the JS thread under `deno test`.
    if (!canSignal(signals, t)) return;
    using kq = kqueue();
    const child = signaller(signals.tid, { count: 3, gapMs: 80 });
    const outcome = await interrupted(
      signals,
      () => kq.control(null, 1, 0.3),
      selectorPremise("KqueueSelector"),
      child,
    );
    assert.deepEqual(outcome.result, []);
    assert.ok(outcome.elapsed >= 299 && outcome.elapsed < 5000, `${outcome.elapsed} ms`);
  });
});

describe("kqueue where there is none", () => {
  const message = `[Errno ${ENOSYS}] Function not implemented: ` +
    "kqueue needs macOS or FreeBSD, or IOMUX_KQUEUE_LIB naming libkqueue";

  it("kqueue() raises OSError ENOSYS saying why", {
    skip: available ? "kqueue is available" : false,
  }, () => {
    for (const make of [() => kqueue(), () => new Kqueue(), () => Kqueue.fromFd(3)]) {
      assert.throws(
        make,
        (e: unknown) =>
          e instanceof OSError && e.errno === ENOSYS && e.code === "ENOSYS" &&
          e.message === message,
      );
    }
  });

  /** What `kqueue()` does in a Deno child with this environment and these flags. */
  const child = (env: Record<string, string>, flags: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), "iomux-kq-"));
    const script = join(dir, "probe.ts");
    const mod = new URL("../../select/mod.ts", import.meta.url).href;
    writeFileSync(
      script,
      `import { kqueue } from ${JSON.stringify(mod)};\n` +
        `try { kqueue().close(); console.log("ok"); }\n` +
        `catch (e) { console.log(e.constructor.name, e.message); }\n`,
    );
    const childEnv = { ...process.env, ...env };
    try {
      const out = spawnSync(process.execPath, ["run", "--quiet", ...flags, script], {
        env: childEnv,
        encoding: "utf8",
      });
      return out.stdout.trim() || out.stderr.trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const childSkip = native ? "native kqueue" : isDeno ? false : "spawns a Deno child";

  it("on Linux without IOMUX_KQUEUE_LIB, or without permission to read it", {
    skip: childSkip,
  }, () => {
    assert.equal(
      // Empty counts as unset (Deno's child_process cannot remove a variable).
      child({ [KQUEUE_LIB_ENV]: "" }, ["--allow-ffi", "--allow-env"]),
      `OSError ${message}`,
    );
    // Deno without --allow-env cannot read the variable: treated as unset.
    assert.equal(
      child({ [KQUEUE_LIB_ENV]: "/nonexistent/libkqueue.so" }, ["--allow-ffi"]),
      `OSError ${message}`,
    );
  });

  it("on Linux with an IOMUX_KQUEUE_LIB that does not load", { skip: childSkip }, () => {
    const out = child({ [KQUEUE_LIB_ENV]: "/nonexistent/libkqueue.so" }, [
      "--allow-ffi",
      "--allow-env",
    ]);
    assert.match(
      out,
      /^OSError \[Errno \d+\] Function not implemented: cannot load IOMUX_KQUEUE_LIB=\/nonexistent\/libkqueue\.so: /,
    );
  });

  it("on Linux with IOMUX_KQUEUE_LIB naming libkqueue", {
    skip: native
      ? "native kqueue"
      : !isDeno
      ? "spawns a Deno child"
      : !available
      ? `${KQUEUE_LIB_ENV} is not set`
      : false,
  }, () => {
    assert.equal(child({}, ["--allow-ffi", "--allow-env"]), "ok");
  });
});
