/**
 * The Node backend for Node 26 and later: the built-in, experimental `node:ffi`.
 *
 * @module
 */
import type { AnyFunction, Backend, NativeSpec, NativeType, RawLibc } from "./types.ts";
import {
  builtinModule,
  cName,
  isWide,
  openLibc,
  runtimeName,
  withBigIntArguments,
  withCachedPointers,
  withPointers,
} from "./_native.ts";
import { bindOffThread, type WorkerLibrary, workerSymbols } from "./_off_thread.ts";

type Table = Readonly<Record<string, NativeSpec>>;

interface Signature {
  arguments: string[];
  return: string;
}

interface NodeLibrary {
  getFunction(name: string, sig: Signature): AnyFunction;
}

/** The part of `node:ffi` iomux uses. */
export interface NodeFfi {
  dlopen(path: string): { lib: NodeLibrary };
  toArrayBuffer(pointer: bigint, length: number, copy: boolean): ArrayBuffer;
  toString(pointer: bigint): string;
  getRawPointer(view: ArrayBufferView): bigint;
}

const TYPES: Readonly<Record<NativeType, string>> = {
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  isize: "i64",
  usize: "u64",
  buffer: "buffer",
  pointer: "pointer",
  void: "void",
};

/** Translates one symbol of the table to a `node:ffi` signature. */
export function nodeSignature(parameters: readonly NativeType[], result: NativeType): Signature {
  return { arguments: parameters.map((t) => TYPES[t]), return: TYPES[result] };
}

/** node:ffi takes 64-bit integers only as BigInt; callers pass numbers too. */
export function widenArguments(fn: AnyFunction, parameters: readonly NativeType[]): AnyFunction {
  const wide = parameters.flatMap((t, i) => isWide(t) ? [i] : []);
  return withBigIntArguments(fn, parameters.length, wide);
}

/** `node:ffi`, absent before Node 26 and when disabled (--no-experimental-ffi). */
function ffi(): NodeFfi | undefined {
  return builtinModule<NodeFfi>("node:ffi");
}

/**
 * Binds the synchronous symbols of `table` from `lib`; missing optional ones are left
 * out. node:ffi binds one C function once per library handle ("already requested with
 * a different signature"), so a second signature of the same function (`ioctl` with
 * an int and with a buffer) is bound from another handle of the same library, opened
 * by `reopen`. Numbers are widened to BigInt where `original` (the caller's table,
 * before `withPointers`) declares a 64-bit integer.
 */
function bindLibrary(
  lib: NodeLibrary,
  table: Table,
  reopen: () => NodeLibrary,
  original: Table = table,
): Record<string, AnyFunction> {
  const symbols: Record<string, AnyFunction> = {};
  const handles: { lib: NodeLibrary; signatures: Map<string, string> }[] = [
    { lib, signatures: new Map() },
  ];
  for (const [key, spec] of Object.entries(table)) {
    if (spec.nonblocking) continue;
    const name = cName(key, spec);
    const signature = nodeSignature(spec.parameters, spec.result);
    const text = JSON.stringify(signature);
    let handle = handles.find((h) => (h.signatures.get(name) ?? text) === text);
    if (handle === undefined) {
      handle = { lib: reopen(), signatures: new Map() };
      handles.push(handle);
    }
    try {
      // Widened as the caller's table declares it: an address `withPointers` made a
      // uint64_t is a BigInt already.
      const declared = original[key] ?? spec;
      symbols[key] = widenArguments(handle.lib.getFunction(name, signature), declared.parameters);
      handle.signatures.set(name, text);
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return symbols;
}

/**
 * Adds the `nonblocking` symbols of `table` to `symbols`: calls run on worker threads
 * that open `library` themselves (libc, or `ws2_32.dll`'s `WSAPoll` on Windows).
 */
function withOffThread(
  symbols: Record<string, AnyFunction>,
  library: string,
  table: Table,
): Record<string, AnyFunction> {
  return bindOffThread(
    symbols,
    table,
    () => ({
      bindOnWorker,
      data: {
        library,
        symbols: workerSymbols(table, "pointer", (_, s) => nodeSignature(s.parameters, s.result)),
      },
      address: (view) => ffi()!.getRawPointer(view),
    }),
    (call, spec) => widenArguments(call, spec.parameters),
  );
}

/** Opens libc with `node:ffi`. */
function loadLibc(libcNames: readonly string[], table: Table, errnoFunction: string): RawLibc {
  const node = ffi()!;
  let library = "";
  const { lib } = openLibc({ libcNames }, (path) => {
    const opened = node.dlopen(path);
    library = path;
    return opened;
  });
  // A `pointer` argument costs node:ffi a check for strings and buffers on every call
  // (about 25 ns of a 4-argument call); the cached address of a persistent buffer is
  // a BigInt already, and every 64-bit ABI passes a pointer and a uint64_t alike.
  const declared = withPointers(table, "u64");
  const symbols = withOffThread(
    bindLibrary(lib, declared, () => node.dlopen(library).lib, table),
    library,
    table,
  );
  withCachedPointers(symbols, table, declared, (bytes) => node.getRawPointer(bytes), 0n);
  const errnoPointer = symbols[errnoFunction]!() as bigint;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(node.toArrayBuffer(errnoPointer, 4, false));
  return {
    backend: "node:ffi",
    symbols,
    errno: () => errnoCell[0]!,
    cString: (p) => p === null || p === 0n ? null : node.toString(p as bigint),
  };
}

/** The `node:ffi` backend. */
export const nodeFfiBackend: Backend = {
  name: "node:ffi",
  available: () => runtimeName() === "node" && ffi() !== undefined,
  loadLibc,
  openLibrary: (path, table) =>
    withOffThread(
      bindLibrary(ffi()!.dlopen(path).lib, table, () => ffi()!.dlopen(path).lib),
      path,
      table,
    ),
};

/**
 * The worker side of the off-thread calls (see `_off_thread.ts`): binds the symbols
 * with the worker's own `node:ffi`, buffers taken as raw addresses. Runs as source
 * text on the worker, so it uses nothing but its argument and globals. That
 * `node:ffi` warns again on each thread: the JS thread has said it once already, so
 * the worker's ExperimentalWarning is dropped here (`execArgv` with
 * `--disable-warning` cannot do it: a Worker refuses an `execArgv` that holds a
 * per-process flag such as `--max-old-space-size`, which the user may have given).
 */
export function bindOnWorker(data: WorkerLibrary<Signature>): Record<string, AnyFunction> {
  const { process } = globalThis as unknown as {
    process: {
      getBuiltinModule(id: "node:ffi"): NodeFfi;
      emitWarning(warning: unknown, ...rest: unknown[]): void;
    };
  };
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string })?.type;
    if (type !== "ExperimentalWarning") emitWarning.call(process, warning, ...rest);
  };
  let ffi: NodeFfi;
  try {
    ffi = process.getBuiltinModule("node:ffi");
  } finally {
    process.emitWarning = emitWarning;
  }
  const { lib } = ffi.dlopen(data.library);
  const bound: Record<string, AnyFunction> = {};
  for (const { key, name, optional, signature } of data.symbols) {
    try {
      bound[key] = lib.getFunction(name, signature);
    } catch (e) {
      if (!optional) throw e;
    }
  }
  return bound;
}

/** The process's own symbols (libuv's among them) through `node:ffi`, for `watch/`'s uv_poll source. */
export interface ProcessSymbols {
  /** Binds one function of the process, `parameters` and `result` in `symbols.ts` notation. */
  bind(name: string, parameters: readonly NativeType[], result: NativeType): AnyFunction;
  /**
   * A C function pointer that calls `fn` on this thread, kept alive for the process's
   * life (node:ffi holds a callback weakly unless it is ref'd).
   */
  callback(parameters: readonly NativeType[], result: NativeType, fn: AnyFunction): bigint;
  /** The address of a view's bytes; `ArrayBuffer`-backed views only (they never move). */
  address(view: ArrayBufferView): bigint;
  /** This thread's libuv loop (`uv_loop_t *`): Node's own, or a Worker's. */
  eventLoop(): bigint;
}

interface NodeFfiProcess extends NodeFfi {
  DynamicLibrary: new (path: string | null) => NodeLibrary & {
    registerCallback(sig: Signature, fn: AnyFunction): bigint;
    refCallback(pointer: bigint): void;
  };
  getCurrentEventLoop(): bigint;
}

let processLibrary: ProcessSymbols | undefined;

/**
 * The running program's own symbols (`dlopen(NULL)`), or `undefined` where
 * `node:ffi` is missing or lacks what this needs, and off Node (Bun's libuv
 * functions for N-API have no `uv_poll_t`: they panic).
 */
export function processSymbols(): ProcessSymbols | undefined {
  if (processLibrary) return processLibrary;
  if (runtimeName() !== "node") return undefined;
  const node = ffi() as NodeFfiProcess | undefined;
  if (node?.DynamicLibrary === undefined || node.getCurrentEventLoop === undefined) return;
  const lib = new node.DynamicLibrary(null);
  return processLibrary = {
    bind: (name, parameters, result) =>
      widenArguments(lib.getFunction(name, nodeSignature(parameters, result)), parameters),
    callback: (parameters, result, fn) => {
      const pointer = lib.registerCallback(nodeSignature(parameters, result), fn);
      lib.refCallback(pointer);
      return pointer;
    },
    address: (view) => node.getRawPointer(view),
    eventLoop: () => node.getCurrentEventLoop(),
  };
}
