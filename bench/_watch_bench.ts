/**
 * What the watcher benches (`watch_latency.ts`, `watch_scale.ts`) share: iomux loaded
 * from the sources or from the npm build (`IOMUX_BUILD`), the readiness sources and
 * how to force one, the runtime's label, and their markdown report,
 * `bench/watch_results.md`: one section per bench, runtime and FFI backend, each run
 * replacing its own section and keeping the others.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

type WatchModule = typeof import("../watch/mod.ts");
type OsModule = typeof import("../os/mod.ts");
type HubModule = typeof import("../watch/_hub.ts");
type LibcModule = typeof import("../ffi/libc.ts");

const base = process.env.IOMUX_BUILD ?? "..";
const ext = base === ".." ? "ts" : "js";
/** Imports iomux's module `path` (`watch/mod`) from the sources or from the build. */
export function load<T>(path: string): Promise<T> {
  return import(`${base}/${path}.${ext}`);
}
/** `watch/mod.ts` of the sources or of the build. */
export const watchModule: WatchModule = await load("watch/mod");
/** `os/mod.ts` of the sources or of the build. */
export const osModule: OsModule = await load("os/mod");
const { hubState }: HubModule = await load("watch/_hub");
const { libc }: LibcModule = await load("ffi/libc");

/** The readiness sources `IOMUX_WATCH_SOURCE` names. */
export const SOURCES = ["selector", "worker", "uv", "koffi"] as const;
/** One of {@linkcode SOURCES}. */
export type SourceName = typeof SOURCES[number];

/** The value at fraction `p` of sorted `values`. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Resolves once the hub has no watcher left and has closed its source. */
export async function hubIdle(): Promise<void> {
  while (hubState().running || hubState().fds > 0) await new Promise((r) => setTimeout(r, 1));
}

/** Forces source `name` for the hub's next source (it picks one when it starts). */
export async function useSource(name: SourceName): Promise<void> {
  await hubIdle();
  if ("Deno" in globalThis) Deno.env.set("IOMUX_WATCH_SOURCE", name);
  else process.env.IOMUX_WATCH_SOURCE = name;
}

/** The sources that run here, and why each other one does not. */
export async function sourcesHere(): Promise<[SourceName[], Map<SourceName, string>]> {
  const { watch, EVENT_READ } = watchModule;
  const runnable: SourceName[] = [];
  const skipped = new Map<SourceName, string>();
  for (const name of SOURCES) {
    await useSource(name);
    const [r, w] = osModule.pipe();
    try {
      watch(r, EVENT_READ, () => {}).close();
      runnable.push(name);
    } catch (error) {
      skipped.set(name, (error as Error).message.replace(/^iomux: /, ""));
    } finally {
      osModule.close(r);
      osModule.close(w);
    }
  }
  await hubIdle();
  return [runnable, skipped];
}

const byte = new Uint8Array([1]);

/**
 * Write -> callback times (ms) of `events` events on the non-blocking read end `r` of a
 * pipe: a timer of this thread writes one byte to `w`, the watcher's callback reads
 * it. The cost of a round on this thread (for the scale bench); the wake-up from
 * outside is `_wake_peer.ts`'s.
 */
export async function wakeLatencies(
  r: number,
  w: number,
  events: number,
  ref: boolean,
): Promise<number[]> {
  const { watch, EVENT_READ } = watchModule;
  const samples: number[] = [];
  let writtenAt = 0;
  let next: () => void = () => {};
  const watcher = watch(r, EVENT_READ, () => {
    samples.push(performance.now() - writtenAt);
    osModule.read(r, 16);
    next();
  }, { ref });
  try {
    for (let i = 0; i < events; i++) {
      await new Promise<void>((resolve) => {
        next = resolve;
        setTimeout(() => {
          writtenAt = performance.now();
          osModule.write(w, byte);
        }, 0);
      });
    }
  } finally {
    watcher.close();
  }
  return samples;
}

/** The runtime, its version and the FFI backend: `Deno 2.9.6, deno`. */
export const runtimeLabel: string = `${
  "Deno" in globalThis
    ? `Deno ${Deno.version.deno}`
    : "Bun" in globalThis
    ? `Bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
    : `Node ${process.versions.node}`
}, ${libc().backend}`;

/** Where the report goes: `bench/watch_results.md`, or the file `IOMUX_BENCH_RESULTS` names. */
export const RESULTS: string = process.env.IOMUX_BENCH_RESULTS ??
  fileURLToPath(new URL("./watch_results.md", import.meta.url));

/** The report's opening, written when the file does not exist yet. */
export const RESULTS_HEADER = `# Watcher latency and scale

Written by \`bench/watch_latency.ts\` and \`bench/watch_scale.ts\`, one section per bench,
runtime and FFI backend (each run replaces its own). Each readiness source the runtime
can run is forced in turn (\`IOMUX_WATCH_SOURCE\`). The selector source is the portable
one (its unref'd wait is a 10 ms poll timer); the others are each runtime's fast source.
Compare rows within a section, measured side by side; the C rows are the floor of the same
event on the same machine.

`;

/**
 * Replaces the section headed `## ${title}` of the markdown file at `path` with
 * `body` (or appends it), writing `header` first when the file does not exist yet.
 */
export function writeSection(path: string, header: string, title: string, body: string): void {
  let text = header;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    // first run: the header only
  }
  const kept = text.split(/^(?=## )/m)
    .filter((s) => !s.startsWith(`## ${title}\n`))
    .map((s) => s.replace(/\n*$/, "\n\n"));
  writeFileSync(path, [...kept, `## ${title}\n\n${body}`].join("").replace(/\n*$/, "\n"));
}
