/**
 * Views that lie about their extent, for the tests that check that memory reaching
 * the kernel is sized from the engine's own slots. Each view is an 8-byte window in
 * the middle of a 16 KiB arena: a call that believed the lie would read or write
 * inside the arena, around the window, where the test sees it, instead of past the
 * end of some allocation (which would crash the process or corrupt its heap).
 *
 * @module
 */

/** Size of the arena each lying view sits in. */
export const ARENA = 16384;
/** Where the real window starts in the arena. */
export const WINDOW_AT = 4096;
/** The real window's size. */
export const WINDOW = 8;
/** What the lying getters claim. */
export const CLAIM = 4096;

/** A lying view over `arena`'s window, and the decoy buffer it may point at instead. */
export interface LyingCase {
  readonly name: string;
  make(arena: ArrayBuffer, decoy: ArrayBuffer): ArrayBufferView;
}

/** A Uint8Array subclass whose `length` and `byteLength` claim 4096 bytes. */
export class LongUint8Array extends Uint8Array {
  override get length(): number {
    return CLAIM;
  }
  override get byteLength(): number {
    return CLAIM;
  }
}

class MisplacedInt16Array extends Int16Array {
  override get byteOffset(): number {
    return 0;
  }
  override get byteLength(): number {
    return CLAIM;
  }
}

/** Set by a case before it builds its view: the buffer the `buffer` getter returns. */
let decoyBuffer: ArrayBuffer = new ArrayBuffer(0);

class ForeignUint32Array extends Uint32Array {
  override get buffer(): ArrayBuffer {
    return decoyBuffer;
  }
}

class LongDataView extends DataView<ArrayBuffer> {
  override get byteLength(): number {
    return CLAIM;
  }
}

/** A Uint8Array whose `subarray`/`slice` (through `Symbol.species`) spans the whole arena. */
export class WholeArenaSpecies extends Uint8Array {
  static get [Symbol.species](): typeof Uint8Array {
    return WholeArena as typeof Uint8Array;
  }
}

class WholeArena extends Uint8Array {
  constructor(buffer: ArrayBuffer) {
    super(buffer);
  }
}

/** The lying views every read and write path is checked against. */
export const LYING_CASES: readonly LyingCase[] = [
  {
    name: "a Uint8Array subclass whose length and byteLength claim 4096 bytes",
    make: (arena) => new LongUint8Array(arena, WINDOW_AT, WINDOW),
  },
  {
    name: "an Int16Array subclass whose byteOffset points at the arena's start",
    make: (arena) => new MisplacedInt16Array(arena, WINDOW_AT, WINDOW / 2),
  },
  {
    name: "a Uint32Array subclass whose buffer getter returns another buffer",
    make: (arena, decoy) => {
      decoyBuffer = decoy;
      return new ForeignUint32Array(arena, WINDOW_AT, WINDOW / 4);
    },
  },
  {
    name: "a DataView subclass whose byteLength claims 4096 bytes",
    make: (arena) => new LongDataView(arena, WINDOW_AT, WINDOW),
  },
  {
    name: "a plain Uint8Array with own length and byteLength properties",
    make: (arena) => {
      const view = new Uint8Array(arena, WINDOW_AT, WINDOW);
      Object.defineProperty(view, "length", { value: CLAIM });
      Object.defineProperty(view, "byteLength", { value: CLAIM });
      return view;
    },
  },
  {
    name: "a plain Uint8Array with own buffer and byteOffset properties",
    make: (arena, decoy) => {
      const view = new Uint8Array(arena, WINDOW_AT, WINDOW);
      Object.defineProperty(view, "buffer", { value: decoy });
      Object.defineProperty(view, "byteOffset", { value: 0 });
      return view;
    },
  },
  {
    name: "a Uint8Array subclass whose Symbol.species spans the whole arena",
    make: (arena) => new WholeArenaSpecies(arena, WINDOW_AT, WINDOW),
  },
];

/** A Proxy around a real window that claims 4096 bytes: not a buffer at all. */
export function proxiedView(arena: ArrayBuffer): Uint8Array {
  const target = new Uint8Array(arena, WINDOW_AT, WINDOW);
  return new Proxy(target, {
    get(t, key) {
      if (key === "length" || key === "byteLength") return CLAIM;
      const value = Reflect.get(t, key, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

/** A view whose buffer has been transferred away (detached). */
export function detachedView(): Uint8Array {
  const buffer = new ArrayBuffer(64);
  const view = new Uint8Array(buffer, 8, WINDOW);
  structuredClone(buffer, { transfer: [buffer] });
  if (buffer.byteLength !== 0) throw new Error("premise: the buffer is detached");
  return view;
}

/** An arena filled with `fill`, its window holding 1..8 when `pattern` is set. */
export function arena(fill: number, pattern = false): ArrayBuffer {
  const bytes = new Uint8Array(ARENA).fill(fill);
  if (pattern) { for (let i = 0; i < WINDOW; i++) bytes[WINDOW_AT + i] = i + 1; }
  return bytes.buffer;
}

/** The bytes 1..8 the writing tests put in the window. */
export const WINDOW_PATTERN: readonly number[] = Array.from({ length: WINDOW }, (_, i) => i + 1);

/**
 * Where `arena` differs from `fill` outside the window (`-1` when nowhere): the
 * first byte a call wrote that it should not have.
 */
export function firstStrayWrite(arena: ArrayBuffer, fill: number): number {
  const bytes = new Uint8Array(arena);
  for (let i = 0; i < bytes.length; i++) {
    if ((i < WINDOW_AT || i >= WINDOW_AT + WINDOW) && bytes[i] !== fill) return i;
  }
  return -1;
}

/** Replaces `%TypedArray%.prototype`'s `length` and `byteLength` with lying getters. */
export function withTamperedPrototype<R>(body: () => R): R {
  const prototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const saved = ["length", "byteLength"].map((name) =>
    [name, Object.getOwnPropertyDescriptor(prototype, name)!] as const
  );
  for (const [name, descriptor] of saved) {
    Object.defineProperty(prototype, name, { ...descriptor, get: () => CLAIM });
  }
  try {
    return body();
  } finally {
    for (const [name, descriptor] of saved) Object.defineProperty(prototype, name, descriptor);
  }
}
