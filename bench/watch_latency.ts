/**
 * Watcher wake-up latency, per readiness source, on whichever runtime runs this file:
 * another process (`c/wake_peer.c`, built with the system's C compiler) writes to a
 * Unix socket after 1 ms of idle time, and the time from that write to the watcher's
 * callback is recorded on CLOCK_MONOTONIC (`_wake_peer.ts`); p50 and p99 over many
 * events, with the watcher ref'd and unref'd. Each source the runtime can run is
 * forced in turn (`IOMUX_WATCH_SOURCE`), in alternating blocks so that the machine's
 * noise falls on all of them alike; the same program's C floor (one wake-up and two,
 * after the same idle time) runs in the same blocks.
 *
 * The figures are printed and written to `bench/watch_results.md` (this runtime's
 * section replaced, the others kept; `IOMUX_BENCH_RESULTS` names another file), with
 * the target for the runtime's fast source marked met or not. On Node, the runtime's
 * own floor runs in the same blocks too: a poll handle on Node's loop watching the
 * socket itself (`_wait/loop_wake.ts`, which iomux never points at a caller's fd),
 * whose callback from the poll phase is the whole of the event: the least any design
 * on Node's loop can cost.
 *
 * Run: `deno run --allow-ffi --allow-read --allow-write --allow-env --allow-sys --allow-run bench/watch_latency.ts`,
 * `bun bench/watch_latency.ts`, `node bench/watch_latency.ts` (Node 26 strips the
 * types). Node 20 runs it on the npm build (`deno task build:npm` first), from this
 * file with its types stripped and `IOMUX_BUILD` set to the absolute path of `npm/`.
 *
 * @module
 */
import {
  hubIdle,
  percentile,
  RESULTS,
  RESULTS_HEADER,
  runtimeLabel,
  type SourceName,
  SOURCES,
  sourcesHere,
  useSource,
  writeSection,
} from "./_watch_bench.ts";
import { GAP_US, type Listen, peerLatencies, wakeFloor } from "./_wake_peer.ts";
import { load } from "./_watch_bench.ts";

import { availableParallelism, loadavg } from "node:os";

const BLOCKS = 20;
const REF_EVENTS = 100; // per block
const UNREF_EVENTS = 15; // per block: the selector source's unref'd wait is a 10 ms timer

/** Write -> callback times (ms) of `events` events on a fresh hub with source `name`. */
async function latency(name: SourceName, ref: boolean, events: number): Promise<number[]> {
  await useSource(name);
  // Something must keep the process alive while only unref'd watchers exist: a far
  // timer, which wakes the loop for nothing meanwhile.
  const keepAlive = setTimeout(() => {}, 600_000);
  try {
    return await peerLatencies(events, ref);
  } finally {
    clearTimeout(keepAlive);
  }
}

type LoopWakeModule = typeof import("../_wait/loop_wake.ts");
const { loopWakeOpener } = await load<LoopWakeModule>("_wait/loop_wake");
const openWake = loopWakeOpener();
/** Node's loop straight on the socket: the runtime's floor (Node only). */
const onLoop: Listen | undefined = openWake &&
  ((sock, onReadable) => {
    const wake = openWake(sock.fileno(), onReadable);
    return () => wake.close();
  });

const label = runtimeLabel;
/** The median target of the runtime's fast source, µs. */
const target = label.startsWith("Deno") || label.endsWith("node:ffi") ? 15 : 25;

const [runnable, skipped] = await sourcesHere();
const refd = new Map<SourceName, number[]>(runnable.map((n) => [n, []]));
const unrefd = new Map<SourceName, number[]>(runnable.map((n) => [n, []]));
const floorOne: number[] = [];
const floorTwo: number[] = [];
const floorLoop: number[] = [];
for (let block = 0; block < BLOCKS; block++) {
  if (onLoop !== undefined) floorLoop.push(...await peerLatencies(REF_EVENTS, true, onLoop));
  for (const name of runnable) refd.get(name)!.push(...await latency(name, true, REF_EVENTS));
  for (const name of runnable) unrefd.get(name)!.push(...await latency(name, false, UNREF_EVENTS));
  const floor = wakeFloor(REF_EVENTS);
  floorOne.push(...floor.one);
  floorTwo.push(...floor.two);
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

const loopFloor =
  "Node's loop on the socket itself: a poll handle, its callback from the poll phase";
for (
  const [what, samples] of [
    ...(onLoop === undefined ? [] : [[loopFloor, floorLoop] as const]),
    ["C, 1 wake-up: the waiting thread in `poll(2)` on the socket", floorOne],
    ["C, 2 wake-ups: a helper thread in `poll(2)` wakes the waiting thread", floorTwo],
  ] as const
) {
  const sorted = samples.sort((x, y) => x - y);
  rows.push(
    `| ${what} | ${us(percentile(sorted, 0.5))} | ${us(percentile(sorted, 0.99))} | | | floor |`,
  );
}

const date = new Date().toISOString().slice(0, 10);
const body = [
  `${date}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; ` +
  `${BLOCKS} alternating blocks of ${REF_EVENTS} ref'd and ${UNREF_EVENTS} unref'd events ` +
  `per source, each written by another process after ${GAP_US / 1000} ms idle; µs from the ` +
  "write to the callback, on CLOCK_MONOTONIC. The C floor runs in the same blocks: " +
  "`uv` and `koffi` watch the fd from the runtime's own loop (1 wake-up), `worker` from " +
  "a thread of its own (2), `selector` from the shared waiting thread (2)." +
  (onLoop === undefined ? "" : " The loop row is Node's own floor for `uv` and `koffi`."),
  "",
  "| source | ref'd p50 | ref'd p99 | unref'd p50 | unref'd p99 | target |",
  "| ------ | --------: | --------: | ----------: | ----------: | ------ |",
  ...rows,
].join("\n");
console.log(`${label}\n\n${body}`);
writeSection(RESULTS, RESULTS_HEADER, `Latency: ${label}`, body);
