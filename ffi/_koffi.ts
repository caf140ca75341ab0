/**
 * The fallback backend for Node without `node:ffi` (Node 20 to 25): the `koffi`
 * package, an optional peer dependency that the user installs.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { RawLibc } from "./libc.ts";
import { type NativeType, symbolsFor, type SymbolSpec } from "./symbols.ts";
import { builtinModule, cName, isWide, openLibc } from "./_native.ts";
import { offThread, offThreadSpecs, type OffThreadSymbols } from "./_off_thread.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => any;

type KoffiFunction = AnyFunction;

/** The part of `koffi` iomux uses. */
export interface Koffi {
  load(path: string): { func(name: string, result: string, parameters: string[]): KoffiFunction };
  errno(): number;
  decode(pointer: unknown, type: string, length: number): string;
}

const TYPES: Readonly<Record<NativeType, string>> = {
  i32: "int32",
  u32: "uint32",
  i64: "int64",
  u64: "uint64",
  isize: "int64",
  usize: "uint64",
  buffer: "void *",
  pointer: "void *",
  void: "void",
};

function requireKoffi(): Koffi {
  const module = builtinModule<{ createRequire(url: string): (id: string) => unknown }>("module");
  try {
    return module!.createRequire(import.meta.url)("koffi") as Koffi;
  } catch (e) {
    if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") {
      throw new Error(`iomux: cannot load koffi (${(e as Error).message})`, { cause: e });
    }
    throw new Error(
      "iomux needs an FFI: this runtime has no node:ffi (Node 26+ has it), so install " +
        "the koffi package beside iomux (npm install koffi)",
      { cause: e },
    );
  }
}

/** Binds one symbol; 64-bit results become BigInt, as in Deno. */
function bind(fn: KoffiFunction, spec: SymbolSpec): AnyFunction {
  return isWide(spec.result) ? (...args) => BigInt(fn(...args)) : fn;
}

/** Opens libc with koffi. */
export function loadKoffi(abi: Abi): RawLibc {
  const koffi = requireKoffi();
  const lib = openLibc(abi, (path) => koffi.load(path));
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of Object.entries(symbolsFor(abi))) {
    try {
      const parameters = spec.parameters.map((t) => TYPES[t]);
      const fn = lib.func(cName(key, spec), TYPES[spec.result], parameters);
      // Not fn.async: that parks the call in libuv's threadpool (see _off_thread.ts).
      symbols[key] = spec.nonblocking ? offThread("koffi", key) : bind(fn, spec);
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return {
    backend: "koffi",
    symbols,
    // koffi reads errno itself, right where it is left after the last call.
    errno: () => koffi.errno(),
    cString: (p) => p === null ? null : koffi.decode(p, "char", -1),
  };
}

/** The worker side of `offThread("koffi", …)`: buffers arrive as copies. */
export const offThreadSymbols: OffThreadSymbols = (abi) => {
  const koffi = requireKoffi();
  const lib = openLibc(abi, (path) => koffi.load(path));
  const bound: Record<string, AnyFunction> = {};
  for (const [key, spec] of offThreadSpecs(abi, "buffer")) {
    try {
      const parameters = spec.parameters.map((t) => TYPES[t]);
      bound[key] = bind(lib.func(cName(key, spec), TYPES[spec.result], parameters), spec);
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return bound;
};
