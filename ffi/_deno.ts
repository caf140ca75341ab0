/**
 * The Deno backend: `Deno.dlopen`. Its notation is the resolved table's own, so
 * the table is handed over as it is.
 *
 * @module
 */
import type { AnyFunction, Backend, NativeSpec, RawLibc } from "./types.ts";
import {
  openLibc,
  runtimeName,
  withBigIntArguments,
  withCachedPointers,
  withPointers,
} from "./_native.ts";
import { type WorkerLibrary, workerSymbols } from "./_off_thread.ts";

type Table = Readonly<Record<string, NativeSpec>>;

/** Binds `table` from the library at `path`, size_t parameters as BigInt. */
function bindLibrary(path: string, table: Table): Record<string, AnyFunction> {
  const lib = Deno.dlopen(path, table as unknown as Deno.ForeignLibraryInterface);
  const bound = lib.symbols as unknown as Record<string, AnyFunction | null>;
  const out: Record<string, AnyFunction> = {};
  for (const [key, spec] of Object.entries(table)) {
    const f = bound[key];
    if (f) out[key] = withBigIntSizes(f, spec);
  }
  return out;
}

/**
 * Deno takes a JS number in a 64-bit (`usize`) slot only on its slow path; a BigInt
 * keeps the fast one. Callers pass `size_t` byte counts as numbers, so they are
 * converted here. `nfds_t` is not: callers pass it in its own width (`toNfds`), once
 * per set of fds.
 */
function withBigIntSizes(f: AnyFunction, spec: NativeSpec): AnyFunction {
  const sizes = spec.parameters.flatMap((t, i) => t === "usize" ? [i] : []);
  return withBigIntArguments(f, spec.parameters.length, sizes);
}

/** Opens libc with Deno's FFI. */
function loadLibc(libcNames: readonly string[], table: Table, errnoFunction: string): RawLibc {
  const declared = withPointers(table);
  let library = "";
  const symbols = openLibc({ libcNames }, (path) => {
    const bound = bindLibrary(path, declared);
    library = path;
    return bound;
  });
  withCachedPointers(symbols, table, declared, (bytes) => Deno.UnsafePointer.of(bytes), null);
  const errnoPointer = symbols[errnoFunction]!() as Deno.PointerObject;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(Deno.UnsafePointerView.getArrayBuffer(errnoPointer, 4));
  return {
    backend: "deno",
    symbols,
    worker: {
      bindOnWorker,
      data: { library, symbols: workerSymbols(table, "pointer", (_key, spec) => spec) },
      address: (view) =>
        Deno.UnsafePointer.value(Deno.UnsafePointer.of(view as Uint8Array<ArrayBuffer>)),
    },
    errno: () => errnoCell[0]!,
    cString: (p: unknown) =>
      p === null ? null : Deno.UnsafePointerView.getCString(p as Deno.PointerObject),
  };
}

/** The Deno backend. */
export const denoBackend: Backend = {
  name: "deno",
  available: () => runtimeName() === "deno",
  loadLibc,
  openLibrary: bindLibrary,
};

/**
 * The worker side of a thread that makes blocking calls (`watch/_source_worker.ts`):
 * binds each symbol with the worker's own `Deno.dlopen` (one each, so that a missing
 * optional one fails alone); a `pointer` argument arrives as a raw address and becomes
 * a pointer object here. Runs as source text on the worker, so it uses nothing but
 * its argument and globals.
 */
export function bindOnWorker(data: WorkerLibrary<NativeSpec>): Record<string, AnyFunction> {
  const bound: Record<string, AnyFunction> = {};
  for (const { key, name, optional, signature } of data.symbols) {
    let f: AnyFunction;
    try {
      const lib = Deno.dlopen(data.library, { [name]: signature } as Deno.ForeignLibraryInterface);
      f = lib.symbols[name] as unknown as AnyFunction;
    } catch (e) {
      if (!optional) throw e;
      continue;
    }
    const pointers = signature.parameters.flatMap((t, i) => t === "pointer" ? [i] : []);
    bound[key] = (...args) => {
      for (const i of pointers) args[i] = Deno.UnsafePointer.create(args[i]);
      return f(...args);
    };
  }
  return bound;
}
