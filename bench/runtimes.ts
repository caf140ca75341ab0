/**
 * `DefaultSelector.select(0)` over 1,000 watched pipe fds with 5 ready, on every
 * runtime and FFI backend side by side: Deno, Node 20 (koffi), Node 26 (node:ffi,
 * and koffi with node:ffi turned off) and Bun. Each variant is one process running
 * bench/js/mux.mjs; rounds are interleaved so that machine noise hits all alike,
 * and the table gives each variant's median round.
 *
 * Usage: deno run -A bench/runtimes.ts [N=1000] [BUDGET_MS=600] [ROUNDS=3]
 *
 * @module
 */
import { prepareNpm, runtime } from "../scripts/test_npm.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const [n = "1000", budget = "600", rounds = "3"] = Deno.args;
const entry = new URL("../npm/mod.js", import.meta.url).href;

await prepareNpm();
const node26 = await runtime("node26");
const bun = await runtime("bun");
const deno = [Deno.execPath(), "run", "--allow-ffi", "--allow-read", "--allow-env"];

/** Label → command up to the script; the script gets the iomux entry to load. */
const variants: [string, string[], string | undefined][] = [
  ["Deno (Deno.dlopen)", deno, undefined],
  ["Node 20 (koffi)", ["node"], entry],
  ["Node 26 (node:ffi)", [node26, "--no-warnings"], entry],
  ["Node 26 (koffi)", [node26, "--no-warnings", "--no-experimental-ffi"], entry],
  ["Bun (bun:ffi)", [bun], entry],
];

const samples = new Map<string, number[]>(variants.map(([label]) => [label, []]));
for (let round = 0; round < Number(rounds); round++) {
  for (const [label, [cmd, ...prefix], module] of variants) {
    const args = [...prefix, "bench/js/mux.mjs", "bench", "selectors", n, budget];
    const { success, stdout, stderr } = await new Deno.Command(cmd!, {
      args: module ? [...args, module] : args,
      cwd: ROOT,
    }).output();
    const text = new TextDecoder().decode(success ? stdout : stderr).trim();
    if (!success) throw new Error(`${label}: ${text}`);
    samples.get(label)!.push(JSON.parse(text.split("\n").pop()!).ns);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const denoNs = median(samples.get(variants[0]![0])!);
console.log(`\nDefaultSelector.select(0), ${n} pipe fds, 5 ready; median of ${rounds} rounds\n`);
console.log("| runtime (FFI) | ns per call | vs Deno |\n| --- | ---: | ---: |");
for (const [label, xs] of samples) {
  const ns = median(xs);
  console.log(`| ${label} | ${ns.toFixed(0)} | ${(ns / denoNs).toFixed(2)}× |`);
}
