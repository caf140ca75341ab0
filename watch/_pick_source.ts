/**
 * Which {@linkcode ReadinessSource} the watchers' hub uses: the runtime's fastest
 * whose prerequisites load, else the portable {@linkcode SelectorSource}.
 * `IOMUX_WATCH_SOURCE` forces one (`selector`, `uv`, `koffi`, `worker`), for the
 * tests and the benches; it is read at each pick, so a benchmark compares sources in
 * one process. A forced source that cannot run here throws, saying why; never a
 * silent fallback.
 *
 * - Node with the `node:ffi` backend: `uv`, a `uv_poll_t` on Node's own loop through
 *   `node:ffi`; with the koffi backend: `koffi`, `koffi.node.poll` (both in
 *   `_wait/loop_wake.ts`). Both watch the hub's epoll/kqueue fd (`_source_loop.ts`).
 * - Deno: `worker`, a thread blocked in `poll(2)` that wakes the JS thread through
 *   `Atomics.notify` (`_source_worker.ts`). Its median write-to-callback time is the
 *   selector source's or lower (equal to 40 % lower on Deno, 35-50 % lower on Bun,
 *   across runs: `bench/watch_results.md`), its p99 shorter, and it keeps no thread of
 *   Deno's blocking pool. On Bun it is chosen only when forced
 *   (`IOMUX_WATCH_SOURCE=worker`): in one full run of the suite under Bun a watcher
 *   test's event never arrived with it, which no rerun reproduced; until that is
 *   understood Bun keeps the selector source.
 *
 * Each can unref its wait (an unref'd watcher's callback comes at once, not on the
 * selector source's 10 ms timer). All are for the main thread only: a terminated
 * Worker runs none of its code again, so a loop handle could fire into a torn-down
 * loop and a readiness thread started there could never be ended. Workers keep the
 * selector source.
 *
 * @module
 */
import { environmentVariable, isMainThread, runtimeName } from "../ffi/_native.ts";
import { libc } from "../ffi/libc.ts";
import { type ReadinessSource, SelectorSource } from "./_source.ts";
import { koffiSource, uvSource } from "./_source_loop.ts";
import { WorkerSource, workerSourceUnavailable } from "./_source_worker.ts";

/** The sources there are. */
export type SourceKind = "selector" | "uv" | "koffi" | "worker";

const OPENERS: Readonly<Record<SourceKind, () => ReadinessSource>> = {
  selector: () => new SelectorSource(),
  uv: uvSource,
  koffi: koffiSource,
  worker: () => new WorkerSource(),
};

/** The source forced by `IOMUX_WATCH_SOURCE`, if any; throws on an unknown name. */
export function forcedSource(): SourceKind | undefined {
  const name = environmentVariable("IOMUX_WATCH_SOURCE");
  if (name === undefined || name === "") return undefined;
  if (!Object.hasOwn(OPENERS, name)) {
    throw new Error(
      `iomux: unknown IOMUX_WATCH_SOURCE "${name}" (one of ${Object.keys(OPENERS).join(", ")})`,
    );
  }
  return name as SourceKind;
}

/** The runtime's own fast source: by libc's FFI backend on Node, the worker on Deno. */
function nativeSource(): SourceKind {
  if (!isMainThread() || "WorkerGlobalScope" in globalThis) return "selector";
  switch (libc().backend) {
    case "node:ffi":
      return "uv";
    case "koffi":
      return "koffi";
  }
  const runtime = runtimeName();
  if (runtime === "deno" && workerSourceUnavailable() === undefined) {
    return "worker";
  }
  return "selector";
}

let picked: SourceKind | undefined;

/**
 * The kind of source {@linkcode pickSource} gives: the forced one, else (after its
 * first call) the one it gave, else the runtime's own.
 */
export function sourceKind(): SourceKind {
  return forcedSource() ?? picked ?? nativeSource();
}

/** A new source for the hub. */
export function pickSource(): ReadinessSource {
  const forced = forcedSource();
  const kind = forced ?? picked ?? nativeSource();
  try {
    const source = OPENERS[kind]();
    picked = kind;
    return source;
  } catch (error) {
    if (forced !== undefined) throw error;
    // The fast source's prerequisites did not load (koffi without node.poll, no
    // thread could be started): the portable source still works.
    picked = "selector";
    return new SelectorSource();
  }
}
