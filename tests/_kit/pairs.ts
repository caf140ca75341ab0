/**
 * Connected fd pairs for the suites that wait: pipes on POSIX; on Windows, where
 * `select()` and `WSAPoll` watch sockets only, `socketpair()`'s loopback sockets
 * (detached to raw fds). It imports no other helper, so that child-process fixtures
 * run with `--allow-ffi` alone can use it. Bytes go in and out through {@linkcode writeTo} and
 * {@linkcode readFrom}, which use `send`/`recv` on Windows and `write`/`read`
 * elsewhere, so a case that needs only "readable once written" runs on both.
 *
 * @module
 */
import process from "node:process";
import { libc } from "../../ffi/libc.ts";
import { close, pipe, read, setBlocking, write } from "../../os/mod.ts";
import { setSocketNonBlocking } from "../../_wait/socket_wake.ts";
import { POLLIN, POLLRDNORM } from "../../select/mod.ts";
import { socketpair } from "../../socket/mod.ts";
import type { Pipes } from "./fds.ts";

const WINDOWS = process.platform === "win32";

/** A fresh pair `[readEnd, writeEnd]`: a pipe, or two connected sockets on Windows. */
export function openPair(): [number, number] {
  if (!WINDOWS) return pipe();
  const [a, b] = socketpair();
  return [a.detach(), b.detach()];
}

/**
 * Runs `body` with `count` fresh pairs `[readEnd, writeEnd]` and closes every end
 * afterwards, whatever happens.
 */
export async function withPairs<R>(
  count: number,
  body: (pairs: Pipes) => R | Promise<R>,
): Promise<R> {
  const pairs: [number, number][] = [];
  try {
    for (let i = 0; i < count; i++) pairs.push(openPair());
    return await body(pairs as Pipes);
  } finally {
    for (const [r, w] of pairs) {
      closeQuietly(r);
      closeQuietly(w);
    }
  }
}

/** Closes both ends of a pair from {@linkcode openPair}. */
export function closePair(r: number, w: number): void {
  closeQuietly(r);
  closeQuietly(w);
}

/** Closes a pair's end that the case may already have closed. */
function closeQuietly(fd: number): void {
  if (WINDOWS) {
    libc().closesocket!(fd);
    return;
  }
  try {
    close(fd);
  } catch {
    // already closed by the case
  }
}

/** Runs `body` with one fresh pair and closes both ends afterwards. */
export function withPair<R>(body: (r: number, w: number) => R | Promise<R>): Promise<R> {
  return withPairs(1, ([[r, w]]) => body(r, w));
}

/** Makes a pair's end non-blocking (`ioctlsocket(FIONBIO)` on Windows). */
export function setNonBlocking(fd: number): void {
  if (WINDOWS) setSocketNonBlocking(fd);
  else setBlocking(fd, false);
}

/** Writes `bytes` to a pair's write end; returns the count written. */
export function writeTo(fd: number, bytes: Uint8Array): number {
  if (!WINDOWS) return write(fd, bytes);
  const n = libc().send(fd, bytes, bytes.length, 0);
  if (n < 0) throw new Error(`send failed: WinError ${libc().errno()}`);
  return n;
}

/** Reads at most `n` bytes from a pair's read end. */
export function readFrom(fd: number, n: number): Uint8Array {
  if (!WINDOWS) return read(fd, n);
  const buffer = new Uint8Array(n);
  const got = libc().recv(fd, buffer, n, 0);
  if (got < 0) throw new Error(`recv failed: WinError ${libc().errno()}`);
  return buffer.subarray(0, got);
}

/**
 * What `poll()` reports for a pair's read end once it has bytes: `POLLIN`, or on
 * Windows `POLLRDNORM` alone (there `POLLIN` is `POLLRDNORM | POLLRDBAND`, and
 * `WSAPoll` reports the one that happened).
 */
export const POLLED_READABLE: number = WINDOWS ? POLLRDNORM : POLLIN;
