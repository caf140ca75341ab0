/**
 * File descriptors in tests: which are open, pipes that are always closed, and the
 * leak check that wraps a test body.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import process from "node:process";
import { close, getBlocking, pipe } from "../../os/mod.ts";
import { abi } from "../../ffi/abi.ts";
import { libc } from "../../ffi/libc.ts";
import { finalized } from "../../_py/resource_warning.ts";
import { spawnShell } from "./child.ts";
import { eventually } from "./time.ts";

const WINDOWS = process.platform === "win32";
const { SOL_SOCKET, SO_TYPE } = abi.socket.constants;
const SO_TYPE_CELL = new Uint8Array(4);
const SO_TYPE_LENGTH = new Uint8Array(new Int32Array([4]).buffer);

const BUN = "Bun" in globalThis;
/**
 * Whether `fd` is open (`fcntl(F_GETFL)` succeeds). On Windows, whether it is an open
 * socket (`getsockopt(SO_TYPE)` answers): the only handles iomux waits on there.
 */
export function isOpen(fd: number): boolean {
  if (WINDOWS) {
    new Int32Array(SO_TYPE_LENGTH.buffer)[0] = 4;
    return libc().getsockopt(fd, SOL_SOCKET, SO_TYPE, SO_TYPE_CELL, SO_TYPE_LENGTH) === 0;
  }
  try {
    getBlocking(fd);
    return true;
  } catch {
    return false; // EBADF: not open
  }
}

/**
 * The open fds below `limit`, probed one by one with fcntl(F_GETFL) (Deno refuses
 * /proc/self/fd without --allow-all); on Windows, the open sockets.
 */
export function openFds(limit = 4096): number[] {
  const fds: number[] = [];
  for (let fd = 0; fd < limit; fd++) if (isOpen(fd)) fds.push(fd);
  return fds;
}

/** Closes an fd that a test may already have closed. */
export function closeQuietly(fd: number): void {
  try {
    close(fd);
  } catch {
    // already closed by the test
  }
}

/** A pipe: `[readEnd, writeEnd]`. */
export type Pipe = [readEnd: number, writeEnd: number];
/** `count` pipes; typed as at least three so that tests can destructure the first ones. */
export type Pipes = [Pipe, Pipe, Pipe, ...Pipe[]];

/** Runs `body` with `count` fresh pipes and closes every end afterwards, whatever happens. */
export async function withPipes<R>(
  count: number,
  body: (pipes: Pipes) => R | Promise<R>,
): Promise<R> {
  const pipes: Pipe[] = [];
  try {
    for (let i = 0; i < count; i++) pipes.push(pipe());
    return await body(pipes as Pipes);
  } finally {
    for (const [r, w] of pipes) {
      closeQuietly(r);
      closeQuietly(w);
    }
  }
}

/** Runs `body` with one fresh pipe and closes both ends afterwards. */
export function withPipe<R>(body: (r: number, w: number) => R | Promise<R>): Promise<R> {
  return withPipes(1, ([[r, w]]) => body(r, w));
}

let warmed: Promise<void> | undefined;

/**
 * Starts one child each way (spawnSync and spawn) once per process: Bun and Node open
 * fds of their own for child processes on first use, which is not a leak of a test.
 */
function warmRuntime(): Promise<void> {
  return warmed ??= (async () => {
    spawnSync("true", { stdio: "ignore" });
    await spawnShell("true").exited;
  })();
}

/** Options of {@linkcode leakFree}. */
export interface LeakOptions {
  /**
   * Count fds by kind instead of naming them (Linux: what `/proc/self/fd` links to,
   * the inode number left out, so `pipe:`, `socket:`, `anon_inode:[eventfd]`, a
   * path): Deno keeps a terminated Worker's event-loop fds (eventfds, epoll sets,
   * socket pairs, pipes) open until another Worker starts, when it closes them and
   * opens the new one's under other numbers. One more of any kind (an `Epoll` left
   * open, say) still fails the test.
   */
  workerFds?: boolean;
}

/**
 * Wraps a test body so that it fails if it leaves an fd open (or closes one it did not
 * open). A runtime may close an fd of its own a moment after the body is done (Bun's
 * pidfd of a spawnSync child), so the check waits up to a second for the fds to settle;
 * an fd the test leaked stays open and still fails it. On Windows the body runs
 * unchecked: there is no fd table to probe (the C runtime has no `fcntl`, and sockets
 * are handles) and no `sh` to warm the runtime with.
 */
export function leakFree(
  body: () => void | Promise<void>,
  options?: LeakOptions,
): () => Promise<void> {
  const fds = options?.workerFds === true ? fdsByKind : ownFds;
  return async () => {
    if (process.platform === "win32") return await body();
    await warmRuntime();
    const before = fds();
    const finalizedBefore = finalized.count;
    await body();
    await eventually(() => fds().join() === before.join(), 1000);
    const after = fds();
    const collected = finalized.count - finalizedBefore;
    if (BUN) {
      // Bun closes fds of its own (a finished Worker's, a child's pidfd) at a later
      // collection, at any point of a later test: an old fd may be gone; a new one
      // left open still fails.
      assert.deepEqual(after.filter((fd) => !before.includes(fd)), [], "the test leaked fds");
      return;
    }
    if (collected === 0) {
      assert.deepEqual(after, before, "the test leaked file descriptors");
      return;
    }
    // The collector closed fds of objects an earlier test dropped (close on collection,
    // _py/resource_warning.ts): as many of the old fds may be gone, and no new one stays.
    assert.deepEqual(after.filter((fd) => !before.includes(fd)), [], "the test leaked fds");
    const gone = before.filter((fd) => !after.includes(fd));
    assert.ok(
      gone.length <= collected,
      `fds ${gone.join(", ")} closed, ${collected} by finalizers`,
    );
  };
}

/**
 * The open fds less the runtime's pidfds (Linux `anon_inode:[pidfd]`): the handles a
 * runtime keeps for its child processes and closes on its own schedule (Bun, at a
 * later collection), which no iomux call opens or closes.
 */
function ownFds(): number[] {
  return openFds().filter((fd) => !isPidfd(fd));
}

/** {@linkcode ownFds} as their kinds, sorted (see `workerFds`); by number where there is no `/proc`. */
function fdsByKind(): (number | string)[] {
  if (process.platform !== "linux") return ownFds();
  return ownFds().map((fd) => linkOf(fd).replace(/\[\d+\]$/, "")).sort();
}

function linkOf(fd: number): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return "";
  }
}

function isPidfd(fd: number): boolean {
  return process.platform === "linux" && linkOf(fd) === "anon_inode:[pidfd]";
}
