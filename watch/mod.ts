/**
 * Callbacks, async iteration and web streams over fds, beside the event loop:
 * {@linkcode watch} (asyncio's `add_reader`, libuv's `uv_poll_t`), `addReader` and
 * friends, `readable`/`writable` streams, and a `Waker`.
 *
 * @example Call back when a pipe is readable
 * ```ts
 * import assert from "node:assert/strict";
 * import { EVENT_READ, watch } from "@iomux/iomux/watch";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * let readyFound!: (value: number) => void;
 * const ready = new Promise<number>((resolve) => readyFound = resolve);
 * using watcher = watch(r, EVENT_READ, (events) => readyFound(events));
 * write(w, new Uint8Array([1]));
 * assert.equal(await ready, EVENT_READ);
 * watcher.close();
 * close(r);
 * close(w);
 * ```
 *
 * @module
 */
export { watch, Watcher, type WatchOptions } from "./watcher.ts";
export { addReader, addWriter, removeReader, removeWriter } from "./readers.ts";
export { EVENT_READ, EVENT_WRITE } from "../selectors/key.ts";
export type { FileLike } from "../_py/convert.ts";
export * from "../errors.ts";
export { Waker } from "./waker.ts";
export { type FdStreamOptions, readable, type ReadableFdOptions, writable } from "./streams.ts";
export { type EventsOptions, fdEvents, selectorEvents } from "./events.ts";
export type { BaseSelector } from "../selectors/base.ts";
export type { SelectorKey } from "../selectors/key.ts";
