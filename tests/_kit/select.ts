/**
 * Shared pieces of the select/poll/epoll/os suites: fd-leak accounting through
 * /proc/self/fd, exact error assertions, and children that write into iomux pipes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import process from "node:process";
import { close, getBlocking, pipe } from "../../os/mod.ts";

/**
 * The fds below 4096 that this process has open. Probed with `getBlocking` (fcntl)
 * because Deno refuses /proc/self/fd without --allow-all.
 */
export function openFds(): number[] {
  const open: number[] = [];
  for (let fd = 0; fd < 4096; fd++) {
    try {
      getBlocking(fd);
      open.push(fd);
    } catch {
      // EBADF: not open
    }
  }
  return open;
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

/** Wraps a test body so that it fails if it leaves an fd open (or closes one it did not open). */
export function leakFree(body: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    await warmRuntime();
    const before = openFds();
    await body();
    assert.deepEqual(openFds(), before, "the test leaked file descriptors");
  };
}

/** A class of error, checked by `instanceof` and by name. */
// deno-lint-ignore no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

/** Asserts that `fn` throws exactly `Class` (by `instanceof` and `name`) with `message`. */
export function assertRaises(fn: () => unknown, Class: ErrorClass, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).name, Class.name);
    assert.equal((e as Error).message, message);
    return true;
  });
}

/** Asserts that `fn` throws an OSError-like error with `errno` and `code`. */
export function assertErrno(fn: () => unknown, Class: ErrorClass, code: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).name, Class.name);
    assert.equal((e as unknown as { code: string }).code, code);
    return true;
  });
}

/** Runs `body` with `n` fresh pipes and closes every end afterwards. */
export async function withPipes<R>(
  n: number,
  body: (pipes: [number, number][]) => R | Promise<R>,
): Promise<R> {
  const pipes: [number, number][] = [];
  try {
    for (let i = 0; i < n; i++) pipes.push(pipe());
    return await body(pipes);
  } finally {
    for (const [r, w] of pipes) {
      closeQuietly(r);
      closeQuietly(w);
    }
  }
}

/** Runs `body` with one fresh pipe and closes both ends afterwards. */
export function withPipe<R>(body: (r: number, w: number) => R | Promise<R>): Promise<R> {
  return withPipes(1, (pipes) => body(...pipes[0]!));
}

/** Closes an fd that a test may already have closed. */
export function closeQuietly(fd: number): void {
  try {
    close(fd);
  } catch {
    // already closed by the test
  }
}

/** A child process and a promise of its exit code. */
export interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
}

/**
 * Starts `sh -c script` with its stdout on `stdoutFd` (an iomux pipe end, which the
 * caller then closes), stdin and stderr left alone.
 */
export function spawnShell(script: string, stdoutFd: number | "ignore" = "ignore"): Child {
  const child = spawn("sh", ["-c", script], { stdio: ["ignore", stdoutFd, "inherit"] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve(code));
  });
  return { process: child, exited };
}

/** Whether `command` can be run here. */
export function haveCommand(command: string, ...args: string[]): boolean {
  const probe = spawnSync(command, args, { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Whether `fd` has O_CLOEXEC, read from the `flags` line of /proc/<pid>/fdinfo by a
 * child process (Deno refuses /proc paths of its own process without --allow-all).
 */
export function isCloseOnExec(fd: number): boolean {
  const O_CLOEXEC = 0o2000000;
  const out = spawnSync("cat", [`/proc/${process.pid}/fdinfo/${fd}`], { encoding: "utf8" });
  const flags = /^flags:\s*([0-7]+)$/m.exec(out.stdout ?? "");
  assert.ok(flags, `no flags line for fd ${fd}: ${out.stderr}`);
  return (parseInt(flags[1]!, 8) & O_CLOEXEC) !== 0;
}

/** Waits for `ms` milliseconds without blocking the event loop. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
