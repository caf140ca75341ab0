/**
 * One readiness of one fd as a Promise, for the streams' EAGAIN waits.
 *
 * @module
 */
import { Watcher } from "./watcher.ts";

/**
 * Resolves once `fd` is ready for `events` (`EVENT_READ`/`EVENT_WRITE`); rejects with
 * `signal.reason` when `signal` aborts first.
 */
export function readiness(fd: number, events: number, signal?: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const watcher = new Watcher(fd, events, (ready) => {
      finish();
      resolve(ready);
    });
    const onAbort = () => {
      finish();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    function finish() {
      watcher.close();
      signal?.removeEventListener("abort", onAbort);
    }
  });
}
