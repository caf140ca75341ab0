/**
 * `poll()` objects: CPython's Lib/test/test_poll.py ported to iomux pipes, and every
 * poll behaviour of Modules/selectmodule.c `select_poll_*_impl` (class and exact message).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, O_RDONLY, open, pipe, read, write } from "../../os/mod.ts";
import {
  KeyError,
  poll,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLPRI,
  RuntimeError,
  ValueError,
} from "../../select/mod.ts";
import { assertRaises } from "../_kit/errors.ts";
import { leakFree, withPipe, withPipes } from "../_kit/fds.ts";
import { spawnShell } from "../_kit/child.ts";
import { sleep } from "../_kit/time.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

const MSG = new TextEncoder().encode(" This is a test.");
// deno-lint-ignore no-explicit-any
type Untyped = any;

/** One real off-thread wait: under node:ffi its worker opens fds once, on first use. */
async function warmOffThreadWait(): Promise<void> {
  await withPipe(async (r) => {
    const p = poll();
    p.register(r, POLLIN);
    await p.pollAsync(1);
  });
}

function randomOf<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

describe("poll: CPython test_poll.py", { skip: POSIX_FDS }, () => {
  it(
    "test_poll1: 12 pipes, random writers and readers",
    leakFree(() => {
      const p = poll();
      const readers: number[] = [];
      const writers: number[] = [];
      const r2w = new Map<number, number>();
      try {
        for (let i = 0; i < 12; i++) {
          const [rd, wr] = pipe();
          p.register(rd);
          p.modify(rd, POLLIN);
          p.register(wr, POLLOUT);
          readers.push(rd);
          writers.push(wr);
          r2w.set(rd, wr);
        }
        const bufs: Uint8Array[] = [];
        while (writers.length > 0) {
          const ready = p.poll();
          const readyWriters = ready.filter(([, flags]) => flags & POLLOUT).map(([fd]) => fd);
          assert.ok(readyWriters.length > 0, "no pipes ready for writing");
          write(randomOf(readyWriters), MSG);

          const ready2 = p.poll();
          const readyReaders = ready2.filter(([, flags]) => flags & POLLIN).map(([fd]) => fd);
          assert.ok(readyReaders.length > 0, "no pipes ready for reading");
          const rd = randomOf(readyReaders);
          const buf = read(rd, MSG.length);
          assert.equal(buf.length, MSG.length);
          bufs.push(buf);
          const wr = r2w.get(rd)!;
          close(wr);
          close(rd);
          p.unregister(wr);
          p.unregister(rd);
          writers.splice(writers.indexOf(wr), 1);
          readers.splice(readers.indexOf(rd), 1);
        }
        assert.deepEqual(bufs, new Array(12).fill(MSG));
      } finally {
        for (const fd of [...readers, ...writers]) close(fd);
      }
    }),
  );

  it(
    "test_poll_unit_tests",
    leakFree(() => {
      // A closed fd is reported as POLLNVAL, not raised.
      const [fd, other] = pipe();
      close(fd);
      close(other);
      const p = poll();
      p.register(fd);
      assert.deepEqual(p.poll()[0], [fd, POLLNVAL]);

      // A file object (here: an object with fileno()) is accepted.
      const opened = open("/dev/null", O_RDONLY);
      const file = { fileno: () => opened };
      const q = poll();
      q.register(file);
      assert.equal(q.poll()[0]![0], opened);
      close(opened);
      assert.deepEqual(q.poll()[0], [opened, POLLNVAL]);

      // The poll object itself is not an fd.
      const message = "argument must be an int, or have a fileno() method.";
      assertRaises(() => q.register(q as Untyped), TypeError, message);
      assertRaises(() => q.unregister(q as Untyped), TypeError, message);

      // Unregistering something that is not registered.
      assert.throws(() => poll().unregister(3), KeyError);

      // Objects that are not fds.
      assertRaises(() => p.register({} as Untyped, 0), TypeError, message);
      assertRaises(
        () => p.register({ fileno: () => "fileno" } as Untyped, 0),
        TypeError,
        "fileno() returned a non-integer",
      );
    }),
  );

  it(
    "test_poll2: a child echoes lines; POLLIN until POLLHUP",
    leakFree(async () => {
      const [r, w] = pipe();
      const child = spawnShell(
        "for i in 1 2 3 4 5 6 7 8 9 10; do echo testing...; sleep 0.05; done",
        w,
      );
      close(w);
      try {
        const p = poll();
        p.register(r, POLLIN);
        let text = "";
        let hup = false;
        const timeouts = [0, 1000, 2000, 4000, 8000, 16000, ...new Array<number>(40).fill(-1)];
        for (const timeout of timeouts) {
          const fdlist = p.poll(timeout);
          if (fdlist.length === 0) continue;
          const [fd, flags] = fdlist[0]!;
          assert.equal(fd, r);
          if (flags & POLLHUP && !(flags & POLLIN)) {
            assert.equal(read(r, 4096).length, 0);
            hup = true;
            break;
          }
          assert.ok(flags & POLLIN, `unexpected flags ${flags}`);
          assert.equal(flags & ~(POLLIN | POLLHUP), 0, `unexpected flags ${flags}`);
          const chunk = read(r, 4096);
          if (chunk.length === 0) {
            hup = true;
            break;
          }
          text += new TextDecoder().decode(chunk);
        }
        assert.ok(hup, "never saw the end of the child's output");
        assert.equal(text, "testing...\n".repeat(10));
        assert.equal(await child.exited, 0);
      } finally {
        close(r);
      }
    }),
  );

  it("test_poll3: overflow and negative masks", () => {
    const p = poll();
    p.register(1);
    assertRaises(
      () => p.poll((1n << 64n) as Untyped),
      RangeError,
      "timestamp too large to convert to C PyTime_t",
    );
    assertRaises(() => p.register(0, -1), ValueError, "value must be positive");
    assertRaises(
      () => p.register(0, (1n << 64n) as Untyped),
      RangeError,
      "Python int too large to convert to C unsigned long",
    );
    assertRaises(() => p.modify(1, -1), ValueError, "value must be positive");
    assertRaises(
      () => p.modify(1, 2 ** 64),
      RangeError,
      "Python int too large to convert to C unsigned long",
    );
  });

  it("test_poll_c_limits", () => {
    const p = poll();
    p.register(1);
    assertRaises(
      () => p.register(0, 0xffff + 1),
      RangeError,
      "Python int too large for C unsigned short",
    );
    assertRaises(
      () => p.modify(1, 0xffff + 1),
      RangeError,
      "Python int too large for C unsigned short",
    );
    assertRaises(() => p.poll(2 ** 31), RangeError, "timeout is too large");
    assertRaises(() => p.poll(2 ** 32), RangeError, "timeout is too large");
    assertRaises(() => p.poll(-(2 ** 31) - 1), RangeError, "timeout is too large");
  });

  it(
    "test_threaded_poll: a wait in progress (pollAsync) makes poll() a RuntimeError",
    async () => {
      await warmOffThreadWait();
      await leakFree(() =>
        withPipe(async (r, w) => {
          const p = poll();
          for (let i = 0; i < 10; i++) p.register(r, POLLIN);
          const pending = p.pollAsync();
          await sleep(50);
          p.unregister(r);
          p.register(w, POLLOUT);
          assertRaises(() => p.poll(), RuntimeError, "concurrent poll() invocation");
          // The timeout is checked first: a bad one wins over the concurrency error.
          assertRaises(
            () => p.poll("x" as Untyped),
            TypeError,
            "timeout must be an integer or None",
          );
          write(w, new TextEncoder().encode("spam"));
          const ready = await pending;
          assert.ok(ready.length > 0);
          assert.deepEqual(p.poll(0), [[w, POLLOUT]]);
        })
      )();
    },
  );

  it(
    "test_poll_blocks_with_negative_ms: every negative timeout blocks until data comes",
    leakFree(async () => {
      for (const timeout of [null, undefined, -1000, -1, -1.5, -0.1, -1e-100]) {
        await withPipe(async (r, w) => {
          const p = poll();
          p.register(r, POLLIN);
          const child = spawnShell("sleep 0.2; echo x", w);
          const start = performance.now();
          const ready = p.poll(timeout);
          const elapsed = performance.now() - start;
          assert.deepEqual(ready, [[r, POLLIN]], `timeout ${timeout}`);
          assert.ok(elapsed >= 100, `poll(${timeout}) returned after ${elapsed} ms`);
          assert.equal(await child.exited, 0);
        });
      }
    }),
  );
});

describe("poll: semantics (Modules/selectmodule.c select_poll_*)", { skip: POSIX_FDS }, () => {
  it(
    "results come in registration order; re-registering keeps the place",
    leakFree(() =>
      withPipes(3, ([a, b, c]) => {
        const p = poll();
        for (const [, w] of [c!, a!, b!]) p.register(w, POLLOUT);
        assert.deepEqual(p.poll(0).map(([fd]) => fd), [c![1], a![1], b![1]]);
        p.register(c![1], POLLOUT | POLLIN);
        p.modify(a![1], POLLOUT);
        assert.deepEqual(p.poll(0).map(([fd]) => fd), [c![1], a![1], b![1]]);
        p.unregister(c![1]);
        p.register(c![1], POLLOUT);
        assert.deepEqual(p.poll(0).map(([fd]) => fd), [a![1], b![1], c![1]]);
      })
    ),
  );

  it(
    "the default mask is POLLIN|POLLPRI|POLLOUT; HUP, ERR and NVAL come unasked",
    leakFree(() => {
      const [r, w] = pipe();
      const p = poll();
      p.register(w);
      assert.deepEqual(p.poll(0), [[w, POLLOUT]]);
      write(w, MSG);
      p.register(r);
      assert.deepEqual(p.poll(0), [[w, POLLOUT], [r, POLLIN]]);
      read(r, 100);
      close(w);
      const q = poll();
      q.register(r, 0);
      assert.deepEqual(q.poll(0), [[r, POLLHUP]]);
      q.modify(r, POLLIN | POLLPRI);
      assert.deepEqual(q.poll(0), [[r, POLLHUP]]);
      const [r2, w2] = pipe();
      close(r2);
      q.register(w2, POLLOUT);
      assert.deepEqual(q.poll(0), [[r, POLLHUP], [w2, POLLOUT | POLLERR]]);
      q.modify(w2, 0);
      assert.deepEqual(q.poll(0), [[r, POLLHUP], [w2, POLLERR]]);
      close(r);
      close(w2);
      assert.deepEqual(q.poll(0), [[r, POLLNVAL], [w2, POLLNVAL]]);
    }),
  );

  it(
    "rounds a timeout up to whole milliseconds: 0.1 waits at least 1 ms, 1.2 at least 2",
    leakFree(() =>
      withPipe((r) => {
        const p = poll();
        p.register(r, POLLIN);
        for (const [timeout, least] of [[0.1, 1], [0.5, 1], [1.2, 2], [20.2, 21]] as const) {
          const start = performance.now();
          assert.deepEqual(p.poll(timeout), []);
          const elapsed = performance.now() - start;
          assert.ok(elapsed >= least * 0.98, `poll(${timeout}) returned after ${elapsed} ms`);
        }
        for (const zero of [0, -0, 0n as Untyped]) {
          const start = performance.now();
          assert.deepEqual(p.poll(zero), []);
          assert.ok(performance.now() - start < 1000);
        }
      })
    ),
  );
});
