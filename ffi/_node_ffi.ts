/**
 * The Node backend for Node 26 and later: the built-in, experimental `node:ffi`.
 *
 * @module
 */
import type { AnyFunction, Backend, NativeSpec, NativeType, RawLibc } from "./types.ts";
import { builtinModule, cName, isWide, openLibc, runtimeName } from "./_native.ts";
import { offThread, offThreadSpecs, type OffThreadSymbols } from "./_off_thread.ts";

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
  if (wide.length === 0) return fn;
  return (...args) => {
    for (const i of wide) if (typeof args[i] === "number") args[i] = BigInt(args[i]);
    return fn(...args);
  };
}

/** `node:ffi`, absent before Node 26 and when disabled (--no-experimental-ffi). */
function ffi(): NodeFfi | undefined {
  return builtinModule<NodeFfi>("node:ffi");
}

/** Binds the synchronous symbols of `table` from `lib`; missing optional ones are left out. */
function bindLibrary(lib: NodeLibrary, table: Table): Record<string, AnyFunction> {
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of Object.entries(table)) {
    if (spec.nonblocking) continue;
    try {
      symbols[key] = widenArguments(
        lib.getFunction(cName(key, spec), nodeSignature(spec.parameters, spec.result)),
        spec.parameters,
      );
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return symbols;
}

/** Opens libc with `node:ffi`. */
function loadLibc(libcNames: readonly string[], table: Table, errnoFunction: string): RawLibc {
  const node = ffi()!;
  const { lib } = openLibc({ libcNames }, (path) => node.dlopen(path));
  const symbols = bindLibrary(lib, table);
  for (const [key, spec] of Object.entries(table)) {
    if (spec.nonblocking) symbols[key] = offThread("node:ffi", key);
  }
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
  openLibrary: (path, table) => bindLibrary(ffi()!.dlopen(path).lib, table),
};

/** The worker side of `offThread("node:ffi", …)`: buffers arrive as raw addresses. */
export const offThreadSymbols: OffThreadSymbols = (abi) => {
  const ffi = builtinModule<NodeFfi>("node:ffi")!;
  const { lib } = openLibc(abi, (path) => ffi.dlopen(path));
  const bound: Record<string, AnyFunction> = {};
  for (const [key, spec] of offThreadSpecs(abi, "pointer")) {
    try {
      const fn = lib.getFunction(cName(key, spec), nodeSignature(spec.parameters, spec.result));
      bound[key] = widenArguments(fn, spec.parameters);
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return bound;
};
