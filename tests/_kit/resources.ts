/**
 * What a process holds, measured for the leak, scale and stress tests: open fds
 * (probed with fcntl), threads and resident memory (from /proc/self/status, read
 * through iomux's own FFI `open`/`read` because Deno refuses /proc/self paths
 * without --allow-all), and the JS heap after a full garbage collection.
 *
 * @module
 */
import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";
import { close, O_RDONLY, open, read } from "../../os/mod.ts";
import { openFds } from "./fds.ts";

/** A measurement of the process. */
export interface Snapshot {
  /** Open fds (below `probeLimit`). */
  fds: number;
  /** Threads (`Threads:` of /proc/self/status), NaN where there is no /proc. */
  threads: number;
  /** JS heap in use after a full GC, bytes. */
  heap: number;
  /** Resident set size, bytes, NaN where there is no /proc. */
  rss: number;
}

let gcFunction: (() => void) | undefined;

/** A full garbage collection, however the runtime offers one (best effort). */
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
    if (typeof g.gc === "function") gcFunction = g.gc;
    else if (g.Bun) gcFunction = () => g.Bun!.gc(true);
    else {
      try {
        v8.setFlagsFromString("--expose-gc");
        gcFunction = vm.runInNewContext("gc") as () => void;
      } catch {
        gcFunction = () => {};
      }
    }
  }
  gcFunction();
  gcFunction();
}

/**
 * The text of a /proc file (at most 64 KiB), read through iomux's FFI `open`/`read`
 * (Deno refuses /proc/self paths without --allow-all), or `undefined` where it cannot
 * be opened.
 */
export function procText(path: string): string | undefined {
  let fd: number;
  try {
    fd = open(path, O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    return new TextDecoder().decode(read(fd, 1 << 16));
  } finally {
    close(fd);
  }
}

/** A field of /proc/self/status (the number before its unit), or NaN. */
export function procStatus(field: string): number {
  const text = procText("/proc/self/status");
  const match = text === undefined ? null : new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(text);
  return match ? Number(match[1]) : NaN;
}

/** Measures the process now (after a full GC). */
export function snapshot(probeLimit = 4096): Snapshot {
  collectGarbage();
  return {
    fds: openFds(probeLimit).length,
    threads: procStatus("Threads"),
    heap: process.memoryUsage().heapUsed,
    rss: procStatus("VmRSS") * 1024,
  };
}

/**
 * A {@linkcode snapshot} whose heap is the least of `rounds` readings, each after a
 * full GC and a turn of the event loop. Garbage that one collection leaves behind
 * (Node 20's `gc` through a fresh context sometimes keeps a ~4 MiB page for a turn,
 * and FinalizationRegistry cells are cleared only when their cleanup task runs) shows
 * as spikes in single readings; a real leak raises every reading.
 */
export async function settledSnapshot(rounds = 3, probeLimit = 4096): Promise<Snapshot> {
  let best = snapshot(probeLimit);
  for (let i = 1; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const next = snapshot(probeLimit);
    if (next.heap < best.heap) best = { ...next, fds: best.fds, threads: best.threads };
  }
  return best;
}

/** A snapshot as one line for a test's output. */
export function describeSnapshot(s: Snapshot): string {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `fds ${s.fds}, threads ${s.threads}, heap ${mb(s.heap)}, rss ${mb(s.rss)}`;
}
