/**
 * A set of fds that iterates in CPython's order: `SelectSelector` keeps its readers
 * and writers in Python sets, and `select.select` walks each list in that order, so
 * the order decides which of two bad fds a call reports (an fd above `INT_MAX` raises
 * `OverflowError`, one at or above `FD_SETSIZE` `ValueError`: whichever comes first).
 *
 * The order is that of CPython's hash table for ints (`Objects/setobject.c`,
 * `set_add_entry`, `set_discard_entry`, `set_table_resize`, `set_insert_clean`,
 * `set_next`): an int's hash is itself (modulo 2**61 - 1), slots are probed
 * linearly 9 at a time and then by `i * 5 + 1 + perturb`, a removed entry leaves a
 * dummy that a later add may reuse, and the table grows to the smallest power of two
 * above 4 × used (2 × past 50,000) once it is three-fifths full. Membership and size
 * come from the `Set` itself; only iteration follows the table.
 *
 * @module
 */

const MIN_SIZE = 8; // PySet_MINSIZE
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;
const MASK_64 = (1n << 64n) - 1n;
const MODULUS = (1n << 61n) - 1n; // _PyHASH_MODULUS on 64-bit builds

/** A removed entry (CPython's `dummy`, hash -1). */
const DUMMY = -1;
/** A never-used slot. */
const EMPTY = -2;

/** `hash(n)` for a non-negative int, as CPython's `long_hash` gives it. */
function hashOf(n: number): bigint {
  return BigInt(n) % MODULUS;
}

/**
 * The first slot on `fd`'s probe path in `table` that `stop` accepts or that is
 * empty: `set_add_entry`'s, `set_lookkey`'s and `set_insert_clean`'s walk, 9 slots
 * at a time while they fit, then `i * 5 + 1 + perturb`.
 */
function probe(table: readonly number[], fd: number, stop: (at: number) => boolean): number {
  const mask = table.length - 1;
  const hash = hashOf(fd);
  let perturb = hash;
  let i = Number(hash & BigInt(mask));
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let at = i; at <= i + probes; at++) {
      if (table[at] === EMPTY || stop(at)) return at;
    }
    perturb >>= PERTURB_SHIFT;
    i = Number((BigInt(i) * 5n + 1n + perturb) & MASK_64 & BigInt(mask));
  }
}

/** A `Set<number>` of non-negative ints whose iteration order is CPython's. */
export class PySet extends Set<number> {
  /** Keys by slot: an fd, {@linkcode DUMMY} or {@linkcode EMPTY}. */
  #table: number[] = new Array<number>(MIN_SIZE).fill(EMPTY);
  /** Active and dummy slots (CPython's `fill`). */
  #fill = 0;

  override add(fd: number): this {
    if (super.has(fd)) return this;
    super.add(fd);
    const table = this.#table;
    const mask = table.length - 1;
    // The walk ends at the first empty slot; the last dummy before it is reused
    // (`set_add_entry` sets `freeslot` at every dummy it passes).
    let freeslot: number | undefined;
    const slot = probe(table, fd, (at) => {
      if (table[at] === DUMMY) freeslot = at;
      return false;
    });
    if (freeslot !== undefined) {
      table[freeslot] = fd;
      return this;
    }
    table[slot] = fd;
    this.#fill++;
    if (this.#fill * 5 >= mask * 3) this.#resize(this.size > 50000 ? this.size * 2 : this.size * 4);
    return this;
  }

  override delete(fd: number): boolean {
    if (!super.delete(fd)) return false;
    const table = this.#table;
    table[probe(table, fd, (at) => table[at] === fd)] = DUMMY;
    return true;
  }

  override clear(): void {
    super.clear();
    this.#table = new Array<number>(MIN_SIZE).fill(EMPTY);
    this.#fill = 0;
  }

  override *[Symbol.iterator](): SetIterator<number> {
    for (const key of this.#table) if (key >= 0) yield key;
  }

  override values(): SetIterator<number> {
    return this[Symbol.iterator]();
  }

  override keys(): SetIterator<number> {
    return this[Symbol.iterator]();
  }

  override forEach(callback: (value: number, key: number, set: Set<number>) => void): void {
    for (const key of this) callback(key, key, this);
  }

  /** `set_table_resize`: the smallest power of two above `minused`, active keys in slot order. */
  #resize(minused: number): void {
    let size = MIN_SIZE;
    while (size <= minused) size <<= 1;
    const old = this.#table;
    const table = this.#table = new Array<number>(size).fill(EMPTY);
    // set_insert_clean: each active key in the first empty slot on its path.
    for (const key of old) if (key >= 0) table[probe(table, key, () => false)] = key;
    this.#fill = this.size;
  }
}
