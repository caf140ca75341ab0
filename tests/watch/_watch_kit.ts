/**
 * Helpers of the watch tests: one full round of the watchers' hub, waiting for it
 * to stop, and a leak check that allows for the shared waiting thread's own fds.
 *
 * @module
 */
import { EVENT_READ, watch } from "../../watch/mod.ts";
import { hubState } from "../../watch/_hub.ts";
import { leakFree } from "../_kit/fds.ts";
import { withPair, writeTo } from "../_kit/pairs.ts";

/** `Promise.withResolvers`, which Node 20 lacks. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** `size` random bytes (crypto.getRandomValues fills at most 65,536 at a time). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
}

/** Whether the hub watches nothing and has stopped: no watcher outlived its user. */
export function hubStopped(): boolean {
  const { running, fds } = hubState();
  return !running && fds === 0;
}

/** Resolves at the callback of a fresh watcher on a fresh pair: one full round of the hub. */
export async function nextRound(): Promise<void> {
  await withPair(async (r, w) => {
    const seen = deferred<void>();
    using _ = watch(r, EVENT_READ, () => seen.resolve());
    writeTo(w, new Uint8Array([1]));
    await seen.promise;
  });
}

/** Resolves once the hub has no watcher left and has closed its selector. */
export async function hubIdle(): Promise<void> {
  while (!hubStopped()) {
    await new Promise((done) => setTimeout(done, 1));
  }
}

/**
 * {@linkcode leakFree} for watch tests: the shared waiting thread's fds are opened
 * first (they stay open for the process's life), and the hub's own selector is given
 * time to close after the body's last watcher.
 */
export function watchLeakFree(body: () => void | Promise<void>): () => Promise<void> {
  const check = leakFree(async () => {
    await body();
    await hubIdle();
  });
  return async () => {
    await nextRound();
    await hubIdle();
    await check();
  };
}
