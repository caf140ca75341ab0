/**
 * The pending waits' deadlines as an indexed binary min-heap: the nearest one in
 * O(1), an insertion or a removal (a wait that ended early) in O(log n), so that
 * the waiting thread's next timeout costs the same whatever the number of waits.
 *
 * @module
 */

/** What the heap keeps: a deadline (monotonic ms) and the slot it sits in. */
export interface Timed {
  readonly deadline: number | undefined;
  /** Position in the heap, -1 when absent; maintained by the heap only. */
  heapIndex: number;
}

/** An indexed min-heap of {@linkcode Timed} items by `deadline`. */
export class Deadlines<T extends Timed> {
  readonly #items: T[] = [];

  /** How many items are in the heap. */
  get size(): number {
    return this.#items.length;
  }

  /** The item with the nearest deadline, if any. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds `item` (which must have a deadline and not be in the heap). */
  push(item: T): void {
    item.heapIndex = this.#items.length;
    this.#items.push(item);
    this.#up(item.heapIndex);
  }

  /** Removes `item` if it is in the heap. */
  delete(item: T): void {
    const i = item.heapIndex;
    if (i < 0 || this.#items[i] !== item) return;
    item.heapIndex = -1;
    const last = this.#items.pop()!;
    if (last === item) return;
    this.#items[i] = last;
    last.heapIndex = i;
    this.#up(i);
    this.#down(last.heapIndex);
  }

  #less(a: number, b: number): boolean {
    return this.#items[a]!.deadline! < this.#items[b]!.deadline!;
  }

  #swap(a: number, b: number): void {
    const items = this.#items;
    const x = items[a]!;
    const y = items[b]!;
    items[a] = y;
    items[b] = x;
    y.heapIndex = a;
    x.heapIndex = b;
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.#less(right, left) ? right : left;
      if (!this.#less(child, i)) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
