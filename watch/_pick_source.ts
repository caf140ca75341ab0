/**
 * Which {@linkcode ReadinessSource} the watchers' hub uses: the runtime's fastest
 * whose prerequisites load, else the portable {@linkcode SelectorSource}.
 * `IOMUX_WATCH_SOURCE` forces one (`selector`, `uv`, `koffi`, `worker`), for the
 * tests and the benches; a forced source that cannot run here throws, saying why.
 *
 * - Deno and Bun: the worker source (`_source_worker.ts`), a thread blocked in
 *   `poll(2)` that wakes the JS thread through `Atomics.notify`. Its wait can be
 *   unref'd (an unref'd watcher's callback comes at once, not on a 10 ms timer), its
 *   p99 is shorter, and its median write-to-callback time is the selector source's
 *   or lower: equal to 40 % lower on Deno, 35-50 % lower on Bun, across runs
 *   (`bench/watch_results.md`). It keeps no thread of Deno's blocking pool.
 *   On the main thread only: inside a Worker the hub keeps the selector source, as
 *   a terminated Worker runs none of its code again, so a readiness thread started
 *   there (a Worker of its own, with an eventfd) could never be ended.
 *
 * @module
 */
import { builtinModule, environmentVariable, runtimeName } from "../ffi/_native.ts";
import { type ReadinessSource, SelectorSource } from "./_source.ts";
import { WorkerSource, workerSourceUnavailable } from "./_source_worker.ts";

/** The sources `IOMUX_WATCH_SOURCE` can name. */
const NAMES = ["selector", "uv", "koffi", "worker"] as const;

/** The hub's source: the forced one, else the runtime's fastest that can run here. */
export function pickSource(): ReadinessSource {
  const forced = environmentVariable("IOMUX_WATCH_SOURCE");
  switch (forced) {
    case undefined:
    case "":
      break;
    case "selector":
      return new SelectorSource();
    case "worker":
      return new WorkerSource();
    default:
      throw new Error(
        (NAMES as readonly string[]).includes(forced)
          ? `iomux: the ${forced} readiness source cannot run here`
          : `iomux: unknown IOMUX_WATCH_SOURCE "${forced}" (one of ${NAMES.join(", ")})`,
      );
  }
  const runtime = runtimeName();
  const mainThread =
    builtinModule<{ isMainThread: boolean }>("node:worker_threads")?.isMainThread !== false &&
    !("WorkerGlobalScope" in globalThis);
  if (
    (runtime === "deno" || runtime === "bun") && mainThread &&
    workerSourceUnavailable() === undefined
  ) {
    try {
      return new WorkerSource();
    } catch {
      // No thread could be started (a resource limit): the portable source still works.
    }
  }
  return new SelectorSource();
}
