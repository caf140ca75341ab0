/**
 * The Deno backend: `Deno.dlopen`. Its notation is the resolved table's own, so
 * the table is handed over as it is.
 *
 * @module
 */
import type { AnyFunction, Backend, NativeSpec, RawLibc } from "./types.ts";
import { openLibc, runtimeName } from "./_native.ts";
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
 * Deno takes a JS number in a 64-bit (`usize`) slot only on its slow path (about
 * +170 ns a call, measured on `read`); a BigInt keeps the fast one. Callers pass
 * `size_t` byte counts as numbers, so they are converted here. `nfds_t` is not:
 * callers pass it in its own width (`toNfds`), once per set of fds.
 */
function withBigIntSizes(f: AnyFunction, spec: NativeSpec): AnyFunction {
  const sizes = spec.parameters.flatMap((t, i) => t === "usize" ? [i] : []);
  if (sizes.length === 0) return f;
  const big = (n: unknown) => typeof n === "number" ? BigInt(n) : n;
  // The shape of read, write, recv, send, recvfrom and sendto: fixed arities, no
  // rest arguments, on the hottest calls.
  if (sizes.length === 1 && sizes[0] === 2) {
    switch (spec.parameters.length) {
      case 3:
        return (a, b, n) => f(a, b, big(n));
      case 4:
        return (a, b, n, d) => f(a, b, big(n), d);
      case 6:
        return (a, b, n, d, e, g) => f(a, b, big(n), d, e, g);
    }
  }
  return (...args) => {
    for (const i of sizes) args[i] = big(args[i]);
    return f(...args);
  };
}

/**
 * The buffer parameter of the waits whose buffer is persistent (an `Epoll`'s events,
 * a `Poll`'s records: the same array call after call). Deno converts a `Uint8Array`
 * argument to a pointer on every call (about 22 ns); a pointer taken once and passed
 * as `pointer` costs nothing. Above `ffi/` the call still takes the typed array.
 */
const PERSISTENT_BUFFER: Readonly<Record<string, number>> = { epoll_wait: 1, poll: 0 };

/** `table` with each persistent buffer parameter declared as a pointer. */
function withPointers(table: Table): Table {
  const out: Record<string, NativeSpec> = { ...table };
  for (const [key, at] of Object.entries(PERSISTENT_BUFFER)) {
    const spec = table[key];
    if (spec?.parameters[at] !== "buffer") continue;
    out[key] = { ...spec, parameters: spec.parameters.map((t, i) => i === at ? "pointer" : t) };
  }
  return out;
}

/**
 * Calls `f` with the pointer of its buffer argument at `at`, taken again only when
 * the array differs from the last call's. Reading `.buffer` first moves an array the
 * engine kept inside the JS heap to memory of its own, which garbage collection never
 * moves; the cached array is held, so its memory outlives the pointer.
 */
function withCachedPointer(f: AnyFunction, at: number): AnyFunction {
  let last: Uint8Array | null = null;
  let pointer: Deno.PointerValue = null;
  const pointerOf = (bytes: Uint8Array | null): Deno.PointerValue => {
    if (bytes !== last) {
      last = bytes;
      pointer = null;
      if (bytes !== null && bytes.byteLength > 0) {
        void bytes.buffer;
        pointer = Deno.UnsafePointer.of(bytes as Uint8Array<ArrayBuffer>);
      }
    }
    return pointer;
  };
  // Fixed arities: poll(fds, nfds, timeout) and epoll_wait(epfd, events, max, timeout).
  return at === 0
    ? (fds, nfds, ms) => f(pointerOf(fds as Uint8Array | null), nfds, ms)
    : (epfd, events, max, ms) => f(epfd, pointerOf(events as Uint8Array | null), max, ms);
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
  for (const [key, at] of Object.entries(PERSISTENT_BUFFER)) {
    const f = symbols[key];
    if (f && declared[key] !== table[key]) symbols[key] = withCachedPointer(f, at);
  }
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
