/**
 * The Bun backend: `bun:ffi`.
 *
 * @module
 */
import type {
  AnyFunction,
  Backend,
  NativeSpec,
  NativeType,
  RawLibc,
  WorkerBinding,
} from "./types.ts";
import { builtinModule, cName, openLibc, runtimeName } from "./_native.ts";
import {
  bindOffThread,
  type OffThreadBinding,
  type WorkerLibrary,
  workerSymbols,
} from "./_off_thread.ts";

type Table = Readonly<Record<string, NativeSpec>>;

interface Signature {
  args: string[];
  returns: string;
}

/** The part of `bun:ffi` iomux uses. */
export interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, Signature>,
  ): { symbols: Record<string, AnyFunction> };
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
  CString: new (pointer: number) => { toString(): string };
  ptr(view: ArrayBufferView): number;
}

// "ptr" rather than "buffer": Bun's "buffer" refuses null, "ptr" takes typed arrays and null.
const TYPES: Readonly<Record<NativeType, string>> = {
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  isize: "i64",
  usize: "u64",
  buffer: "ptr",
  pointer: "ptr",
  void: "void",
};

/** Translates one symbol of the table to a `bun:ffi` signature. */
export function bunSignature(key: string, spec: NativeSpec): Record<string, Signature> {
  return {
    [cName(key, spec)]: { args: spec.parameters.map((t) => TYPES[t]), returns: TYPES[spec.result] },
  };
}

function ffi(): BunFfi {
  return builtinModule<BunFfi>("bun:ffi")!;
}

type Open = (signatures: Record<string, Signature>) => { symbols: Record<string, AnyFunction> };

/**
 * Binds the synchronous symbols of `table` with `open`. One dlopen fails whole
 * when a symbol is missing: the required symbols are bound together and each
 * optional one on its own.
 */
function bindLibrary(open: Open, table: Table): Record<string, AnyFunction> {
  const entries = Object.entries(table).filter(([, spec]) => !spec.nonblocking);
  const required = Object.assign(
    {},
    ...entries.filter(([, s]) => !s.optional).map(([k, s]) => bunSignature(k, s)),
  );
  const lib = open(required);
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of entries) {
    if (!spec.optional) {
      symbols[key] = lib.symbols[cName(key, spec)]!;
      continue;
    }
    try {
      symbols[key] = open(bunSignature(key, spec)).symbols[cName(key, spec)]!;
    } catch {
      // absent on this platform
    }
  }
  return symbols;
}

/**
 * Adds the `nonblocking` symbols of `table` to `symbols`: calls run on worker threads
 * that open `library` themselves (libc, or `ws2_32.dll`'s `WSAPoll` on Windows).
 */
/** The worker-side binding of `table`'s symbols from `library`. */
function workerBinding(
  library: string,
  table: Table,
): OffThreadBinding<WorkerLibrary<Record<string, Signature>>> & WorkerBinding {
  return {
    bindOnWorker,
    data: {
      library,
      symbols: workerSymbols(table, "pointer", (key, spec) => bunSignature(key, spec)),
    },
    address: (view: ArrayBufferView) => ffi().ptr(view),
  };
}

function withOffThread(
  symbols: Record<string, AnyFunction>,
  library: string,
  table: Table,
): Record<string, AnyFunction> {
  return bindOffThread(symbols, table, () => workerBinding(library, table));
}

/** Opens libc with `bun:ffi`. */
function loadLibc(libcNames: readonly string[], table: Table, errnoFunction: string): RawLibc {
  let library = "";
  const open: Open = (signatures) =>
    openLibc({ libcNames }, (path) => {
      const lib = ffi().dlopen(path, signatures);
      library ||= path; // the one the required symbols loaded from
      return lib;
    });
  const symbols = withOffThread(bindLibrary(open, table), library, table);
  const worker = workerBinding(library, table);
  const errnoPointer = symbols[errnoFunction]!() as number;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(ffi().toArrayBuffer(errnoPointer, 0, 4));
  return {
    backend: "bun:ffi",
    symbols,
    worker,
    errno: () => errnoCell[0]!,
    cString: (p) => p ? new (ffi().CString)(p as number).toString() : null,
  };
}

/** The Bun backend. */
export const bunBackend: Backend = {
  name: "bun:ffi",
  available: () => runtimeName() === "bun",
  loadLibc,
  openLibrary: (path, table) =>
    withOffThread(bindLibrary((signatures) => ffi().dlopen(path, signatures), table), path, table),
};

/**
 * The worker side of the off-thread calls (see `_off_thread.ts`): binds each symbol
 * with the worker's own `bun:ffi` (one dlopen each, so that a missing optional one
 * fails alone), buffers taken as raw addresses. Runs as source text on the worker,
 * so it uses nothing but its argument and globals.
 */
export function bindOnWorker(
  data: WorkerLibrary<Record<string, Signature>>,
): Record<string, AnyFunction> {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: "bun:ffi"): BunFfi };
  };
  const ffi = process.getBuiltinModule("bun:ffi");
  const bound: Record<string, AnyFunction> = {};
  for (const { key, name, optional, signature } of data.symbols) {
    try {
      bound[key] = ffi.dlopen(data.library, signature).symbols[name]!;
    } catch (e) {
      if (!optional) throw e;
    }
  }
  return bound;
}
