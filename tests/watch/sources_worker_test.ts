// The worker-thread readiness source (watch/_source_worker.ts) on its own: waits,
// aborts, ref/unref, and the thread's life across sources. The whole tests/watch/
// suite runs on it too with IOMUX_WATCH_SOURCE=worker (and is its default on Deno).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { EVENT_READ, EVENT_WRITE } from "../../selectors/mod.ts";
import { read, write } from "../../os/mod.ts";
import {
  readinessThreadsStarted,
  WorkerSource,
  workerSourceUnavailable,
} from "../../watch/_source_worker.ts";
import { pickSource } from "../../watch/_pick_source.ts";
import { runtimeName } from "../../ffi/_native.ts";
import { procStatus } from "../_kit/resources.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { eventually } from "../_kit/time.ts";

const ONE = new Uint8Array([1]);
const unavailable = workerSourceUnavailable();
// Node's backends (node:ffi, koffi) bind no calls on a worker; its fast sources are
// libuv's own (_wait/uv_wake.ts, _wait/koffi_wake.ts).
const skip = unavailable === undefined
  ? false
  : `the worker source cannot run here: ${unavailable}`;

/** Runs `body` with a fresh source, closed afterwards whatever happens. */
async function withSource(body: (source: WorkerSource) => Promise<void>): Promise<void> {
  const source = new WorkerSource();
  try {
    await body(source);
  } finally {
    source.close();
  }
}

function runFixture(env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`./_watch_fixture${ext}`, import.meta.url));
  const args = "Deno" in globalThis ? ["run", "--allow-ffi", "--allow-env", path] : [path];
  return new Promise((resolve) => {
    execFile(process.execPath, [...args, "unref"], {
      timeout: 60_000,
      env: { ...process.env, ...env },
    }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout: stdout + stderr });
    });
  });
}

describe("the worker readiness source", { skip }, () => {
  it("is the hub's source on Deno unless another is forced (on Bun only when forced)", () => {
    const forced = process.env.IOMUX_WATCH_SOURCE;
    const source = pickSource();
    try {
      const runtime = runtimeName();
      if (forced === "worker" || (!forced && runtime === "deno")) {
        assert.ok(source instanceof WorkerSource);
      } else assert.ok(!(source instanceof WorkerSource));
    } finally {
      source.close();
    }
  });

  it("waits off the thread for readiness and reports it level-triggered", async () => {
    await withPipe(async (r, w) => {
      await withSource(async (source) => {
        assert.equal(source.canUnref, true);
        source.set(r, EVENT_READ);
        source.set(w, EVENT_WRITE);
        assert.deepEqual(await source.wait(new AbortController().signal), [[w, EVENT_WRITE]]);
        source.set(w, 0);
        const pending = source.wait(new AbortController().signal);
        write(w, ONE);
        assert.deepEqual(await pending, [[r, EVENT_READ]]);
        // Not drained: reported again, from the JS thread's own check.
        assert.deepEqual(await source.wait(new AbortController().signal), [[r, EVENT_READ]]);
        read(r, 1);
        assert.deepEqual(source.ready(), []);
      });
    });
  });

  it("an abort ends the wait at once; the next wait still waits for readiness", async () => {
    await withPipe(async (r, w) => {
      await withSource(async (source) => {
        source.set(r, EVENT_READ);
        for (let i = 0; i < 20; i++) {
          const controller = new AbortController();
          const aborted = source.wait(controller.signal);
          controller.abort(new Error(`abort ${i}`));
          await assert.rejects(aborted, { message: `abort ${i}` });
        }
        // The aborted rounds are waited out and their wake-up drained: this wait ends
        // with the write only.
        const pending = source.wait(new AbortController().signal);
        let settled = false;
        void pending.finally(() => settled = true);
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(settled, false, "a wait ended with nothing ready");
        write(w, ONE);
        assert.deepEqual(await pending, [[r, EVENT_READ]]);
      });
    });
  });

  it("keeps one thread for every source, idle between them, and leaks no fd", async () => {
    // The first source starts the thread (and its runtime's own fds): not a leak.
    await withSource(async (source) => {
      await withPipe(async (r, w) => {
        source.set(r, EVENT_READ);
        write(w, ONE);
        await source.wait(new AbortController().signal);
      });
    });
    const threads = procStatus("Threads");
    const started = readinessThreadsStarted();
    await leakFree(async () => {
      for (let i = 0; i < 30; i++) {
        await withPipe(async (r, w) => {
          await withSource(async (source) => {
            source.set(r, EVENT_READ);
            const pending = source.wait(new AbortController().signal);
            write(w, ONE);
            assert.deepEqual(await pending, [[r, EVENT_READ]]);
            // Closed with a round pending: the thread is woken and kept.
            void source.wait(new AbortController().signal).catch(() => {});
          });
        });
      }
    })();
    assert.equal(readinessThreadsStarted(), started, "every source reused the idle thread");
    if (!Number.isNaN(threads)) {
      // A thread per source would add 30; the runtime may start one or two of its own
      // (Bun's heap helpers start lazily).
      assert.ok(
        await eventually(() => procStatus("Threads") <= threads + 2),
        `threads ${threads} -> ${procStatus("Threads")}`,
      );
    }
  });

  it("a closed source's pending round ends though its fd number is reused", async () => {
    const source = new WorkerSource();
    const selectorFd = (source as unknown as { selector: { readinessFd(): number } }).selector
      .readinessFd();
    await withPipe(async (r) => {
      source.set(r, EVENT_READ);
      void source.wait(new AbortController().signal).catch(() => {});
      source.close();
      // The epoll fd's number now names a pipe nobody writes; a round still polling
      // it would block the thread, and the next source's waits, for good.
      await withPipe(async (r2, w2) => {
        assert.equal(r2, selectorFd, "premise: the selector's fd number is reused");
        await withSource(async (next) => {
          next.set(r2, EVENT_READ);
          const got = next.wait(new AbortController().signal);
          write(w2, ONE);
          assert.deepEqual(await got, [[r2, EVENT_READ]]);
        });
      });
    });
  });

  it("unref'd, it still delivers while something else keeps the process alive", async () => {
    await withPipe(async (r, w) => {
      await withSource(async (source) => {
        source.setRef(false);
        source.set(r, EVENT_READ);
        const keepAlive = setTimeout(() => {}, 60_000);
        try {
          const pending = source.wait(new AbortController().signal);
          write(w, ONE);
          assert.deepEqual(await pending, [[r, EVENT_READ]]);
        } finally {
          clearTimeout(keepAlive);
        }
        source.setRef(true);
      });
    });
  });

  it("lets a process exit with its unref'd wait pending in poll(2)", async () => {
    const { code, stdout } = await runFixture({ IOMUX_WATCH_SOURCE: "worker" });
    assert.deepEqual([code, stdout], [0, ""]);
  });
});
