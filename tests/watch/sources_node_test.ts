/**
 * The readiness sources woken by Node's own loop (`uv_poll_t` through `node:ffi`,
 * `koffi.node.poll`), each on its own, and the whole `tests/watch/` suite run again in
 * a child `node --test` with each source forced by `IOMUX_WATCH_SOURCE`. Where a
 * source cannot load (Deno, Bun, Node without node:ffi or koffi) its tests skip,
 * saying why.
 *
 * @module
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { runtimeName } from "../../ffi/_native.ts";
import { libc } from "../../ffi/libc.ts";
import { koffiNodePoll } from "../../ffi/_koffi.ts";
import { EVENT_READ, EVENT_WRITE } from "../../selectors/mod.ts";
import { getBlocking, read, write } from "../../os/mod.ts";
import type { LoopSource } from "../../watch/_source_loop.ts";
import { loopSources, loopWakes } from "../../watch/_source_loop.ts";
import { uvHandles } from "../../_wait/uv_wake.ts";
import { koffiSource, uvSource } from "../../watch/_source_loop.ts";
import type { Readiness } from "../../watch/_source.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { deferred } from "./_watch_kit.ts";

const ONE = new Uint8Array([1]);
const onNode = runtimeName() === "node";

/** Why each source cannot run here, or `false` where it can. */
const skips: Record<"uv" | "koffi", string | false> = {
  uv: !onNode
    ? "uv_poll_t lives on Node's loop"
    : libc().backend !== "node:ffi"
    ? "libc is bound through koffi here (IOMUX_FFI=node:ffi on Node 26 tests this one)"
    : false,
  koffi: !onNode
    ? "koffi.node.poll lives on Node's loop"
    : koffiNodePoll() === undefined
    ? "koffi (2.9+, with node.poll) is not installed"
    : false,
};

const OPEN: Record<"uv" | "koffi", () => LoopSource> = { uv: uvSource, koffi: koffiSource };

function immediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Two immediates: past the loop's close phase, where libuv lets a closed handle go. */
async function pastClosePhase(): Promise<void> {
  await immediate();
  await immediate();
}

function runSourceFixture(kind: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_source_fixture${ext}`, import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...process.execArgv, path, kind],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

for (const kind of ["uv", "koffi"] as const) {
  const skip = skips[kind];
  describe(`${kind} source`, { skip }, () => {
    it(
      "calls its listener from the loop, level-triggered, and closes everything",
      leakFree(async () => {
        await withPipe(async (r, w) => {
          const source = OPEN[kind]();
          try {
            assert.equal(source.canUnref, true);
            source.set(r, EVENT_READ);
            source.set(w, EVENT_WRITE);
            const heard: Readiness[][] = [];
            let next = deferred<void>();
            let inListen = true;
            source.listen((ready) => {
              assert.equal(inListen, false, "the listener runs from the loop, not from listen()");
              heard.push(ready);
              next.resolve();
            });
            inListen = false;
            await next.promise;
            assert.deepEqual(heard, [[[w, EVENT_WRITE]]]);
            source.set(w, 0);
            write(w, ONE);
            next = deferred<void>();
            await next.promise;
            assert.deepEqual(heard.at(-1), [[r, EVENT_READ]]);
            // Undrained, it is reported again on a later loop iteration.
            const calls = heard.length;
            next = deferred<void>();
            await next.promise;
            assert.deepEqual(heard.at(-1), [[r, EVENT_READ]]);
            assert.ok(heard.length > calls);
            // Drained, nothing more comes.
            read(r, 10);
            assert.deepEqual(source.ready(), []);
            await pastClosePhase();
            const drained = heard.length;
            await pastClosePhase();
            assert.equal(heard.length, drained);
          } finally {
            source.close();
          }
          assert.equal(loopSources(), 0);
        });
        await pastClosePhase();
        if (kind === "uv") assert.equal(uvHandles(), 0);
      }),
    );

    it("with one fd watched for one kind of event, a wake makes no select", async () => {
      await withPipe(async (r, w) => {
        const source = OPEN[kind]();
        try {
          source.set(r, EVENT_READ);
          type Wake = { ready: Readiness[]; inferred: number; asked: number };
          // The listener runs on every loop iteration while the fd stays ready: the
          // first call after each wake() is the one looked at.
          let armed: { before: typeof loopWakes; done: (wake: Wake) => void } | undefined;
          source.listen((ready) => {
            if (armed === undefined) return;
            const { before, done } = armed;
            armed = undefined;
            done({
              ready,
              inferred: loopWakes.inferred - before.inferred,
              asked: loopWakes.asked - before.asked,
            });
          });
          const wake = () => {
            const next = deferred<Wake>();
            armed = { before: { ...loopWakes }, done: next.resolve };
            return next.promise;
          };
          write(w, ONE);
          // The first wake after a change asks the selector.
          assert.deepEqual(await wake(), { ready: [[r, EVENT_READ]], inferred: 0, asked: 1 });
          // Undrained: the same fd, with no select.
          assert.deepEqual(await wake(), { ready: [[r, EVENT_READ]], inferred: 1, asked: 0 });
          // Both kinds of event: the selector says which.
          source.set(r, EVENT_READ | EVENT_WRITE);
          assert.deepEqual(await wake(), { ready: [[r, EVENT_READ]], inferred: 0, asked: 1 });
          assert.deepEqual(await wake(), { ready: [[r, EVENT_READ]], inferred: 0, asked: 1 });
          // A second fd: likewise.
          source.set(r, EVENT_READ);
          source.set(w, EVENT_WRITE);
          const both = await wake();
          assert.deepEqual(new Set(both.ready.map(([fd]) => fd)), new Set([r, w]));
          assert.deepEqual([both.inferred, both.asked], [0, 1]);
          read(r, 10);
        } finally {
          source.close();
        }
      });
    });

    it("closed from its own listener, it calls it no more", async () => {
      await withPipe(async (r, w) => {
        const source = OPEN[kind]();
        let calls = 0;
        try {
          source.set(r, EVENT_READ);
          const closed = deferred<void>();
          source.listen(() => {
            calls++;
            source.close();
            closed.resolve();
          });
          write(w, ONE);
          await closed.promise;
          // The fd stays readable: an open handle would call again on every iteration.
          await pastClosePhase();
          await pastClosePhase();
          assert.equal(calls, 1);
          assert.equal(loopSources(), 0);
        } finally {
          source.close();
        }
      });
      await pastClosePhase();
      if (kind === "uv") assert.equal(uvHandles(), 0);
    });

    it("reports its listener's error as uncaught within the same loop iteration", async () => {
      // In a child: here the test runner's own timers would run microtasks anyway.
      const { code, stdout, stderr } = await runSourceFixture(kind);
      assert.equal(code, 0, stderr);
      const { calls, reportedAt } = JSON.parse(stdout);
      assert.equal(calls, 6, "premise: the readable fd was reported on every iteration");
      assert.equal(reportedAt, 1, "reported before the loop's next iteration called again");
    });

    it("watches the selector's fd only: a watched fd keeps its blocking mode", async () => {
      await withPipe(async (r) => {
        assert.equal(getBlocking(r), true, "premise: a fresh pipe blocks");
        const source = OPEN[kind]();
        try {
          source.set(r, EVENT_READ);
          await pastClosePhase();
          assert.equal(getBlocking(r), true);
        } finally {
          source.close();
        }
      });
    });

    it("an fd closed right after it was watched is forgotten, as by the selector", async () => {
      const source = OPEN[kind]();
      try {
        await withPipe((r) => {
          source.set(r, EVENT_READ);
        });
        // libuv would abort here had it been given the closed fd itself.
        await pastClosePhase();
        assert.deepEqual(source.ready(), []);
      } finally {
        source.close();
      }
    });
  });
}

/**
 * A Worker with a watcher whose fd stays readable, terminated: Node tears the Worker
 * down running no JavaScript first, where a loop handle that fired would abort the
 * whole process, so a Worker's hub keeps the selector source.
 */
function watchInWorkerThenTerminate(): Promise<boolean> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const url = (path: string) => new URL(`${path}${ext}`, import.meta.url).href;
  const source = `
    const { watch, EVENT_READ } = await import(${JSON.stringify(url("../../watch/mod"))});
    const { hubState } = await import(${JSON.stringify(url("../../watch/_hub"))});
    const { pipe, write } = await import(${JSON.stringify(url("../../os/mod"))});
    const { parentPort } = await import("node:worker_threads");
    const [r, w] = pipe();
    write(w, new Uint8Array([1]));
    let calls = 0;
    watch(r, EVENT_READ, () => {
      if (++calls === 2) parentPort.postMessage(hubState().canUnref);
    });
  `;
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.IOMUX_WATCH_SOURCE;
  const worker = new Worker(source, { eval: true, env });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (canUnref: boolean) => {
      // The watcher keeps firing (its fd stays readable) while the Worker is torn down.
      void worker.terminate().then(() => resolve(canUnref), reject);
    });
  });
}

describe(
  "loop sources and Workers",
  { skip: onNode ? false : "node:worker_threads on Node" },
  () => {
    it("a Worker's watchers use the selector source, and terminating it is safe", async () => {
      assert.equal(await watchInWorkerThenTerminate(), false);
    });
  },
);

const WATCH_TESTS = ["events_test", "streams_test", "waker_test", "watch_test"];

function runForced(source: string): Promise<{ code: number; output: string }> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const files = WATCH_TESTS.map((name) =>
    fileURLToPath(new URL(`./${name}${ext}`, import.meta.url))
  );
  // The parent runner's NODE_TEST_CONTEXT would make the child report to it instead.
  const env: Record<string, string | undefined> = { ...process.env, IOMUX_WATCH_SOURCE: source };
  delete env.NODE_TEST_CONTEXT;
  const args = [...process.execArgv, "--test", "--test-reporter=tap", ...files];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 300_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe("tests/watch/ with the source forced", () => {
  // On Node the default is a loop source: the selector's run keeps it under test there.
  const forced = { ...skips, selector: onNode ? false : "the default source here" };
  for (const kind of ["selector", "uv", "koffi"] as const) {
    it(`IOMUX_WATCH_SOURCE=${kind}`, { skip: forced[kind] }, async () => {
      const { code, output } = await runForced(kind);
      assert.equal(code, 0, output);
      assert.match(output, /^# fail 0$/m);
      assert.doesNotMatch(output, /^# pass 0$/m, "premise: the suite ran");
    });
  }
});
