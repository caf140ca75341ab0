/**
 * A `Kqueue`'s changelist turned into `struct kevent`s, with CPython's checks on it
 * (`Modules/selectmodule.c` `select_kqueue_control_impl`: an iterable of
 * `select.kevent` objects whose length fits a C `int`). Separate from `kqueue.ts`
 * because it is the one place a caller's objects become kernel memory for kqueue:
 * the stored fields of each `KEvent` are copied into a buffer iomux sizes.
 *
 * @module
 */
import { encodeKevents, type KeventFields } from "../ffi/kevent.ts";
import type { KeventLayout } from "../ffi/abi/types.ts";
import { type KEvent, keventFields } from "./kevent.ts";
import { noteChanges } from "./_kqueue_interest.ts";

const INT_MAX = 2147483647;

/** One kqueue's changelist buffer, reused from call to call. */
export class KeventChanges {
  #changes = new Uint8Array(0);

  /**
   * The changelist as `struct kevent`s, or `null` for none (CPython's checks).
   * `tracked` is the queue whose read and write filters the shared waiter follows
   * (libkqueue, see `_kqueue_interest.ts`), or `null` for a native kqueue.
   */
  encode(
    changelist: Iterable<KEvent> | null | undefined,
    layout: KeventLayout,
    tracked: object | null,
  ): Uint8Array | null {
    if (changelist === null || changelist === undefined) return null;
    const iterator = (changelist as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    if (typeof iterator !== "function") throw new TypeError("changelist is not iterable");
    // The length comes from the materialised list, not from the object (bpo-30058).
    const items = Array.isArray(changelist) ? changelist : Array.from(changelist);
    if (items.length === 0) return null;
    if (items.length > INT_MAX) throw new RangeError("changelist is too long");
    // The stored fields, not the getters a subclass may override (CPython copies
    // the C struct), in a list of our own that nothing can change after the check.
    const fields: KeventFields[] = [];
    for (const item of items) {
      const stored = keventFields(item);
      if (stored === undefined) {
        throw new TypeError("changelist must be an iterable of select.kevent objects");
      }
      fields.push(stored);
    }
    if (tracked !== null) noteChanges(tracked, items);
    const bytes = fields.length * layout.size;
    if (this.#changes.byteLength < bytes) this.#changes = new Uint8Array(bytes);
    const changes = this.#changes.subarray(0, bytes);
    encodeKevents(changes, layout, fields);
    return changes;
  }
}
