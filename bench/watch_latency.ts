/**
 * Watcher wake-up latency, per readiness source, on whichever runtime runs this file:
 * a timer writes one byte to a pipe, and the time from that write to the watcher's
 * callback is recorded; p50 and p99 over many events, with the watcher ref'd and
 * unref'd. Each source the runtime can run is forced in turn (`IOMUX_WATCH_SOURCE`),
 * in alternating blocks so that the machine's noise falls on all of them alike.
 *
 * The figures are printed and written to `bench/watch_results.md` (this runtime's
 * section replaced, the others kept; `IOMUX_BENCH_RESULTS` names another file), with
 * the target for the runtime's fast source marked met or not.
 *
 * Run: `deno run --allow-ffi --allow-read --allow-write --allow-env --allow-sys bench/watch_latency.ts`,
 * `bun bench/watch_latency.ts`, `node bench/watch_latency.ts` (Node 26 strips the
 * types). Node 20 runs it on the npm build (`deno task build:npm` first), from this
 * file with its types stripped and `IOMUX_BUILD` set to the absolute path of `npm/`.
 *
 * @module
 */
import {
  hubIdle,
  osModule,
  percentile,
  RESULTS,
  RESULTS_HEADER,
  runtimeLabel,
  type SourceName,
  SOURCES,
  sourcesHere,
  useSource,
  wakeLatencies,
  writeSection,
} from "./_watch_bench.ts";

import { availableParallelism, loadavg } from "node:os";

const { pipe, close, setBlocking } = osModule;

const BLOCKS = 20;
const REF_EVENTS = 100; // per block
const UNREF_EVENTS = 15; // per block: the selector source's unref'd wait is a 10 ms timer

/** Write -> callback times (ms) of `events` events on a fresh hub with source `name`. */
async function latency(name: SourceName, ref: boolean, events: number): Promise<number[]> {
  await useSource(name);
  const [r, w] = pipe();
  setBlocking(r, false);
  // Something must keep the process alive while only unref'd watchers exist.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    return await wakeLatencies(r, w, events, ref);
  } finally {
    clearInterval(keepAlive);
    close(r);
    close(w);
  }
}

const label = runtimeLabel;
/** The median target of the runtime's fast source, µs. */
const target = label.startsWith("Deno") || label.endsWith("node:ffi") ? 15 : 25;

const [runnable, skipped] = await sourcesHere();
const refd = new Map<SourceName, number[]>(runnable.map((n) => [n, []]));
const unrefd = new Map<SourceName, number[]>(runnable.map((n) => [n, []]));
for (let block = 0; block < BLOCKS; block++) {
  for (const name of runnable) refd.get(name)!.push(...await latency(name, true, REF_EVENTS));
  for (const name of runnable) unrefd.get(name)!.push(...await latency(name, false, UNREF_EVENTS));
}
await hubIdle();

const us = (ms: number) => (ms * 1000).toFixed(1);
const rows: string[] = [];
for (const name of SOURCES) {
  const why = skipped.get(name);
  if (why !== undefined) {
    rows.push(`| ${name} | n/a | n/a | n/a | n/a | ${why} |`);
    continue;
  }
  const a = refd.get(name)!.sort((x, y) => x - y);
  const b = unrefd.get(name)!.sort((x, y) => x - y);
  const p50 = percentile(a, 0.5) * 1000;
  const verdict = name === "selector"
    ? "portable baseline"
    : `${p50 <= target ? "met" : "not met"} (target ≤ ${target} µs median)`;
  rows.push(
    `| ${name} | ${us(percentile(a, 0.5))} | ${us(percentile(a, 0.99))} | ${
      us(percentile(b, 0.5))
    } | ${us(percentile(b, 0.99))} | ${verdict} |`,
  );
}

const date = new Date().toISOString().slice(0, 10);
const body = [
  `${date}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; ` +
  `${BLOCKS} alternating blocks of ${REF_EVENTS} ref'd and ${UNREF_EVENTS} unref'd events ` +
  "per source; µs from the write to the callback.",
  "",
  "| source | ref'd p50 | ref'd p99 | unref'd p50 | unref'd p99 | target |",
  "| ------ | --------: | --------: | ----------: | ----------: | ------ |",
  ...rows,
].join("\n");
console.log(`${label}\n\n${body}`);
writeSection(RESULTS, RESULTS_HEADER, `Latency: ${label}`, body);
