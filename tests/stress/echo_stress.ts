// Stress: examples/selectors_echo_server.ts, run in this process, serves 1,000
// concurrent loopback connections driven by a child process (_echo_clients.ts):
// messages of random sizes from 1 B to 256 KiB, every echoed byte verified; clients
// that close mid-message, half-close and reset do not stop it serving the others.
// Bounded in time, it ends by itself; afterwards the server holds no connection and
// the process has the fds and threads it had before.
//
// Run with `deno task test:stress`. STRESS_CONNECTIONS, STRESS_ROUNDS (messages per
// connection), STRESS_WAVES (rounds of CONNECTIONS clients against the same server),
// STRESS_SEED and STRESS_DEADLINE (seconds per wave) change the defaults (1000, 10,
// 3, random, 300).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type EchoServer, startEchoServer } from "../../examples/selectors_echo_server.ts";
import { describeSnapshot, snapshot } from "../_kit/resources.ts";
import { openFds } from "../_kit/fds.ts";
import { waiterState } from "../../_wait/waiter.ts";

/** The open fds, the shared waiter's own left out. */
function serverFds(): number[] {
  const own = new Set(waiterState().ownFds);
  return openFds(1 << 14).filter((fd) => !own.has(fd));
}
import { eventually } from "../_kit/time.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CONNECTIONS = env("STRESS_CONNECTIONS", 1000);
const ROUNDS = env("STRESS_ROUNDS", 10);
const WAVES = env("STRESS_WAVES", 3);
const SEED = env("STRESS_SEED", Math.floor(Math.random() * 2 ** 31));
const DEADLINE_S = env("STRESS_DEADLINE", 300);
const CLIENTS = fileURLToPath(new URL("./_echo_clients.ts", import.meta.url));

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  if (!await eventually(condition, ms)) throw new Error(`timed out waiting for ${what}`);
}

/** The figures one wave of clients prints, plus how many the server held at once. */
interface WaveStats {
  connected: number;
  held: number;
  messages: number;
  bytesVerified: number;
  halfcloseBytesVerified: number;
  midclose: number;
  halfclose: number;
  reset: number;
  smallest: number;
  largest: number;
}

/** One wave: CONNECTIONS clients in a child process, all held at once, then their messages. */
async function runWave(server: EchoServer, seed: number, baseFds: number): Promise<WaveStats> {
  const child = spawn(process.execPath, [
    "run",
    "--allow-ffi",
    "--allow-env",
    "--allow-read",
    CLIENTS,
    server.host,
    String(server.port),
    String(CONNECTIONS),
    String(ROUNDS),
    String(seed),
    String(DEADLINE_S),
  ], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const killer = setTimeout(() => child.kill("SIGKILL"), (DEADLINE_S + 30) * 1000);
  try {
    await until(
      () => out.includes("connected") || child.exitCode !== null,
      DEADLINE_S * 1000,
      "connections",
    );
    // Every connection is open on the client side; the server must hold them all at once.
    await until(() => server.connections === CONNECTIONS, 30_000, "the server to accept all");
    const held = server.connections;
    const during = snapshot(1 << 14);
    console.log(`wave ${seed}: holding ${held} connections: ${describeSnapshot(during)}`);
    assert.ok(during.fds >= baseFds + CONNECTIONS, "the server does not hold the fds");
    child.stdin.write("go\n");
    const code = await exited;
    assert.equal(code, 0, `clients failed (seed ${seed})`);
    const line = out.trim().split("\n").at(-1)!;
    console.log(`wave ${seed}: ${line}`);
    const stats = { ...JSON.parse(line), held } as WaveStats;
    assert.equal(stats.connected, CONNECTIONS);
    assert.ok(stats.bytesVerified > 0 && stats.smallest === 1 && stats.largest === 256 * 1024);
    assert.ok(stats.midclose > 0 && stats.halfclose > 0 && stats.reset > 0);
    // Every client has gone: the server notices and drops them all, and serves on.
    await until(() => server.connections === 0, 30_000, "the server to drop every connection");
    return stats;
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

describe("echo server under stress", () => {
  it(`${WAVES} waves of ${CONNECTIONS} concurrent connections, random sizes, every byte verified`, async () => {
    const fdsBefore = serverFds();
    const before = snapshot(1 << 14);
    const server = startEchoServer({ port: 0 });
    console.log(`seed ${SEED}; before: ${describeSnapshot(before)}`);
    const totals = { connections: 0, held: 0, bytesVerified: 0, messages: 0, misbehaved: 0 };
    try {
      for (let wave = 0; wave < WAVES; wave++) {
        const stats = await runWave(server, SEED + wave, before.fds);
        totals.connections += stats.connected;
        totals.held = Math.max(totals.held, stats.held);
        totals.bytesVerified += stats.bytesVerified + stats.halfcloseBytesVerified;
        totals.messages += stats.messages;
        totals.misbehaved += stats.midclose + stats.halfclose + stats.reset;
      }
    } finally {
      server.close();
      await server.done;
    }
    console.log(`totals: ${JSON.stringify(totals)}`);
    // The shared waiting thread keeps its own fds (wake-up eventfd, epoll set) open for
    // the next wait: they are the waiter's, not the server's.
    const same = () => serverFds().join() === fdsBefore.join();
    await until(same, 5_000, "the fds to come back").catch(() => {});
    const after = snapshot(1 << 14);
    console.log(`after: ${describeSnapshot(after)}`);
    assert.deepEqual(serverFds(), fdsBefore, "fds leaked");
    if (!Number.isNaN(before.threads)) assert.ok(after.threads <= before.threads + 4);
  });
});
