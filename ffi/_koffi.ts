/**
 * The fallback backend for Node without `node:ffi` (Node 20 to 25): the `koffi`
 * package, an optional peer dependency that the user installs.
 *
 * @module
 */
import type { AnyFunction, Backend, NativeSpec, NativeType, RawLibc } from "./types.ts";
import { builtinModule, cName, isWide, openLibc, runtimeName } from "./_native.ts";
import { offThread, offThreadSpecs, type OffThreadSymbols } from "./_off_thread.ts";

type Table = Readonly<Record<string, NativeSpec>>;

type KoffiFunction = AnyFunction;

interface KoffiLibrary {
  func(name: string, result: string, parameters: string[]): KoffiFunction;
}

/** The part of `koffi` iomux uses. */
export interface Koffi {
  load(path: string): KoffiLibrary;
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

interface NodeModule {
  createRequire(from: string): (id: string) => unknown;
}

interface NodeProcess {
  cwd(): string;
  argv: readonly string[];
}

/**
 * Where to look koffi up, in order: beside iomux itself, then from the
 * application. The second matters when iomux is symlinked into the application
 * (`npm install ../iomux`, `npm link`, a workspace): Node resolves from the
 * symlink's target, a directory outside the application's `node_modules`.
 */
export function koffiSearchOrigins(moduleUrl: string, process: NodeProcess | undefined): string[] {
  const origins = [moduleUrl];
  if (process) {
    origins.push(`${process.cwd()}/`);
    const main = process.argv[1];
    if (main) origins.push(main);
  }
  return origins;
}

let koffi: Koffi | undefined;

function requireKoffi(): Koffi {
  if (koffi) return koffi;
  const module = builtinModule<NodeModule>("module")!;
  const process = builtinModule<NodeProcess>("process");
  let notFound: unknown;
  for (const origin of koffiSearchOrigins(import.meta.url, process)) {
    try {
      return koffi = module.createRequire(origin)("koffi") as Koffi;
    } catch (e) {
      if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") {
        throw new Error(`iomux: cannot load koffi (${(e as Error).message})`, { cause: e });
      }
      notFound ??= e;
    }
  }
  throw new Error(
    "iomux needs an FFI: this runtime has no node:ffi (Node 26+ has it), so install " +
      "the koffi package beside iomux (npm install koffi)",
    { cause: notFound },
  );
}

/**
 * Whether koffi loads here. On Node 26+ it is still preferred to `node:ffi`, whose
 * fast calls stop at 3 arguments: a 4-argument call (`epoll_wait`, `recv`, `send`)
 * costs about 470 ns there against about 100 ns through koffi. `IOMUX_FFI=node:ffi`
 * in the environment keeps `node:ffi`.
 */
function koffiPreferred(): boolean {
  const env = builtinModule<{ env: Record<string, string | undefined> }>("process")?.env;
  if (env?.IOMUX_FFI === "node:ffi") return false;
  try {
    requireKoffi();
    return true;
  } catch {
    return false;
  }
}

/** Binds one symbol; 64-bit results become BigInt, as in Deno. */
function bind(fn: KoffiFunction, spec: NativeSpec): AnyFunction {
  return isWide(spec.result) ? (...args) => BigInt(fn(...args)) : fn;
}

/** Binds `table` from `lib`; missing optional symbols are left out. */
function bindLibrary(lib: KoffiLibrary, table: Table): Record<string, AnyFunction> {
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of Object.entries(table)) {
    try {
      const parameters = spec.parameters.map((t) => TYPES[t]);
      const fn = lib.func(cName(key, spec), TYPES[spec.result], parameters);
      // Not fn.async: that parks the call in libuv's threadpool (see _off_thread.ts).
      symbols[key] = spec.nonblocking ? offThread("koffi", key) : bind(fn, spec);
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return symbols;
}

/** Opens libc with koffi. */
function loadLibc(libcNames: readonly string[], table: Table): RawLibc {
  const k = requireKoffi();
  const symbols = bindLibrary(openLibc({ libcNames }, (path) => k.load(path)), table);
  return {
    backend: "koffi",
    symbols,
    // koffi reads errno itself, right where it is left after the last call.
    errno: () => k.errno(),
    cString: (p) => p === null ? null : k.decode(p, "char", -1),
  };
}

/** The koffi backend: any Node, when koffi is installed. */
export const koffiBackend: Backend = {
  name: "koffi",
  available: () => runtimeName() === "node",
  loadLibc,
  openLibrary: (path, table) => bindLibrary(requireKoffi().load(path), table),
};

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

/**
 * koffi ahead of `node:ffi`: tried before it, and available only where koffi is
 * installed (then `koffiBackend`, tried last, reports that it is missing).
 */
export const koffiFirstBackend: Backend = {
  name: "koffi",
  available: () => runtimeName() === "node" && koffiPreferred(),
  loadLibc,
  openLibrary: (path, table) => bindLibrary(requireKoffi().load(path), table),
};
