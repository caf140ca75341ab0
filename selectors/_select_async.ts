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
import { monotonicMs } from "../select/_timeout.ts";
import { pyTypeName } from "../select/_convert.ts";
import { ValueError } from "../errors.ts";

const EVENT_READ = 1;
const EVENT_WRITE = 2;

/**
 * Key of an optional selector method naming the fd to wait on instead of
 * `fileno()`, or `null` to wait on the registered fds: libkqueue's kqueue fd (Linux)
 * never becomes readable, where a kernel kqueue's does.
 */
export const readinessFd: unique symbol = Symbol("iomux.readinessFd");

/**
 * Key of an optional selector method that makes every check its blocking
 * `select(timeout)` makes before waiting, and returns the seconds to wait
 * (`Infinity` for no limit, 0 or less to poll once).
 */
export const waitSeconds: unique symbol = Symbol("iomux.waitSeconds");

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

/** What `selectAsync` needs from a selector. */
export interface AsyncSelectable<R> {
  select(timeout?: number | null): R[];
  getMap(): { values(): Iterable<{ readonly fd: number; readonly events: number }> };
  fileno?(): number;
  [readinessFd]?(): number | null;
  [waitSeconds]?(timeout: number | null | undefined): number;
  readonly [selectSemantics]?: boolean;
}

/**
 * Runs `selector.select(timeout)` without blocking the event loop. `timeout` is in
 * seconds: `undefined`/`null` waits with no limit, zero or negative polls once.
 * The owner must call `refreshWaits(selector)` from `register`/`modify`/`unregister`
 * and `endWaits(selector)` from `close()`.
 */
export function selectAsync<R>(
  selector: AsyncSelectable<R>,
  timeout: number | null | undefined,
  options: AsyncWaitOptions | undefined,
): Promise<R[]> {
  try {
    let seconds = Infinity;
    if (typeof selector[waitSeconds] === "function") {
      seconds = selector[waitSeconds](timeout);
    } else if (timeout !== undefined && timeout !== null) {
      // The checks and messages of PollSelector/EpollSelector (selectors/_timeout.ts).
      const t = typeof timeout === "bigint" ? Number(timeout) : timeout;
      if (typeof t !== "number") {
        throw new TypeError(
          `'<=' not supported between instances of '${pyTypeName(timeout)}' and 'int'`,
        );
      }
      if (Number.isNaN(t)) throw new ValueError("cannot convert float NaN to integer");
      if (t === Infinity) throw new RangeError("cannot convert float infinity to integer");
      seconds = t;
    }
    options?.signal?.throwIfAborted();
    const ready = selector.select(0);
    if (ready.length > 0 || seconds <= 0) {
      return answer(ready);
    }
    const ownFd = typeof selector[readinessFd] === "function"
      ? selector[readinessFd]() !== null
      : typeof selector.fileno === "function";
    return waitAsync({
      owner: selector,
      check: () => selector.select(0),
      interests: ownFd ? () => [[selector.fileno!(), POLLIN]] : () => mapInterests(selector),
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
