/**
 * `BaseSelector.selectAsync`: `select()` beside the event loop. The fast path is the
 * selector's own `select(0)`; otherwise the wait runs on the shared waiting thread of
 * `select/async_wait.ts`, watching the selector's own fd when it has one (epoll and
 * kqueue fds are readable while events are pending, and the kernel keeps their set
 * up to date), and otherwise every registered fd, read from the live map.
 *
 * @module
 */
import { answer, type AsyncWaitOptions, waitAsync } from "../select/async_wait.ts";
import { POLLIN, POLLOUT } from "../select/constants.ts";
import { monotonicMs } from "../_py/timeout.ts";
import { EVENT_READ, EVENT_WRITE } from "./key.ts";

/** What `selectAsync` needs from a selector: `BaseSelector`'s methods and its two protected hooks. */
export interface AsyncSelectable<R> {
  select(timeout?: number | null): R[];
  getMap(): { values(): Iterable<{ readonly fd: number; readonly events: number }> };
  /** `BaseSelector.waitSeconds`: `select(timeout)`'s checks, then the seconds to wait. */
  waitSeconds(timeout: number | null | undefined): number;
  /** `BaseSelector.readinessFd`: the fd to wait on, or `null` for the registered fds. */
  readinessFd(): number | null;
}

/**
 * Runs `selector.select(timeout)` without blocking the event loop. `timeout` is in
 * seconds: `undefined`/`null` waits with no limit, zero or negative polls once.
 * `BaseSelectorImpl` calls `refreshWaits(selector)` after every
 * `register`/`modify`/`unregister` and `endWaits(selector)` from `close()`.
 */
export function selectAsync<R>(
  selector: AsyncSelectable<R>,
  timeout: number | null | undefined,
  options: AsyncWaitOptions | undefined,
): Promise<R[]> {
  try {
    const seconds = selector.waitSeconds(timeout);
    options?.signal?.throwIfAborted();
    const ready = selector.select(0);
    if (ready.length > 0 || seconds <= 0) {
      return answer(ready, () => selectAsync(selector, timeout, options));
    }
    const ownFd = selector.readinessFd();
    return waitAsync({
      owner: selector,
      check: () => selector.select(0),
      interests: ownFd !== null ? () => [[ownFd, POLLIN]] : () => mapInterests(selector),
      deadline: seconds === Infinity ? undefined : monotonicMs() + seconds * 1000,
      signal: options?.signal,
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

function* mapInterests<R>(selector: AsyncSelectable<R>): Iterable<[number, number]> {
  for (const key of selector.getMap().values()) {
    const mask = (key.events & EVENT_READ ? POLLIN : 0) | (key.events & EVENT_WRITE ? POLLOUT : 0);
    yield [key.fd, mask];
  }
}
