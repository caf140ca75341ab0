// Workers with pending waits: terminate() resolves, their waiting threads do not stay
// parked, and meanwhile the main thread's file reads and own waits are not starved
// (koffi's async calls ran on libuv's four-thread pool, Deno's on its blocking pool).
// Real Workers (Deno Web Workers, node:worker_threads) in a child process with a time
// limit: a child that never exits fails the test rather than hanging it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { isLinux } from "../_kit/async.ts";
import { libc } from "../../ffi/libc.ts";
import { abi } from "../../ffi/abi.ts";
import { read, write } from "../../os/mod.ts";
import { EPOLLIN, POLLIN } from "../../select/mod.ts";
import { EVENT_READ } from "../../selectors/mod.ts";
import { Waker } from "../../watch/mod.ts";
import { closeQuietly, leakFree, withPipe } from "../_kit/fds.ts";
import { loopLeakFree } from "../_kit/loop.ts";
import { POSIX_FDS } from "../_kit/platform.ts";
import { sleep } from "../_kit/time.ts";
import { startWorker, type TestWorker, warmWorkers, workerUrl } from "../_kit/workers.ts";

function runFixture(...fixtureArgs: string[]): Promise<string> {
  const path = fileURLToPath(workerUrl("./_workers_fixture", import.meta.url));
  const args = "Deno" in globalThis ? ["run", "--allow-all", path] : [path];
  args.push(...fixtureArgs);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (error, out, err) => {
      if (error) reject(new Error(`${error.message}\n${err}`));
      else resolve(out);
    });
  });
}

/** What _workers_fixture reports when all went well. */
const TERMINATED_CLEANLY = {
  blockedDuring: 4,
  source: "read",
  ownWait: 1,
  terminated: "terminated",
  blockedAfter: 0,
};

describe("Workers with pending waits", () => {
  it("do not starve the main thread, terminate, and let the process exit", {
    skip: !isLinux,
  }, async () => {
    const seen = JSON.parse(await runFixture());
    // Premise: each Worker's wait was blocked in a call off its thread.
    assert.deepEqual(seen, TERMINATED_CLEANLY);
  });

  it("with watchers open and stream reads pending too", { skip: !isLinux }, async () => {
    const seen = JSON.parse(await runFixture("watch"));
    assert.deepEqual(seen, { ...TERMINATED_CLEANLY, ownWaitAfter: 1, watched: EVENT_READ });
  });
});

const ioWorker = workerUrl("./_workers_io_worker", import.meta.url);

/**
 * Waits for `worker`'s "ready", runs `body` with it, and always terminates it. Then
 * closes the fds of the Worker's own waiting thread (its epoll set and wake-up fd),
 * which stay open after terminate(): no runtime runs a terminated Worker's code
 * again, so nothing in it can close them; any other fd left open fails the test.
 */
async function withIoWorker(body: (worker: TestWorker) => Promise<void>): Promise<void> {
  const worker = startWorker(ioWorker);
  let waiterFds: number[] = [];
  try {
    assert.equal(await worker.next(), "ready");
    await body(worker);
    worker.post({ op: "waiter" });
    waiterFds = await worker.next() as number[];
  } finally {
    await worker.terminate();
    for (const fd of waiterFds) closeQuietly(fd);
  }
}

/** The leak checks (fds, timers, Workers) around `body`, once the runtime's own Worker fds are open. */
function workerLeakFree(body: () => Promise<void>): () => Promise<void> {
  const check = leakFree(loopLeakFree(body), { workerFds: true });
  return async () => {
    await warmWorkers(ioWorker);
    await check();
  };
}

/**
 * Asks the Worker for a wait of `kind` on `fd`, checks that it is pending (nothing
 * was readable, and no answer comes while nothing is written), then ends it with
 * `wake()` from this thread; returns what the Worker's wait returned.
 */
async function wokenInWorker(
  worker: TestWorker,
  kind: string,
  fd: number,
  wake: () => void,
): Promise<unknown> {
  worker.post({ op: "wait", kind, fd });
  assert.deepEqual(await worker.next(), { waiting: true, readyBefore: 0 }, kind);
  // Premise: the wait is pending (a blocked Worker cannot answer, an async wait has
  // nothing to answer with), so it is this thread's wake that ends it.
  await sleep(30);
  assert.equal(worker.queued, 0, `${kind} returned before the wake`);
  wake();
  const { result } = await worker.next() as { result: unknown };
  return result;
}

describe("iomux inside a Worker", { skip: POSIX_FDS }, () => {
  it(
    "keeps errno per thread: the Worker's EBADF and this thread's ENOENT each stay their own",
    workerLeakFree(async () => {
      const { EBADF, ENOENT } = abi.errno as Record<string, number>;
      await withIoWorker(async (worker) => {
        const c = libc();
        // This thread fails first (ENOENT), then the Worker (EBADF) before either reads.
        assert.equal(c.open(new TextEncoder().encode("/nonexistent/iomux\0"), 0, 0), -1);
        worker.post({ op: "fail" });
        assert.equal(await worker.next(), -1);
        assert.equal(c.errno(), ENOENT);
        // Now the other order: this thread fails with EBADF over the Worker's EBADF,
        // then with ENOENT again; the Worker still reads its own.
        assert.equal(c.open(new TextEncoder().encode("/nonexistent/iomux\0"), 0, 0), -1);
        worker.post({ op: "errno" });
        assert.deepEqual(await worker.next(), { errno: EBADF, code: "EBADF" });
        assert.equal(c.errno(), ENOENT);
      });
    }),
  );

  const kinds = [
    ["select", (fd: number) => [fd]],
    ["poll", (fd: number) => [[fd, POLLIN]]],
    ["epoll", (fd: number) => [[fd, EPOLLIN]]],
    ["selector", (fd: number) => [[fd, EVENT_READ]]],
    ["selectAsync", (fd: number) => [[fd, EVENT_READ]]],
    ["pollAsync", (fd: number) => [[fd, POLLIN]]],
    ["epollAsync", (fd: number) => [[fd, EPOLLIN]]],
    ["watch", () => EVENT_READ],
    ["readable", () => [7]],
  ] as const;

  it(
    "waits in the Worker (blocking and beside its event loop) end when this thread writes",
    workerLeakFree(async () => {
      await withIoWorker(async (worker) => {
        await withPipe(async (r, w) => {
          for (const [kind, expected] of kinds) {
            if (kind.startsWith("epoll") && !isLinux) continue;
            const result = await wokenInWorker(worker, kind, r, () => {
              write(w, new Uint8Array([7]));
            });
            assert.deepEqual(result, expected(r), kind);
            // The readable stream read the byte itself.
            if (kind !== "readable") assert.deepEqual(read(r, 10), new Uint8Array([7]));
          }
        });
      });
    }),
  );

  it(
    "a Waker's wake() from this thread ends a blocking select() in the Worker",
    workerLeakFree(async () => {
      using waker = new Waker();
      await withIoWorker(async (worker) => {
        const fd = waker.fileno();
        const expected = { select: [fd], selector: [[fd, EVENT_READ]] };
        for (const kind of ["select", "selector"] as const) {
          const result = await wokenInWorker(worker, kind, fd, () => waker.wake());
          assert.deepEqual(result, expected[kind], kind);
          assert.equal(waker.drain(), true, kind);
        }
      });
    }),
  );
});
