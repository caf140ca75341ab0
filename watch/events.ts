/**
 * Readiness as async iteration: `for await` over a selector's ready keys, or over one
 * fd's ready events. Both end (without an error) when their signal aborts; the
 * selector's ends when the selector is closed.
 *
 * @module
 */
import type { FileLike } from "../_py/convert.ts";
import type { BaseSelector } from "../selectors/base.ts";
import type { SelectorKey } from "../selectors/key.ts";
import { fileobjToFd } from "../selectors/_fileobj.ts";
import { readiness } from "./_once.ts";
import { eventMask } from "./watcher.ts";

function abortedBy(signal: AbortSignal | undefined, error: unknown): boolean {
  return signal !== undefined && signal.aborted && error === signal.reason;
}

/** Options of {@linkcode selectorEvents} and {@linkcode fdEvents}. */
export interface EventsOptions {
  /** Aborting it ends the iteration (the pending step returns `done`). */
  signal?: AbortSignal | undefined;
}

/**
 * Yields `[key, events]` for each ready key of `selector`, as `select()` reports them,
 * one `selectAsync()` after another. Ends when `options.signal` aborts or the
 * selector is closed (also from inside the loop); `break` just stops asking.
 *
 * @param selector Any selector.
 * @param options `signal`.
 * @returns An async iterable of `[SelectorKey, events]`.
 *
 * @example Serve readiness until aborted
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectorEvents } from "@iomux/iomux/watch";
 * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new DefaultSelector<string>();
 * sel.register(r, EVENT_READ, "pipe");
 * const controller = new AbortController();
 * setTimeout(() => write(w, new Uint8Array([42])), 5);
 * const seen: string[] = [];
 * for await (const [key, events] of selectorEvents(sel, { signal: controller.signal })) {
 *   seen.push(`${key.data} ${events} ${read(r, 10)[0]}`);
 *   controller.abort();
 * }
 * assert.deepEqual(seen, ["pipe 1 42"]);
 * close(r);
 * close(w);
 * ```
 */
export async function* selectorEvents<T>(
  selector: BaseSelector<T>,
  options?: EventsOptions,
): AsyncGenerator<[SelectorKey<T>, number], void, undefined> {
  const signal = options?.signal;
  while (signal?.aborted !== true) {
    let ready: [SelectorKey<T>, number][];
    try {
      ready = await selector.selectAsync(null, { signal });
    } catch (error) {
      if (abortedBy(signal, error)) return;
      throw error;
    }
    // With no time limit, only close() ends a wait with nothing ready.
    if (ready.length === 0) return;
    yield* ready;
  }
}

/**
 * Yields the ready events of one fd (`EVENT_READ`/`EVENT_WRITE` bits), one readiness
 * per step: level-triggered, so an fd that stays ready is yielded again at the next
 * step. Ends when `options.signal` aborts.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @param events `EVENT_READ`, `EVENT_WRITE` or both.
 * @param options `signal`.
 * @returns An async iterable of event masks.
 * @throws {ValueError} Invalid events.
 *
 * @example Read three writes one by one
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, fdEvents } from "@iomux/iomux/watch";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * write(w, new Uint8Array([1, 2, 3]));
 * const got: number[] = [];
 * for await (const events of fdEvents(r, EVENT_READ)) {
 *   assert.equal(events, EVENT_READ);
 *   got.push(read(r, 1)[0]!);
 *   if (got.length === 3) break;
 * }
 * assert.deepEqual(got, [1, 2, 3]);
 * close(r);
 * close(w);
 * ```
 */
export async function* fdEvents(
  fileobj: FileLike,
  events: number,
  options?: EventsOptions,
): AsyncGenerator<number, void, undefined> {
  const fd = fileobjToFd(fileobj);
  const mask = eventMask(events);
  const signal = options?.signal;
  while (signal?.aborted !== true) {
    try {
      yield await readiness(fd, mask, signal);
    } catch (error) {
      if (abortedBy(signal, error)) return;
      throw error;
    }
  }
}
