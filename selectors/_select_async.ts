/**
 * `BaseSelector.selectAsync`: `select()` beside the event loop. The fast path is the
 * selector's own `select(0)`; otherwise the wait runs on the shared waiting thread of
 * `_wait/async_wait.ts`, watching the selector's own fd when it has one (epoll and
 * kqueue fds are readable while events are pending, and the kernel keeps their set
 * up to date), and otherwise every registered fd, read from the live map.
 *
 * @module
 */
import { answer, type AsyncWaitOptions, waitAsync } from "../_wait/async_wait.ts";
import {
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLRDBAND,
  POLLRDNORM,
  POLLWRBAND,
  POLLWRNORM,
} from "../select/constants.ts";
import { monotonicMs } from "../_py/timeout.ts";
import { EVENT_READ, EVENT_WRITE } from "./key.ts";

/**
 * Key of a selector property that is `true` when its `select()` reports what
 * `select(2)` reports rather than what `poll(2)` does: `POLLHUP` alone then makes
 * an fd readable but not writable (Linux `fs/select.c` `POLLIN_SET`/`POLLOUT_SET`),
 * and its waits must not wake on it.
 */
export const selectSemantics: unique symbol = Symbol("iomux.selectSemantics");

/** `select(2)`'s read and write sets: the bits that make an fd count as ready. */
const READ_SET = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR | POLLNVAL;
const WRITE_SET = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR | POLLNVAL;

/** What `selectAsync` needs from a selector: `BaseSelector`'s methods and its two protected hooks. */
export interface AsyncSelectable<R> {
  select(timeout?: number | null): R[];
  getMap(): { values(): Iterable<{ readonly fd: number; readonly events: number }> };
  /** `BaseSelector.waitSeconds`: `select(timeout)`'s checks, then the seconds to wait. */
  waitSeconds(timeout: number | null | undefined): number;
  /** `BaseSelector.readinessFd`: the fd to wait on, or `null` for the registered fds. */
  readinessFd(): number | null;
  /** `true` where `select()` reports what `select(2)` does (see {@linkcode selectSemantics}). */
  readonly [selectSemantics]?: boolean;
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
      return answer(ready);
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

function* mapInterests<R>(
  selector: AsyncSelectable<R>,
): Iterable<readonly [number, number, number]> {
  const likeSelect = selector[selectSemantics] === true;
  for (const key of selector.getMap().values()) {
    const read = key.events & EVENT_READ;
    const write = key.events & EVENT_WRITE;
    const mask = (read ? POLLIN : 0) | (write ? POLLOUT : 0);
    // A poll() owner reports every bit poll(2) returns (CPython `_PollLikeSelector.select`
    // maps POLLHUP to both events).
    const counts = likeSelect
      ? (read ? READ_SET : 0) | (write ? WRITE_SET : 0)
      : mask | POLLERR | POLLHUP | POLLNVAL;
    yield [key.fd, mask, counts];
  }
}
