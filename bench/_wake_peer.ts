/**
 * The watcher latency bench's other end: `bench/c/wake_peer.c`, built with the
 * system's C compiler, run as a separate process that writes a CLOCK_MONOTONIC stamp
 * to a Unix socket after an idle gap, one event at a time. The watcher's callback
 * reads the same clock (`clock_gettime` through iomux's FFI backend) and the stamp:
 * the difference is the whole wake-up, from the write in another process to the
 * callback, with the JS thread and any thread of iomux's idle before it, as for a
 * device or a peer that writes when it likes.
 *
 * The same program measures the floor in C (`wakeFloor`): one wake-up (the waiting
 * thread blocked in `poll(2)` on the socket) and two (a helper thread in `poll(2)`
 * that wakes the waiting thread), after the same gap.
 *
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { load, watchModule } from "./_watch_bench.ts";

type SocketModule = typeof import("../socket/mod.ts");
type LibcModule = typeof import("../ffi/libc.ts");

const { Socket, AF_UNIX, SOCK_STREAM, OSError } = await load<SocketModule>("socket/mod");
const { openLibrary } = await load<LibcModule>("ffi/libc");

/** The idle time before each event, µs. */
export const GAP_US = 1000;

const CLOCK_MONOTONIC = 1; // Linux's <time.h>
const clock = openLibrary("libc.so.6", {
  // int clock_gettime(clockid_t clockid, struct timespec *tp)
  clock_gettime: { parameters: ["int", "void *"], result: "int" },
});
const timespec = new BigInt64Array(2); // { time_t tv_sec; long tv_nsec; } on 64-bit Linux

/** CLOCK_MONOTONIC in ns (exact as a double for about 104 days of uptime). */
function nowNs(): number {
  clock.clock_gettime(CLOCK_MONOTONIC, timespec);
  return Number(timespec[0]!) * 1e9 + Number(timespec[1]!);
}

const dir = mkdtempSync(join(tmpdir(), "iomux-wake-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let binary: string | undefined;

/** Builds `c/wake_peer.c` once (`CC`, else `cc`); throws saying so when it cannot. */
function peer(): string {
  if (binary !== undefined) return binary;
  const out = join(dir, "wake_peer");
  const source = fileURLToPath(new URL("./c/wake_peer.c", import.meta.url));
  try {
    execFileSync(process.env.CC ?? "cc", ["-O2", "-o", out, source, "-lpthread"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (error) {
    throw new Error(`the latency bench needs a C compiler: ${(error as Error).message}`);
  }
  return binary = out;
}

let peers = 0;

/** Connects to the peer's socket at `path` once it listens. */
async function connect(path: string): Promise<InstanceType<typeof Socket>> {
  for (let tries = 0; tries < 5000; tries++) {
    if (existsSync(path)) {
      const sock = new Socket(AF_UNIX, SOCK_STREAM);
      try {
        sock.connect(path);
        return sock;
      } catch (error) {
        sock.close();
        // Bound but not listening yet.
        if (!(error instanceof OSError) || error.code !== "ECONNREFUSED") throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`the wake peer never listened on ${path}`);
}

/** Calls `onReadable` whenever `sock` is readable, until the returned `close`. */
export type Listen = (
  sock: InstanceType<typeof Socket>,
  onReadable: () => void,
  ref: boolean,
) => () => void;

/** The watcher under test: `watch(sock, EVENT_READ, ...)`. */
const watcher: Listen = (sock, onReadable, ref) => {
  const { watch, EVENT_READ } = watchModule;
  const w = watch(sock, EVENT_READ, onReadable, { ref });
  return () => w.close();
};

/**
 * Write -> callback times (ms) of `events` events written by a peer process after
 * {@linkcode GAP_US} of idle time each, to a watcher with `ref` (or to `listen`).
 */
export async function peerLatencies(
  events: number,
  ref: boolean,
  listen: Listen = watcher,
): Promise<number[]> {
  const path = join(dir, `peer-${++peers}.sock`);
  const child = spawn(peer(), ["serve", path, String(events), String(GAP_US)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const sock = await connect(path);
  sock.setBlocking(false);
  const samples: number[] = [];
  const stamp = new Uint8Array(8);
  const view = new DataView(stamp.buffer);
  const ack = new Uint8Array([97]);
  try {
    await new Promise<void>((resolve, reject) => {
      const close = listen(sock, () => {
        const now = nowNs();
        try {
          // One 8-byte write of a Unix stream socket arrives whole.
          if (sock.recvInto(stamp, 8) !== 8) throw new Error("the wake peer went away");
          samples.push((now - Number(view.getBigInt64(0, true))) / 1e6);
          sock.send(ack);
        } catch (error) {
          close();
          reject(error);
          return;
        }
        if (samples.length === events) {
          close();
          resolve();
        }
      }, ref);
    });
  } finally {
    sock.close();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the wake peer exited with ${code}`);
  return samples;
}

/** The C floor after the same gap: `one` and `two` wake-ups, ms each, sorted. */
export function wakeFloor(events: number): { one: number[]; two: number[] } {
  const out = execFileSync(peer(), ["floor", String(events), String(GAP_US)], {
    encoding: "utf8",
  });
  const { one, two } = JSON.parse(out) as { one: number[]; two: number[] };
  return { one: one.map((us) => us / 1000), two: two.map((us) => us / 1000) };
}
