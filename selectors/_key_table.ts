/**
 * {@linkcode KeyTable}: a selector's fd → key map (Python's `_fd_to_key`) that also
 * keeps its keys in an array indexed by fd, so that the fast path of `select()` finds
 * the key of a ready fd with one array load instead of a `Map` lookup. The `Map`
 * stays the source of registration order (`getMap()`, iteration); the array follows
 * every `set`, `delete` and `clear`, whoever makes them.
 *
 * @module
 */
import type { SelectorKey } from "./key.ts";

/**
 * Above this fd the array is not grown: such a key is found through the `Map`
 * (`byFd` reads `undefined` past its end, and the fast path then asks the `Map`).
 * It bounds the array at 8 MiB whatever fd a caller registers.
 */
const MAX_INDEXED_FD = 1 << 20;

/**
 * An insertion-ordered fd → key `Map` with an fd-indexed mirror of its keys.
 *
 * @typeParam T The type of the data attached to each key.
 */
export class KeyTable<T> extends Map<number, SelectorKey<T>> {
  /**
   * `byFd[fd]` is the key of `fd`, or `undefined`. Dense (holes are filled with
   * `undefined`) so that the engine keeps it a packed array.
   */
  readonly byFd: (SelectorKey<T> | undefined)[] = [];
  /** How many registered fds are at or above {@linkcode MAX_INDEXED_FD}. */
  unindexed = 0;

  override set(fd: number, key: SelectorKey<T>): this {
    // `super()` calls no `set` here (the table starts empty), so `byFd` exists.
    const byFd = this.byFd;
    if (fd >= 0 && fd < MAX_INDEXED_FD) {
      while (byFd.length <= fd) byFd.push(undefined);
      byFd[fd] = key;
    } else if (!this.has(fd)) {
      this.unindexed++;
    }
    super.set(fd, key);
    return this;
  }

  override delete(fd: number): boolean {
    const had = super.delete(fd);
    if (had) {
      if (fd >= 0 && fd < MAX_INDEXED_FD) this.byFd[fd] = undefined;
      else this.unindexed--;
    }
    return had;
  }

  override clear(): void {
    super.clear();
    this.byFd.length = 0;
    this.unindexed = 0;
  }

  /**
   * The key of `fd`: the array when the fd is indexed, else the `Map`.
   *
   * @param fd A ready fd the kernel reported.
   * @returns Its key, or `undefined` when it is not registered.
   */
  keyOf(fd: number): SelectorKey<T> | undefined {
    const key = this.byFd[fd];
    return key !== undefined || this.unindexed === 0 ? key : this.get(fd);
  }
}
