/**
 * The Bun backend: `bun:ffi`.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { RawLibc } from "./libc.ts";
import { type NativeType, symbolsFor, type SymbolSpec } from "./symbols.ts";
import { builtinModule, cName, openLibc } from "./_native.ts";
import { offThread, offThreadSpecs, type OffThreadSymbols } from "./_off_thread.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => any;

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
export function bunSignature(key: string, spec: SymbolSpec): Record<string, Signature> {
  return {
    [cName(key, spec)]: { args: spec.parameters.map((t) => TYPES[t]), returns: TYPES[spec.result] },
  };
}

/** Opens libc with `bun:ffi`. */
export function loadBun(abi: Abi): RawLibc {
  const ffi = builtinModule<BunFfi>("bun:ffi")!;
  const table = Object.entries(symbolsFor(abi)).filter(([, spec]) => !spec.nonblocking);
  // One dlopen fails whole when a symbol is missing: bind the required symbols
  // together and each optional one on its own.
  const required = Object.assign(
    {},
    ...table.filter(([, s]) => !s.optional).map(([k, s]) => bunSignature(k, s)),
  );
  const lib = openLibc(abi, (path) => ffi.dlopen(path, required));
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of table) {
    if (!spec.optional) {
      symbols[key] = lib.symbols[cName(key, spec)]!;
      continue;
    }
    try {
      symbols[key] = openLibc(abi, (path) => ffi.dlopen(path, bunSignature(key, spec)))
        .symbols[cName(key, spec)]!;
    } catch {
      // absent on this platform
    }
  }
  for (const [key, spec] of Object.entries(symbolsFor(abi))) {
    if (spec.nonblocking) symbols[key] = offThread("bun:ffi", key);
  }
  const errnoPointer = symbols[abi.errnoFunction]!() as number;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(ffi.toArrayBuffer(errnoPointer, 0, 4));
  return {
    backend: "bun:ffi",
    symbols,
    errno: () => errnoCell[0]!,
    cString: (p) => p ? new ffi.CString(p as number).toString() : null,
  };
}

/** The worker side of `offThread("bun:ffi", …)`: buffers arrive as raw addresses. */
export const offThreadSymbols: OffThreadSymbols = (abi) => {
  const ffi = builtinModule<BunFfi>("bun:ffi")!;
  const bound: Record<string, AnyFunction> = {};
  for (const [key, spec] of offThreadSpecs(abi, "pointer")) {
    try {
      bound[key] = openLibc(abi, (path) => ffi.dlopen(path, bunSignature(key, spec)))
        .symbols[cName(key, spec)]!;
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return bound;
};
