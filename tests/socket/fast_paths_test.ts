/**
 * The one-call fast paths of `Socket.recv`, `recvInto`, `send` and `sendAll` are
 * taken where they should be (a plain `Uint8Array`, no flags, no timeout) and hand
 * over to the full path everywhere else, with CPython's answers and errors either
 * way: counted through `bytePaths` (os/_fd.ts), never timed. Each case checks the
 * answer too, so that a fast path that answers wrongly fails here as well.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import process from "node:process";
import { BlockingIOError, BrokenPipeError, OSError, TimeoutError } from "../../errors.ts";
import { bytePaths } from "../../os/_fd.ts";
import {
  AF_UNIX,
  MSG_DONTWAIT,
  MSG_PEEK,
  SO_RCVTIMEO,
  SOCK_DGRAM,
  SOCK_STREAM,
  type Socket,
  socketpair,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { counted as countedIn } from "../_kit/counters.ts";
import { leakFree } from "../_kit/fds.ts";
import { canSignal, interrupted, signaller, useSignalTarget } from "../_kit/eintr.ts";
import type { Premise } from "../_kit/eintr_evidence.ts";
import { CLAIM, withTamperedPrototype } from "../_kit/lying_views.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";

/** What \`body\` added to each counter. */
const counted = (body: () => void) => countedIn(bytePaths, body);

/** Runs `body` on a fresh AF_UNIX socketpair of `type`, leak-checked. */
function withPair(
  body: (a: Socket, b: Socket) => void | Promise<void>,
  type: number = SOCK_STREAM,
): () => Promise<void> {
  return leakFree(async () => {
    const [a, b] = socketpair(AF_UNIX, type);
    try {
      await body(a, b);
    } finally {
      a.close();
      b.close();
    }
  });
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const ping = () => new TextEncoder().encode("ping");

describe("socket fast paths: one call for the common case", { skip: POSIX_HARNESS }, () => {
  it(
    "send, sendAll, recvInto and recv with a plain Uint8Array, no flags, no timeout",
    withPair((a, b) => {
      const buffer = new Uint8Array(64);
      assert.deepEqual(
        counted(() => {
          assert.equal(a.send(ping()), 4);
          assert.equal(b.recvInto(buffer), 4);
          assert.equal(text(buffer.subarray(0, 4)), "ping");
          a.sendAll(ping());
          assert.equal(text(b.recv(1024)), "ping");
        }),
        { send: 1, recvInto: 1, sendAll: 1, recv: 1 },
      );
      // Non-blocking mode (timeout 0) is the common case too.
      b.setBlocking(false);
      a.setBlocking(false);
      assert.deepEqual(
        counted(() => {
          a.send(ping());
          assert.equal(b.recvInto(buffer), 4);
        }),
        { send: 1, recvInto: 1 },
      );
    }),
  );

  it(
    "errors come from the one call: BlockingIOError, end of stream, BrokenPipeError, EBADF",
    withPair((a, b) => {
      b.setBlocking(false);
      const buffer = new Uint8Array(8);
      assert.deepEqual(
        counted(() => {
          assert.throws(() => b.recvInto(buffer), BlockingIOError);
          assert.throws(() => b.recv(8), BlockingIOError);
        }),
        { recvInto: 1, recv: 1 },
      );
      a.shutdown(1);
      assert.deepEqual(counted(() => assert.equal(b.recvInto(buffer), 0)), { recvInto: 1 });
      // A closed peer: EPIPE as CPython raises it, and no SIGPIPE ends the process.
      b.close();
      assert.deepEqual(
        counted(() => {
          assert.throws(() => a.send(ping()), BrokenPipeError);
          assert.throws(() => a.sendAll(ping()), BrokenPipeError);
        }),
        { send: 1, sendAll: 1 },
      );
      a.close();
      const ebadf = (e: unknown) => e instanceof OSError && e.code === "EBADF";
      assert.deepEqual(
        counted(() => {
          assert.throws(() => a.recvInto(buffer), ebadf);
          assert.throws(() => a.recv(8), ebadf);
          assert.throws(() => a.send(ping()), ebadf);
        }),
        { recvInto: 1, recv: 1, send: 1 },
      );
    }),
  );

  it(
    "a plain Uint8Array whose own length and byteLength lie is sized from its real extent",
    withPair((a, b) => {
      const arena = new Uint8Array(64).fill(0xaa);
      const window = new Uint8Array(arena.buffer, 8, 4);
      Object.defineProperty(window, "length", { value: CLAIM });
      Object.defineProperty(window, "byteLength", { value: CLAIM });
      a.sendAll(new Uint8Array(16).fill(0x55));
      assert.deepEqual(counted(() => assert.equal(b.recvInto(window), 4)), { recvInto: 1 });
      assert.deepEqual([...arena.subarray(0, 8)], new Array(8).fill(0xaa));
      assert.deepEqual([...arena.subarray(8, 12)], [0x55, 0x55, 0x55, 0x55]);
      assert.deepEqual([...arena.subarray(12)], new Array(52).fill(0xaa));
      withTamperedPrototype(() => {
        assert.deepEqual(counted(() => assert.equal(a.send(window), 4)), { send: 1 });
        assert.deepEqual(counted(() => assert.equal(b.recvInto(window), 4)), { recvInto: 1 });
      });
      // What is left: 8 of the first 16 bytes, and the 4 just sent.
      assert.equal(b.recv(64).length, 12);
    }),
  );

  it(
    "a datagram socket's zero-length datagram is consumed (recv, never read)",
    withPair((a, b) => {
      const buffer = new Uint8Array(8);
      assert.equal(a.send(new Uint8Array([1, 2])), 2);
      assert.equal(a.sendAll(new Uint8Array(0)), undefined);
      assert.equal(a.send(new Uint8Array([3])), 1);
      assert.deepEqual(
        counted(() => {
          assert.equal(b.recvInto(buffer), 2);
          assert.equal(b.recv(8).length, 0);
          assert.deepEqual([...b.recv(8)], [3]);
        }),
        { recvInto: 1, recv: 2 },
      );
    }, SOCK_DGRAM),
  );
});

describe("the runtime ignores SIGPIPE from the start, as CPython does", {
  skip: process.platform === "linux" ? false : "reads /proc/self/status",
}, () => {
  // Modules/signalmodule.c signal_install_handlers sets SIG_IGN for SIGPIPE; every
  // runtime does the same, which lets node:ffi send with write(2) (ffi/libc.ts).
  it("SIGPIPE is in this process's ignored set", () => {
    // Read by a child: Deno grants this process's own /proc entry to --allow-all only.
    const status = execFileSync("cat", [`/proc/${process.pid}/status`], { encoding: "utf8" });
    const line = status.split("\n").find((l) => l.startsWith("SigIgn:"));
    assert.ok(line, "no SigIgn line in /proc/<pid>/status");
    const ignored = BigInt(`0x${line.split(/\s+/)[1]}`);
    assert.equal((ignored >> 12n) & 1n, 1n, `${line}: SIGPIPE (13) is not ignored`);
  });
});

describe("socket fast paths: everything else takes the full path", { skip: POSIX_HARNESS }, () => {
  it(
    "flags, nbytes, other views and empty buffers",
    withPair((a, b) => {
      const buffer = new Uint8Array(16);
      assert.deepEqual(
        counted(() => {
          a.sendAll(ping(), 0);
          assert.equal(a.send(new DataView(ping().buffer)), 4);
          assert.equal(a.send(ping(), MSG_DONTWAIT), 4);
          assert.equal(b.recvInto(buffer, 0, MSG_PEEK), 12);
          assert.equal(b.recvInto(buffer, 4), 4);
          assert.equal(b.recvInto(new Int8Array(buffer.buffer, 0, 4)), 4);
          assert.equal(text(b.recv(4, MSG_PEEK)), "ping");
          assert.equal(b.recvInto(new Uint8Array(0)), 0);
          assert.equal(text(b.recv(100_000)), "ping");
        }),
        {
          sendAll: 1,
          sendFallback: 2,
          recvIntoFallback: 4,
          recvFallback: 2,
        },
      );
      assert.deepEqual(counted(() => assert.equal(a.send(new Uint8Array(0)), 0)), {
        sendFallback: 1,
      });
    }),
  );

  it(
    "a timeout waits first (poll), then the call; TimeoutError when nothing comes",
    withPair((a, b) => {
      a.settimeout(5);
      b.settimeout(0.05);
      const buffer = new Uint8Array(8);
      assert.deepEqual(
        counted(() => {
          assert.throws(() => b.recvInto(buffer), new TimeoutError("timed out"));
          assert.throws(() => b.recv(8), new TimeoutError("timed out"));
          assert.equal(a.send(ping()), 4);
          a.sendAll(ping());
          assert.equal(b.recvInto(buffer), 8);
        }),
        { recvIntoFallback: 2, recvFallback: 1, sendFallback: 1, sendAllFallback: 1 },
      );
    }),
  );

  it(
    "sendAll: a partial first send goes on in the full loop (BlockingIOError when non-blocking)",
    withPair((a) => {
      a.setBlocking(false);
      const big = new Uint8Array(8 * 1024 * 1024);
      assert.deepEqual(
        counted(() => assert.throws(() => a.sendAll(big), BlockingIOError)),
        { sendAllFallback: 1 },
      );
    }),
  );
});

describe("socket fast paths under EINTR: the full path retries (PEP 475)", {
  skip: process.platform === "linux" ? false : "finds the JS thread through /proc",
}, () => {
  const target = useSignalTarget(44);
  // SO_RCVTIMEO makes a blocking recv fail with EINTR on a signal whatever SA_RESTART
  // says (signal(7)), so the fast path's call does come back interrupted.
  const RECV: Premise = { waits: ["recv", "read"], counted: ["recv", "read"] };

  for (
    const [name, call, counter] of [
      ["recvInto", (s: Socket) => s.recvInto(new Uint8Array(8)), "recvIntoFallback"],
      ["recv", (s: Socket) => s.recv(8).length, "recvFallback"],
    ] as const
  ) {
    it(
      `${name}: a signal before the data does not end a blocking receive`,
      async (t) => {
        if (!canSignal(target, t)) return;
        await withPair(async (a, b) => {
          const timeval = new BigInt64Array([30n, 0n]);
          b.setsockopt(SOL_SOCKET, SO_RCVTIMEO, new Uint8Array(timeval.buffer));
          const before = bytePaths[counter];
          const child = signaller(target.tid, {
            count: 1,
            then: "sleep 0.2; echo x",
            stdoutFd: a.fileno(),
          });
          const outcome = await interrupted(target, () => call(b), RECV, child);
          assert.equal(outcome.result, 2);
          assert.ok(outcome.elapsed >= 300, `returned after ${outcome.elapsed} ms`);
          assert.ok(bytePaths[counter] > before, `${counter} did not grow`);
        })();
      },
    );
  }
});
