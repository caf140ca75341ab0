/**
 * asyncio's `loop.add_reader`, `remove_reader`, `add_writer` and `remove_writer`
 * (`Lib/asyncio/selector_events.py` `BaseSelectorEventLoop._add_reader`): one
 * reader and one writer per fd, adding again replaces the callback.
 *
 * @module
 */
import type { FileLike } from "../_py/convert.ts";
import { fileobjToFd } from "../selectors/_fileobj.ts";
import { EVENT_READ, EVENT_WRITE } from "../selectors/key.ts";
import { watch, type Watcher } from "./watcher.ts";

const readers = new Map<number, Watcher>();
const writers = new Map<number, Watcher>();

function addTo(
  table: Map<number, Watcher>,
  events: number,
  fileobj: FileLike,
  callback: () => void,
): void {
  const fd = fileobjToFd(fileobj);
  const watcher = watch(fd, events, () => callback());
  table.get(fd)?.close();
  table.set(fd, watcher);
}

function removeFrom(table: Map<number, Watcher>, fileobj: FileLike): boolean {
  const fd = fileobjToFd(fileobj);
  const watcher = table.get(fd);
  if (watcher === undefined) return false;
  table.delete(fd);
  watcher.close();
  return true;
}

/**
 * Calls `callback()` whenever `fileobj` is readable, as asyncio's `loop.add_reader`;
 * a second `addReader` for the same fd replaces the first callback.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @param callback Called on the JS thread, again and again while the fd stays readable.
 * @throws {OSError} The kernel refuses to watch the fd.
 *
 * @example Read a line when it arrives
 * ```ts
 * import assert from "node:assert/strict";
 * import { addReader, removeReader } from "@iomux/iomux/watch";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * let lineFound!: (value: string) => void;
 * const line = new Promise<string>((resolve) => lineFound = resolve);
 * addReader(r, () => lineFound(new TextDecoder().decode(read(r, 100))));
 * write(w, new TextEncoder().encode("hi\n"));
 * assert.equal(await line, "hi\n");
 * assert.equal(removeReader(r), true);
 * assert.equal(removeReader(r), false);
 * close(r);
 * close(w);
 * ```
 */
export function addReader(fileobj: FileLike, callback: () => void): void {
  addTo(readers, EVENT_READ, fileobj, callback);
}

/**
 * Stops the reader of `fileobj`, as asyncio's `loop.remove_reader`.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @returns Whether there was a reader.
 *
 * @example Nothing to remove
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeReader } from "@iomux/iomux/watch";
 *
 * assert.equal(removeReader(12345), false);
 * ```
 */
export function removeReader(fileobj: FileLike): boolean {
  return removeFrom(readers, fileobj);
}

/**
 * Calls `callback()` whenever `fileobj` is writable, as asyncio's `loop.add_writer`;
 * a second `addWriter` for the same fd replaces the first callback.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @param callback Called on the JS thread, again and again while the fd stays writable.
 * @throws {OSError} The kernel refuses to watch the fd.
 *
 * @example Write once the pipe has room
 * ```ts
 * import assert from "node:assert/strict";
 * import { addWriter, removeWriter } from "@iomux/iomux/watch";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * let sentFound!: (value: number) => void;
 * const sent = new Promise<number>((resolve) => sentFound = resolve);
 * addWriter(w, () => {
 *   removeWriter(w);
 *   sentFound(write(w, new Uint8Array([1, 2, 3])));
 * });
 * assert.equal(await sent, 3);
 * assert.deepEqual(read(r, 10), new Uint8Array([1, 2, 3]));
 * close(r);
 * close(w);
 * ```
 */
export function addWriter(fileobj: FileLike, callback: () => void): void {
  addTo(writers, EVENT_WRITE, fileobj, callback);
}

/**
 * Stops the writer of `fileobj`, as asyncio's `loop.remove_writer`.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @returns Whether there was a writer.
 *
 * @example Nothing to remove
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeWriter } from "@iomux/iomux/watch";
 *
 * assert.equal(removeWriter(12345), false);
 * ```
 */
export function removeWriter(fileobj: FileLike): boolean {
  return removeFrom(writers, fileobj);
}
