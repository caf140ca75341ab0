// Lib/test/test_selectors.py, ported case by case and run for each
// selector class, on real socketpairs and pipes. CPython-specific cases that need
// more than test_selectors.py checks are in semantics_test.ts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { close, O_RDONLY, open, pipe } from "../../os/mod.ts";
import { type Socket, socketpair } from "../../socket/mod.ts";
import {
  type BaseSelector,
  BaseSelectorImpl,
  DefaultSelector,
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  KeyError,
  KqueueSelector,
  OSError,
  PermissionError,
  PollLikeSelector,
  PollSelector,
  RuntimeError,
  SelectorKey,
  SelectSelector,
  ValueError,
} from "../../selectors/mod.ts";
import { nativeKqueue } from "../../select/kqueue.ts";
import { type Factory, fdLimits, raiseFdLimit, SELECTORS, withCleanup } from "../_kit/selectors.ts";
import { canSignal, observe, selectorPremise, signaller, useSignalTarget } from "../_kit/eintr.ts";

const MSG = new TextEncoder().encode(" This is a test.");

function findReadyMatching(ready: [SelectorKey, number][], flag: number): unknown[] {
  return ready.filter(([, events]) => events & flag).map(([key]) => key.fileobj);
}

function suite(name: string, make: Factory, scalable: boolean): void {
  describe(name, () => {
    const signals = useSignalTarget(43);
    it("test_register", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());

        const key = s.register(rd, EVENT_READ, "data");
        assert.ok(key instanceof SelectorKey);
        assert.equal(key.fileobj, rd);
        assert.equal(key.fd, rd.fileno());
        assert.equal(key.events, EVENT_READ);
        assert.equal(key.data, "data");
        // an unknown event
        assert.throws(() => s.register(0, 999999), ValueError);
        // an invalid fd
        assert.throws(() => s.register(-10, EVENT_READ), ValueError);
        // twice
        assert.throws(() => s.register(rd, EVENT_READ), KeyError);
        // the same fd, another object
        assert.throws(() => s.register(rd.fileno(), EVENT_READ), KeyError);
      }));

    it("test_unregister", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        s.register(rd, EVENT_READ);
        s.unregister(rd);
        assert.throws(() => s.unregister(999999), KeyError);
        assert.throws(() => s.unregister(rd), KeyError);
      }));

    it("test_unregister_after_fd_close", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        const [r, w] = [rd.fileno(), wr.fileno()];
        s.register(r, EVENT_READ);
        s.register(w, EVENT_WRITE);
        rd.close();
        wr.close();
        s.unregister(r);
        s.unregister(w);
        assert.equal(s.getMap().size, 0);
      }));

    it("test_unregister_after_fd_close_and_reuse", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        const [r, w] = [rd.fileno(), wr.fileno()];
        s.register(r, EVENT_READ);
        s.register(w, EVENT_WRITE);
        rd.close();
        wr.close();
        // CPython dup2()s other sockets onto r and w. The kernel hands out the lowest
        // free numbers, so new socketpairs land on r and w once the holes below are
        // filled: the fds now name other sockets, as after dup2.
        const taken: Socket[] = [];
        defer(() => taken.forEach((sock) => sock.close()));
        for (let i = 0; i < 64; i++) {
          taken.push(...socketpair());
          const fds = new Set(taken.map((sock) => sock.fileno()));
          if (fds.has(r) && fds.has(w)) break;
        }
        const fds = new Set(taken.map((sock) => sock.fileno()));
        assert.ok(fds.has(r) && fds.has(w), "r and w were reused");
        s.unregister(r);
        s.unregister(w);
        assert.equal(s.getMap().size, 0);
      }));

    it("test_unregister_after_socket_close", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        s.register(rd, EVENT_READ);
        s.register(wr, EVENT_WRITE);
        rd.close();
        wr.close();
        assert.equal(rd.fileno(), -1);
        // fileno() is -1 now: found by identity.
        s.unregister(rd);
        s.unregister(wr);
        assert.equal(s.getMap().size, 0);
      }));

    it("test_modify", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());

        let key = s.register(rd, EVENT_READ);
        // modify events
        let key2 = s.modify(rd, EVENT_WRITE);
        assert.notEqual(key.events, key2.events);
        assert.equal(key2, s.getKey(rd));
        s.unregister(rd);

        // modify data
        const d1 = {};
        const d2 = {};
        key = s.register(rd, EVENT_READ, d1);
        key2 = s.modify(rd, EVENT_READ, d2);
        assert.equal(key.events, key2.events);
        assert.notEqual(key.data, key2.data);
        assert.equal(key2, s.getKey(rd));
        assert.equal(key2.data, d2);

        // modify an unknown file object
        assert.throws(() => s.modify(999999, EVENT_READ), KeyError);

        // a data-only change takes the shortcut: no unregister, no register
        const calls: string[] = [];
        const spied = s as unknown as Record<
          "register" | "unregister",
          (...a: unknown[]) => unknown
        >;
        for (const method of ["register", "unregister"] as const) {
          const original = spied[method].bind(s);
          spied[method] = (...args: unknown[]) => {
            calls.push(method);
            return original(...args);
          };
        }
        const d3 = {};
        assert.equal(s.modify(rd, EVENT_READ, d3).data, d3);
        assert.deepEqual(calls, []);
        // ...while an events change does call them on the selectors that use the base modify
        s.modify(rd, EVENT_WRITE, d3);
        // (poll-like selectors modify through the primitive instead)
        const expected = s instanceof PollLikeSelector ? [] : ["unregister", "register"];
        assert.deepEqual(calls, expected);
      }));

    it("test_modify_unregister", {
      skip: s0(make) instanceof PollLikeSelector ? false : "base modify: no primitive modify",
    }, () =>
      withCleanup((defer) => {
        // bpo-30014: the key goes when the primitive's modify fails. CPython mocks
        // the primitive's modify to raise ZeroDivisionError; so does this test.
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        const poller = (s as unknown as { poller: { modify: () => void } }).poller;
        poller.modify = () => {
          throw new RangeError("ZeroDivisionError");
        };
        s.register(rd, EVENT_READ);
        assert.equal(s.getMap().size, 1);
        assert.throws(() => s.modify(rd, EVENT_WRITE), RangeError);
        assert.equal(s.getMap().size, 0);
      }));

    it("test_close", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const mapping = s.getMap();
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        s.register(rd, EVENT_READ);
        s.register(wr, EVENT_WRITE);
        s.close();
        assert.throws(() => s.getKey(rd), RuntimeError);
        assert.throws(() => s.getKey(wr), RuntimeError);
        assert.equal(mapping.get(rd), undefined);
        assert.equal(mapping.get(wr), undefined);
        assert.equal(mapping.has(rd), false);
        // API.md: the same mapping, now empty (Python's get_map() returns None)
        assert.equal(s.getMap(), mapping);
        assert.equal(mapping.size, 0);
      }));

    it("test_get_key", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        const key = s.register(rd, EVENT_READ, "data");
        assert.equal(key, s.getKey(rd));
        assert.throws(() => s.getKey(999999), KeyError);
      }));

    it("test_get_map", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        const sentinel = {};
        const keys = s.getMap();
        assert.equal(keys.size, 0);
        assert.deepEqual([...keys], []);
        assert.equal(keys.get(rd), undefined);
        assert.equal(keys.get(rd, sentinel), sentinel);
        const key = s.register(rd, EVENT_READ, "data");
        assert.ok(keys.has(rd));
        assert.equal(keys.get(rd), key);
        assert.equal(keys.get(rd, sentinel), key);
        assert.equal(keys.size, 1);
        assert.deepEqual([...keys], [rd.fileno()]);
        assert.deepEqual([...keys.keys()], [rd.fileno()]);
        assert.deepEqual([...keys.values()], [key]);
        assert.deepEqual([...keys.entries()], [[rd.fileno(), key]]);
        // unknown file object
        assert.equal(keys.get(999999), undefined);
        assert.throws(() => s.getKey(999999), KeyError);
        // read-only: no mutators at all
        assert.equal((keys as unknown as { delete?: unknown }).delete, undefined);
        assert.equal((keys as unknown as { set?: unknown }).set, undefined);
      }));

    it("test_select", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        s.register(rd, EVENT_READ);
        const wrKey = s.register(wr, EVENT_WRITE);
        const result = s.select();
        for (const [key, events] of result) {
          assert.ok(key instanceof SelectorKey);
          assert.ok(events);
          assert.equal(events & ~(EVENT_READ | EVENT_WRITE), 0);
        }
        assert.deepEqual(result, [[wrKey, EVENT_WRITE]]);
        assert.equal(result[0]![0], wrKey);
      }));

    it("test_select_read_write", () =>
      withCleanup((defer) => {
        // gh-110038: READ and WRITE both reported, in one entry or two.
        const s = make();
        defer(() => s.close());
        const [sock1, sock2] = socketpair();
        defer(() => sock1.close(), () => sock2.close());
        sock2.send(new TextEncoder().encode("foo"));
        const myKey = s.register(sock1, EVENT_READ | EVENT_WRITE);
        const result = s.select();
        assert.ok(result.length <= 2);
        let seenRead = 0;
        let seenWrite = 0;
        for (const [key, events] of result) {
          assert.equal(key, myKey);
          if (events & EVENT_READ) seenRead++;
          if (events & EVENT_WRITE) seenWrite++;
        }
        assert.equal(seenRead, 1);
        assert.equal(seenWrite, 1);
      }));

    it("test_context_manager", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        {
          const sel = s;
          try {
            sel.register(rd, EVENT_READ);
            sel.register(wr, EVENT_WRITE);
          } finally {
            sel[Symbol.dispose]();
          }
        }
        assert.throws(() => s.getKey(rd), RuntimeError);
        assert.throws(() => s.getKey(wr), RuntimeError);
      }));

    it("test_fileno", () =>
      withCleanup((defer) => {
        const s = make() as BaseSelector & { fileno?: () => number };
        defer(() => s.close());
        if (typeof s.fileno === "function") {
          const fd = s.fileno();
          assert.ok(Number.isInteger(fd));
          assert.ok(fd >= 0);
        } else {
          assert.ok(s instanceof PollSelector || s instanceof SelectSelector);
        }
      }));

    it("test_selector", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const NUM_SOCKETS = 12;
        const writers: Socket[] = [];
        const r2w = new Map<Socket, Socket>();
        const w2r = new Map<Socket, Socket>();
        for (let i = 0; i < NUM_SOCKETS; i++) {
          const [rd, wr] = socketpair();
          defer(() => rd.close(), () => wr.close());
          s.register(rd, EVENT_READ);
          s.register(wr, EVENT_WRITE);
          writers.push(wr);
          r2w.set(rd, wr);
          w2r.set(wr, rd);
        }
        const bufs: Uint8Array[] = [];
        while (writers.length > 0) {
          const readyWriters = findReadyMatching(s.select(), EVENT_WRITE) as Socket[];
          assert.ok(readyWriters.length > 0, "no sockets ready for writing");
          const wr = readyWriters[Math.floor(Math.random() * readyWriters.length)]!;
          wr.send(MSG);
          // A socketpair is readable as soon as send() returns: wait for it rather
          // than sleeping (CPython retries with 0.1 s sleeps).
          const readyReaders = findReadyMatching(s.select(5), EVENT_READ) as Socket[];
          assert.deepEqual(readyReaders, [w2r.get(wr)]);
          const rd = readyReaders[0]!;
          const buf = rd.recv(MSG.length);
          assert.equal(buf.length, MSG.length);
          bufs.push(buf);
          s.unregister(r2w.get(rd)!);
          s.unregister(rd);
          writers.splice(writers.indexOf(r2w.get(rd)!), 1);
        }
        assert.deepEqual(bufs, Array(NUM_SOCKETS).fill(MSG));
      }));

    it("test_empty_select", () =>
      withCleanup((defer) => {
        // Issue #23009: EpollSelector.select() with nothing registered.
        const s = make();
        defer(() => s.close());
        assert.deepEqual(s.select(0), []);
      }));

    it("test_timeout", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [rd, wr] = socketpair();
        defer(() => rd.close(), () => wr.close());
        s.register(wr, EVENT_WRITE);
        assert.equal(s.select(0).length, 1);
        assert.equal(s.select(-1).length, 1);
        s.unregister(wr);
        s.register(rd, EVENT_READ);
        let t = performance.now();
        assert.deepEqual(s.select(0), []);
        assert.deepEqual(s.select(-1), []);
        // A poll once must not wait; 2 s is generous on a loaded 2-core machine.
        assert.ok(performance.now() - t < 2000);
        t = performance.now();
        assert.deepEqual(s.select(1), []);
        const dt = performance.now() - t;
        // Never shorter than asked (1 ms of slack for the clock's granularity).
        assert.ok(dt >= 999, `select(1) returned after ${dt} ms`);
        assert.ok(dt < 10_000, `select(1) returned after ${dt} ms`);
      }));

    it("test_select_interrupt_noraise", async (t) => {
      // A signal whose handler returns: select() retries with the time left (PEP 475)
      // instead of returning early. The signal is aimed at the JS thread (under
      // `deno test` the pid's signals reach another thread and interrupt nothing), and
      // the test asserts that the wait really came back with EINTR. SIGWINCH is
      // ignored by default, so nothing breaks if the listener were not installed.
      // (test_select_interrupt_exc cannot be ported: a JS handler cannot run while
      // the thread is inside a synchronous wait; it runs after select() returns.)
      if (!canSignal(signals, t, selectorPremise(name))) return;
      const s = make();
      const [rd, wr] = socketpair();
      try {
        s.register(rd, EVENT_READ);
        // One signal per attempt, as CPython's one alarm; a runtime may hand a signal to
        // another thread now and then (seen on Node 26), so up to three attempts, each
        // checked in full, and the retry must have been exercised in one of them.
        let why = "";
        for (let attempt = 0; attempt < 3; attempt++) {
          const before = signals.delivered;
          const child = signaller(signals.tid, { count: 1, gapMs: 300 });
          const outcome = await observe(signals, () => s.select(1.5), selectorPremise(name), child);
          assert.deepEqual(outcome.result, []);
          assert.ok(outcome.elapsed >= 1499, `select(1.5) returned after ${outcome.elapsed} ms`);
          // The handler runs once the thread is free again: the signal did arrive, once.
          assert.equal(signals.delivered - before, 1);
          why = outcome.premiseHeld ? "" : outcome.why;
          if (outcome.premiseHeld) break;
        }
        assert.equal(why, "");
      } finally {
        s.close();
        rd.close();
        wr.close();
      }
    });

    it("test_register_file", {
      skip: s0(make) instanceof EpollSelector ? false : "epoll only",
    }, () =>
      withCleanup((defer) => {
        // A regular file: epoll_ctl says EPERM, and nothing stays registered.
        const dir = mkdtempSync(join(tmpdir(), "iomux-selectors-"));
        defer(() => rmSync(dir, { recursive: true, force: true }));
        const path = join(dir, "file");
        writeFileSync(path, "x");
        const fd = open(path, O_RDONLY);
        defer(() => close(fd));
        const s = make();
        defer(() => s.close());
        assert.throws(() => s.register(fd, EVENT_READ), PermissionError);
        assert.throws(() => s.getKey(fd), KeyError);
        assert.equal(s.getMap().size, 0);
      }));

    it("test_above_fd_setsize", {
      skip: !scalable
        ? "select() is limited to FD_SETSIZE"
        : s0(make) instanceof KqueueSelector && !nativeKqueue
        ? "libkqueue returns at most 512 events per kevent() call (its MAX_KEVENT)"
        : process.platform === "win32"
        ? "Windows has no RLIMIT_NOFILE (CPython: no resource module)"
        : fdLimits().hard < 1200
        ? "RLIMIT_NOFILE too low to go above FD_SETSIZE"
        : false,
    }, () =>
      withCleanup((defer) => {
        // More fds than select() can take, up to the hard RLIMIT_NOFILE.
        defer(raiseFdLimit());
        const { soft } = fdLimits();
        const NUM_FDS = Math.min(soft, 2 ** 16) - 32;
        const s = make();
        defer(() => s.close());
        let pairs = 0;
        for (let i = 0; i < Math.floor(NUM_FDS / 2); i++) {
          let rd: Socket, wr: Socket;
          try {
            [rd, wr] = socketpair();
          } catch (error) {
            if (error instanceof OSError) break; // the limit, counted below
            throw error;
          }
          defer(() => rd.close(), () => wr.close());
          s.register(rd, EVENT_READ);
          s.register(wr, EVENT_WRITE);
          pairs++;
        }
        assert.ok(pairs * 2 > 1024, `only ${pairs} socketpairs: not above FD_SETSIZE`);
        const ready = s.select();
        assert.equal(ready.length, pairs);
        for (const [key, events] of ready) {
          assert.equal(events, EVENT_WRITE);
          assert.equal(key.events, EVENT_WRITE);
        }
      }));
  });
}

/** One throwaway instance, to decide skips by class. */
function s0(make: Factory): BaseSelectorImpl {
  const s = make();
  s.close();
  return s;
}

for (const [name, make, scalable] of SELECTORS) suite(name, make, scalable);

describe("DefaultSelector", () => {
  it("is EpollSelector on Linux (CPython's _can_use order)", () => {
    const s = new DefaultSelector();
    try {
      assert.ok(s instanceof BaseSelectorImpl);
      if (process.platform === "linux") {
        assert.ok(s instanceof EpollSelector);
        assert.equal(DefaultSelector.name, "EpollSelector");
      }
      if (process.platform === "win32") {
        // CPython on Windows: no select.poll, so SelectSelector.
        assert.ok(s instanceof SelectSelector);
        assert.equal(DefaultSelector.name, "SelectSelector");
      }
    } finally {
      s.close();
    }
  });

  it("can be subclassed", () => {
    class Mine extends DefaultSelector<number> {
      extra(): number {
        return this.getMap().size;
      }
    }
    const s = new Mine();
    try {
      const [r, w] = pipe();
      try {
        s.register(r, EVENT_READ, 7);
        assert.ok(s instanceof Mine);
        assert.ok(s instanceof DefaultSelector);
        assert.equal(s.extra(), 1);
      } finally {
        close(r);
        close(w);
      }
    } finally {
      s.close();
    }
  });
});
