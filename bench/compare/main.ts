/**
 * `deno task bench:compare`: iomux against C, CPython, Node and Bun, side by side, in
 * one run. Builds the C programs in `c/` with the system compiler into a temporary
 * directory, runs every variant (`c/`, `python/`, `js/`; the runtimes come from
 * `_toolchain.ts`) once per round, rounds interleaved so that machine noise lands on
 * all of them alike, takes medians, and writes `bench/results.md` (`_report.ts`),
 * `bench/results.svg` (`_plot.ts`) and the part of README.md's "Performance" section
 * between its bench markers (`_readme.ts`).
 *
 * First and foremost, the in-process ratios to the C floor (`_floor.ts`): iomux and a C
 * loop of the same system call on the same fds, in one process, on thread CPU time.
 *
 * Options: `--floor-rounds=3` `--floor-budget=700` (ms per floor process)
 * `--rounds=7` `--budget=350` (ms per process) `--echo-rounds=7`
 * `--quick` (1 round, short budgets, small echo load: a smoke test)
 * `--no-write` (print only), `--out=DIR` (write the results to DIR, leave README alone).
 *
 * @module
 */
import { C_BASELINE, detect, ROOT, type Toolchain, tryOutput, variants } from "./_toolchain.ts";
import { type HeapResult, markdown, type Samples } from "./_report.ts";
import type { EchoResult } from "./_echo_report.ts";
import { plot } from "./_plot.ts";
import { readmeSummary, withSummary } from "./_readme.ts";
import {
  floorCommand,
  floorKey,
  floorRuntimes,
  type FloorSample,
  floorVariants,
} from "./_floor.ts";

const NS = [10, 1000, 10000] as const;

function option(name: string, fallback: number): number {
  const arg = Deno.args.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}
const quick = Deno.args.includes("--quick");
const rounds = option("rounds", quick ? 1 : 7);
const budgetMs = option("budget", quick ? 150 : 350);
const echoRounds = option("echo-rounds", quick ? 1 : 7);
const floorRoundCount = option("floor-rounds", quick ? 1 : 3);
const floorBudgetMs = option("floor-budget", quick ? 150 : 700);
const echoLoad = quick ? [10, 200, 64] : [50, 4000, 64];

const log = (line: string) => console.error(line);

interface Run {
  ok: boolean;
  stdout: string;
  stderr: string;
}

async function run(cmd: readonly string[]): Promise<Run> {
  try {
    const out = await new Deno.Command(cmd[0]!, { args: cmd.slice(1), cwd: ROOT }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
    return { ok: out.success, stdout: text(out.stdout), stderr: text(out.stderr) };
  } catch (e) {
    return { ok: false, stdout: "", stderr: (e as Error).message };
  }
}

function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.split("\n").filter((l) => l.startsWith("{")).pop()!);
}

async function buildC(t: Toolchain, dir: string): Promise<void> {
  for (const name of ["epoll_wait", "poll", "select", "echo_client", "echo_server"]) {
    const r = await run([
      t.cc!,
      "-O2",
      "-Wall",
      "-pthread",
      "-o",
      `${dir}/${name}`,
      `bench/compare/c/${name}.c`,
    ]);
    if (!r.ok) throw new Error(`building bench/compare/c/${name}.c failed:\n${r.stderr}`);
  }
  const r = await run([
    t.cc!,
    "-O2",
    "-Wall",
    "-shared",
    "-fPIC",
    "-o",
    `${dir}/libiomux_floor.so`,
    "bench/compare/c/floor.c",
  ]);
  if (!r.ok) throw new Error(`building bench/compare/c/floor.c failed:\n${r.stderr}`);
}

/** The in-process ratios: every floor variant once per round, rounds rotated. */
async function floorRounds(t: Toolchain, cBin: string): Promise<Map<string, FloorSample>> {
  const samples = new Map<string, FloorSample>();
  if (!t.cc) return samples;
  const all = floorVariants(floorRuntimes(t));
  for (let round = 0; round < floorRoundCount; round++) {
    for (const v of rotated(all, round * 5)) {
      const id = floorKey(v);
      const entry = samples.get(id) ?? { variant: v, ratios: [], ns: [], cNs: [] };
      samples.set(id, entry);
      if (entry.error) continue;
      const r = await run(floorCommand(v, `${cBin}/libiomux_floor.so`, floorBudgetMs));
      if (!r.ok) {
        const lines = r.stderr.split("\n").filter((l) => l.trim());
        entry.error = (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "failed").slice(0, 160);
        log(`  floor ${id}: FAILED (${entry.error}); skipped from now on`);
        continue;
      }
      const result = lastJson(r.stdout);
      entry.ratios.push(Number(result.ratio));
      entry.ns.push(Number(result.ns));
      entry.cNs.push(Number(result.c_ns));
      if (result.paths && Object.keys(result.paths).length > 0) {
        entry.paths = result.paths as Record<string, number>;
      }
      log(
        `  [${round + 1}/${floorRoundCount}] floor ${id.padEnd(28)} ${result.ratio}× C ` +
          `(${result.ns} ns, C ${result.c_ns} ns, ${result.ffi})`,
      );
    }
  }
  return samples;
}

/** Rotates `items` by `k`, so that no variant always runs first or last in a round. */
function rotated<T>(items: readonly T[], k: number): T[] {
  const at = items.length === 0 ? 0 : k % items.length;
  return [...items.slice(at), ...items.slice(0, at)];
}

async function microRounds(t: Toolchain, cBin: string): Promise<Samples> {
  const all = variants(t, NS, budgetMs, cBin);
  const samples: Samples = new Map();
  const failed = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    for (const v of rotated(all, round * 7)) {
      const key = `${v.id}@${v.n}`;
      if (failed.has(v.id)) continue;
      const r = await run(v.cmd);
      if (!r.ok) {
        failed.add(v.id);
        const lines = r.stderr.split("\n").filter((l) => l.trim());
        const reason = (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "failed").slice(0, 160);
        samples.set(key, { variant: v, ns: [], error: reason });
        log(`  ${v.id} N=${v.n}: FAILED (${reason}); skipped from now on`);
        continue;
      }
      const ns = Number(lastJson(r.stdout).ns);
      const entry = samples.get(key) ?? { variant: v, ns: [] };
      entry.ns.push(ns);
      samples.set(key, entry);
      log(`  [${round + 1}/${rounds}] ${v.id.padEnd(22)} N=${String(v.n).padEnd(5)} ${ns} ns`);
    }
  }
  for (const [key, s] of samples) if (failed.has(s.variant.id) && !s.error) samples.delete(key);
  return samples;
}

interface Server {
  name: string;
  label: string;
  cmd: string[];
}

function echoServers(t: Toolchain, cBin: string): Server[] {
  const deno = Deno.execPath();
  const servers: Server[] = [];
  if (t.cc) servers.push({ name: "c", label: "C epoll (reference)", cmd: [`${cBin}/echo_server`] });
  if (t.python) {
    servers.push({
      name: "python",
      label: "CPython selectors",
      cmd: [t.python, "bench/compare/python/echo_server.py"],
    });
  }
  servers.push({
    name: "deno.listen",
    label: "Deno.listen (Tokio)",
    cmd: [deno, "run", "--allow-net", "bench/compare/js/deno_listen_echo.ts"],
  });
  // Node's own sockets, on the newest Node found (the binary of its runtime prefix).
  const node = t.js.find((j) => j.name === "node") ?? t.js.find((j) => j.name === "node-koffi");
  const nodeBinary = node?.prefix.find((a) => a !== "env" && !a.includes("="));
  if (node && nodeBinary) {
    servers.push({
      name: "node.net",
      label: `Node ${node.label.match(/v[\d.]+/)?.[0] ?? ""} \`net\` (libuv)`,
      cmd: [nodeBinary, "bench/compare/js/node_net_echo.mjs"],
    });
  }
  const iomux = [deno, "run", "--allow-ffi", "--allow-read", "--allow-env"];
  servers.push(
    {
      name: "iomux",
      label: "iomux DefaultSelector.select() loop (Deno), `recv(65536)`",
      cmd: [...iomux, "bench/compare/js/iomux_echo_server.ts"],
    },
    {
      name: "iomux.recvInto",
      label: "iomux DefaultSelector.select() loop (Deno), `recvInto` one buffer",
      cmd: [...iomux, "bench/compare/js/iomux_echo_server.ts", "--recv-into"],
    },
  );
  try {
    Deno.statSync(`${ROOT}examples/selectors_echo_server.ts`);
    servers.push({
      name: "iomux.example",
      label: "examples/selectors_echo_server.ts (Deno, `await selectAsync()` loop)",
      cmd: [...iomux, "examples/selectors_echo_server.ts", "127.0.0.1", "0"],
    });
  } catch {
    // not there: the report lists what ran
  }
  return servers;
}

/**
 * Starts a server, reads the port it prints first, runs the load client, stops it.
 * Returns round trips per second and the server's CPU time per round trip in user mode
 * and in the kernel (µs, which the client reads from /proc around its timed phase,
 * after a warm-up).
 */
async function echoOnce(server: Server, cBin: string): Promise<[number, number, number]> {
  const child = new Deno.Command(server.cmd[0]!, {
    args: server.cmd.slice(1),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    // The first line names the port: "43565", or "echo server on 127.0.0.1:43565 …".
    const portIn = (line: string) => line.match(/^(\d+)\s*$|:(\d+)\b/);
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${server.name} exited before printing its port`);
      text += value;
    }
    clearTimeout(timer);
    reader.releaseLock();
    const found = portIn(text.split("\n")[0]!);
    if (!found) throw new Error(`${server.name} printed no port: ${text.split("\n")[0]}`);
    const port = found[1] ?? found[2]!;
    const r = await run([
      `${cBin}/echo_client`,
      port,
      ...echoLoad.map(String),
      String(child.pid),
    ]);
    if (!r.ok) throw new Error(`echo client against ${server.name}: ${r.stderr}`);
    const { rtt_per_s: rate, server_user_us_per_rtt: user, server_sys_us_per_rtt: sys } = lastJson(
      r.stdout,
    );
    return [Number(rate), Number(user ?? NaN), Number(sys ?? NaN)];
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
  }
}

async function echoRuns(t: Toolchain, cBin: string): Promise<EchoResult[]> {
  if (!t.cc) return [];
  const servers = echoServers(t, cBin);
  const results = servers.map((s) => ({
    name: s.name,
    label: s.label,
    rtt: [] as number[],
    userUs: [] as number[],
    sysUs: [] as number[],
  }));
  const errors = new Map<string, string>();
  for (let round = 0; round < echoRounds; round++) {
    for (const i of rotated(servers.map((_, i) => i), round)) {
      const server = servers[i]!;
      if (errors.has(server.name)) continue;
      try {
        const [rtt, userUs, sysUs] = await echoOnce(server, cBin);
        results[i]!.rtt.push(rtt);
        results[i]!.userUs.push(userUs);
        results[i]!.sysUs.push(sysUs);
        log(
          `  [${round + 1}/${echoRounds}] echo ${server.name.padEnd(15)} ${rtt} round trips/s, ` +
            `server CPU ${userUs} µs user + ${sysUs} µs system per round trip`,
        );
      } catch (e) {
        errors.set(server.name, (e as Error).message.slice(0, 160));
        log(`  echo ${server.name}: FAILED (${(e as Error).message})`);
      }
    }
  }
  return results.map((r) => ({ ...r, error: errors.get(r.name) }));
}

async function heap(): Promise<HeapResult | null> {
  const r = await run([
    Deno.execPath(),
    "run",
    "--allow-ffi",
    "--allow-read",
    "--allow-env",
    "--v8-flags=--expose-gc,--min-semi-space-size=64",
    "bench/compare/js/heap.ts",
    String(quick ? 100_000 : 1_000_000),
  ]);
  if (!r.ok) {
    log(`heap: FAILED ${r.stderr}`);
    return null;
  }
  return lastJson(r.stdout) as unknown as HeapResult;
}

async function machine(t: Toolchain): Promise<Record<string, string>> {
  const cpu = (await tryOutput(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]))
    ?.trim();
  return {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    os: `${Deno.build.os} ${Deno.build.arch}, kernel ${Deno.osRelease()}`,
    cpu: `${cpu ?? "?"} × ${navigator.hardwareConcurrency}`,
    load: Deno.loadavg().map((x) => x.toFixed(2)).join(" "),
    ...t.versions,
  };
}

const started = performance.now();
const cBin = await Deno.makeTempDir({ prefix: "iomux-bench-" });
try {
  const toolchain = await detect(cBin);
  for (const m of toolchain.missing) log(`skipping ${m}`);
  log(`runtimes: ${toolchain.js.map((j) => j.label).join(", ")}`);
  const env = await machine(toolchain);
  if (toolchain.cc) await buildC(toolchain, cBin);
  log(`against the C floor, in process: ${floorRoundCount} rounds, ${floorBudgetMs} ms each`);
  const floor = {
    samples: await floorRounds(toolchain, cBin),
    runtimes: floorRuntimes(toolchain),
    rounds: floorRoundCount,
  };
  log(`readiness calls: ${rounds} rounds, ${budgetMs} ms per process`);
  const samples = await microRounds(toolchain, cBin);
  log(`echo: ${echoRounds} rounds, ${echoLoad[0]} clients × ${echoLoad[1]} round trips`);
  const echo = await echoRuns(toolchain, cBin);
  log("heap: select() allocation");
  const heapResult = await heap();
  env.loadAfter = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  const seconds = Math.round((performance.now() - started) / 1000);
  const input = {
    env,
    toolchain,
    samples,
    floor,
    echo,
    echoLoad,
    heap: heapResult,
    rounds,
    budgetMs,
    seconds,
    baseline: C_BASELINE,
  };
  const report = markdown(input);
  console.log(report);
  const out = Deno.args.find((a) => a.startsWith("--out="))?.slice(6);
  if (Deno.args.includes("--no-write")) {
    console.log(`README part:\n\n${readmeSummary(input)}`);
  } else if (out) {
    // A trial run: results elsewhere, README untouched.
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeTextFile(`${out}/results.md`, report);
    await Deno.writeTextFile(`${out}/results.svg`, plot(samples, env));
    await Deno.writeTextFile(`${out}/README-part.md`, readmeSummary(input));
    log(`wrote ${out}/results.md, results.svg and README-part.md`);
  } else {
    await Deno.writeTextFile(`${ROOT}bench/results.md`, report);
    await Deno.writeTextFile(`${ROOT}bench/results.svg`, plot(samples, env));
    const readme = withSummary(await Deno.readTextFile(`${ROOT}README.md`), readmeSummary(input));
    if (readme !== null) await Deno.writeTextFile(`${ROOT}README.md`, readme);
    // `deno task test` checks formatting, and deno fmt pads Markdown tables and lays out SVG.
    const written = [
      "bench/results.md",
      "bench/results.svg",
      ...(readme !== null ? ["README.md"] : []),
    ];
    await run([Deno.execPath(), "fmt", "--quiet", ...written]);
    log(`wrote ${written.join(", ")}`);
  }
  log(`done in ${seconds} s`);
} finally {
  await Deno.remove(cBin, { recursive: true });
}
