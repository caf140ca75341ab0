/**
 * `os.read` and `os.write` answer the common case (at most 64 KiB; a plain
 * `Uint8Array`) in one system call and hand everything else to the full path, with
 * CPython's answers and errors either way: counted through `bytePaths` (os/_fd.ts),
 * never timed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { BlockingIOError, BrokenPipeError, OSError } from "../../errors.ts";
import { close, pipe, read, setBlocking, write } from "../../os/mod.ts";
import { bytePaths } from "../../os/_fd.ts";
import { SO_RCVTIMEO, socketpair, SOL_SOCKET } from "../../socket/mod.ts";
import { counted as countedIn } from "../_kit/counters.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { canSignal, interrupted, signaller, useSignalTarget } from "../_kit/eintr.ts";
import type { Premise } from "../_kit/eintr_evidence.ts";
import { CLAIM, withTamperedPrototype } from "../_kit/lying_views.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";

/** What \`body\` added to each counter. */
const counted = (body: () => void) => countedIn(bytePaths, body);

const bytes = (...values: number[]) => new Uint8Array(values);

describe("os.read and os.write fast paths", { skip: POSIX_HARNESS }, () => {
  it("a plain Uint8Array and a read of at most 64 KiB are one call", () =>
    withPipe((r, w) => {
      assert.deepEqual(
        counted(() => {
          assert.equal(write(w, bytes(1, 2, 3)), 3);
          assert.deepEqual([...read(r, 65536)], [1, 2, 3]);
          assert.equal(write(w, bytes(4)), 1);
          assert.deepEqual([...read(r, 1)], [4]);
        }),
        { write: 2, read: 2 },
      );
    }));

  it("errors come from the one call: BlockingIOError, EBADF, BrokenPipeError", () =>
    withPipe((r, w) => {
      setBlocking(r, false);
      assert.deepEqual(counted(() => assert.throws(() => read(r, 8), BlockingIOError)), {
        read: 1,
      });
      const [r2, w2] = pipe();
      close(r2);
      close(w2);
      const ebadf = (e: unknown) => e instanceof OSError && e.code === "EBADF";
      assert.deepEqual(
        counted(() => {
          assert.throws(() => read(r2, 8), ebadf);
          assert.throws(() => write(w2, bytes(1)), ebadf);
        }),
        { read: 1, write: 1 },
      );
      close(r);
      assert.deepEqual(counted(() => assert.throws(() => write(w, bytes(1)), BrokenPipeError)), {
        write: 1,
      });
    }));

  it("a plain Uint8Array whose own length and byteLength lie is written from its real extent", () =>
    withPipe((r, w) => {
      const window = new Uint8Array(new Uint8Array([9, 9, 1, 2, 9, 9]).buffer, 2, 2);
      Object.defineProperty(window, "byteLength", { value: CLAIM });
      Object.defineProperty(window, "length", { value: CLAIM });
      assert.deepEqual(counted(() => assert.equal(write(w, window), 2)), { write: 1 });
      withTamperedPrototype(() => {
        assert.deepEqual(counted(() => assert.equal(write(w, window), 2)), { write: 1 });
      });
      assert.deepEqual([...read(r, 100)], [1, 2, 1, 2]);
    }));

  it("other views, empty data, 0 bytes and more than 64 KiB take the full path", () =>
    withPipe((r, w) => {
      assert.deepEqual(
        counted(() => {
          assert.equal(write(w, new DataView(bytes(5, 6).buffer)), 2);
          assert.equal(write(w, new Uint8Array(0)), 0);
          assert.equal(write(w, bytes(7).buffer), 1);
          assert.equal(read(r, 0).length, 0);
          assert.deepEqual([...read(r, 100_000)], [5, 6, 7]);
        }),
        { writeFallback: 3, readFallback: 2 },
      );
    }));
});

describe("os.read under EINTR: the full path retries (PEP 475)", {
  skip: process.platform === "linux" ? false : "finds the JS thread through /proc",
}, () => {
  const target = useSignalTarget(45);
  // SO_RCVTIMEO makes a blocking read of a socket fail with EINTR on a signal whatever
  // SA_RESTART says (signal(7)), so the fast path's call does come back interrupted.
  const READ: Premise = { waits: ["read"], counted: ["read"] };

  it("a signal before the data does not end a blocking read", async (t) => {
    if (!canSignal(target, t)) return;
    await leakFree(async () => {
      const [a, b] = socketpair();
      try {
        b.setsockopt(SOL_SOCKET, SO_RCVTIMEO, new Uint8Array(new BigInt64Array([30n, 0n]).buffer));
        const before = bytePaths.readFallback;
        const child = signaller(target.tid, {
          count: 1,
          then: "sleep 0.2; echo x",
          stdoutFd: a.fileno(),
        });
        const outcome = await interrupted(target, () => read(b.fileno(), 8), READ, child);
        assert.equal(new TextDecoder().decode(outcome.result as Uint8Array), "x\n");
        assert.ok(outcome.elapsed >= 300, `returned after ${outcome.elapsed} ms`);
        assert.ok(bytePaths.readFallback > before, "readFallback did not grow");
      } finally {
        a.close();
        b.close();
      }
    })();
  });
});
