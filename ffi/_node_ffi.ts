/**
 * The Node backend for Node 26 and later: the built-in, experimental `node:ffi`.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { RawLibc } from "./libc.ts";
import { type NativeType, symbolsFor } from "./symbols.ts";
import { builtinModule, cName, isWide, openLibc } from "./_native.ts";
import { offThread, offThreadSpecs, type OffThreadSymbols } from "./_off_thread.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => any;

interface Signature {
  arguments: string[];
  return: string;
}

/** The part of `node:ffi` iomux uses. */
export interface NodeFfi {
  dlopen(path: string): { lib: { getFunction(name: string, sig: Signature): AnyFunction } };
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

/** node:ffi takes 64-bit integers only as BigInt; Deno's notation allows numbers too. */
export function widenArguments(fn: AnyFunction, parameters: readonly NativeType[]): AnyFunction {
  const wide = parameters.flatMap((t, i) => isWide(t) ? [i] : []);
  if (wide.length === 0) return fn;
  return (...args) => {
    for (const i of wide) if (typeof args[i] === "number") args[i] = BigInt(args[i]);
    return fn(...args);
  };
}

/** Opens libc with `node:ffi`. */
export function loadNodeFfi(ffi: NodeFfi, abi: Abi): RawLibc {
  const { lib } = openLibc(abi, (path) => ffi.dlopen(path));
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of Object.entries(symbolsFor(abi))) {
    try {
      symbols[key] = spec.nonblocking ? offThread("node:ffi", key) : widenArguments(
        lib.getFunction(cName(key, spec), nodeSignature(spec.parameters, spec.result)),
        spec.parameters,
      );
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  const errnoPointer = symbols[abi.errnoFunction]!() as bigint;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(ffi.toArrayBuffer(errnoPointer, 4, false));
  return {
    backend: "node:ffi",
    symbols,
    errno: () => errnoCell[0]!,
    cString: (p) => p === null || p === 0n ? null : ffi.toString(p as bigint),
  };
}

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
