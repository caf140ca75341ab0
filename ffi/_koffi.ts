/**
 * The fallback backend for Node without `node:ffi` (Node 20 to 25): the `koffi`
 * package, an optional peer dependency that the user installs.
 *
 * @module
 */
import type { AnyFunction, Backend, NativeSpec, NativeType, RawLibc } from "./types.ts";
import { builtinModule, cName, isWide, openLibc, runtimeName } from "./_native.ts";
import { offThreadCalls, type WorkerLibrary, workerSymbols } from "./_off_thread.ts";

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
  /** libuv's `uv_poll_t` on Node's loop (koffi 2.9 and later). */
  node?: { poll?: KoffiPoll };
}

/** The events `koffi.node.poll` watches and reports. */
export interface KoffiPollEvents {
  readable?: boolean;
  writable?: boolean;
  disconnect?: boolean;
}

/** A `koffi.node.poll` handle: a `uv_poll_t` on Node's loop, started when made. */
export interface KoffiPollHandle {
  start(events: KoffiPollEvents, callback: KoffiPollCallback): void;
  stop(): void;
  ref(): void;
  unref(): void;
  close(): void;
}

/** Called from the loop with libuv's status (0, or a negative errno) and the events. */
export type KoffiPollCallback = (status: number, events: KoffiPollEvents) => void;

/** `koffi.node.poll(fd, events, callback)`. */
export type KoffiPoll = (
  fd: number,
  events: KoffiPollEvents,
  callback: KoffiPollCallback,
) => KoffiPollHandle;

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

interface NodeRequire {
  (id: string): unknown;
  resolve(id: string): string;
}

interface NodeModule {
  createRequire(from: string): NodeRequire;
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
/** Where koffi was found, for the off-thread worker to load the same one. */
let koffiPath = "";

function requireKoffi(): Koffi {
  if (koffi) return koffi;
  const module = builtinModule<NodeModule>("module")!;
  const process = builtinModule<NodeProcess>("process");
  let notFound: unknown;
  for (const origin of koffiSearchOrigins(import.meta.url, process)) {
    try {
      const require = module.createRequire(origin);
      koffiPath = require.resolve("koffi");
      return koffi = require(koffiPath) as Koffi;
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

/** What `lib.func` takes for one symbol. */
interface KoffiSignature {
  result: string;
  parameters: string[];
}

function koffiSignature(spec: NativeSpec): KoffiSignature {
  return { result: TYPES[spec.result], parameters: spec.parameters.map((t) => TYPES[t]) };
}

type OffThreadCall = (key: string) => AnyFunction;

/**
 * Binds `table` from `lib`; missing optional symbols are left out. The `nonblocking`
 * ones become `offThread`'s calls (not fn.async: that parks the call in libuv's
 * threadpool, see `_off_thread.ts`), or are left out without it.
 */
function bindLibrary(
  lib: KoffiLibrary,
  table: Table,
  offThread?: OffThreadCall,
): Record<string, AnyFunction> {
  const symbols: Record<string, AnyFunction> = {};
  for (const [key, spec] of Object.entries(table)) {
    try {
      const { result, parameters } = koffiSignature(spec);
      const fn = lib.func(cName(key, spec), result, parameters);
      if (!spec.nonblocking) symbols[key] = bind(fn, spec);
      else if (offThread) symbols[key] = offThread(key);
    } catch (e) {
      if (!spec.optional) throw e;
    }
  }
  return symbols;
}

/**
 * The off-thread calls of `table`'s `nonblocking` symbols, on workers that load
 * `library` with the koffi found here (libc, or `ws2_32.dll`'s `WSAPoll` on Windows).
 */
function offThreadFor(library: string, table: Table): OffThreadCall {
  return offThreadCalls({
    bindOnWorker,
    data: {
      koffi: koffiPath,
      library,
      symbols: workerSymbols(table, "buffer", (_, s) => koffiSignature(s)),
    },
  });
}

/** Opens libc with koffi. */
function loadLibc(libcNames: readonly string[], table: Table): RawLibc {
  const k = requireKoffi();
  let library = "";
  const lib = openLibc({ libcNames }, (path) => {
    const opened = k.load(path);
    library = path;
    return opened;
  });
  const symbols = bindLibrary(lib, table, offThreadFor(library, table));
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
  openLibrary: (path, table) =>
    bindLibrary(requireKoffi().load(path), table, offThreadFor(path, table)),
};

/** What the koffi worker needs beyond the library: where koffi itself is. */
interface KoffiWorkerData extends WorkerLibrary<KoffiSignature> {
  readonly koffi: string;
}

/**
 * The worker side of the off-thread calls (see `_off_thread.ts`): loads the koffi
 * the JS thread found, and binds the symbols with it; buffers arrive as copies.
 * Runs as source text on the worker, so it uses nothing but its argument and
 * globals. Results are `int`: none needs the BigInt of {@linkcode bind}.
 */
export function bindOnWorker(data: KoffiWorkerData): Record<string, AnyFunction> {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: "node:module"): NodeModule };
  };
  const koffi = process.getBuiltinModule("node:module").createRequire(data.koffi)(
    data.koffi,
  ) as Koffi;
  const lib = koffi.load(data.library);
  const bound: Record<string, AnyFunction> = {};
  for (const { key, name, optional, signature } of data.symbols) {
    try {
      bound[key] = lib.func(name, signature.result, signature.parameters);
    } catch (e) {
      if (!optional) throw e;
    }
  }
  return bound;
}

/**
 * koffi ahead of `node:ffi`: tried before it, and available only where koffi is
 * installed (then `koffiBackend`, tried last, reports that it is missing).
 */
export const koffiFirstBackend: Backend = {
  name: "koffi",
  available: () => runtimeName() === "node" && koffiPreferred(),
  loadLibc,
  openLibrary: (path, table) =>
    bindLibrary(requireKoffi().load(path), table, offThreadFor(path, table)),
};

/**
 * `koffi.node.poll`, for `watch/`'s koffi source; `undefined` where koffi is not
 * installed or is too old to have it, and off Node: Bun's libuv has no `uv_poll_t`
 * (its `uv_poll_init_socket` panics, "unsupported uv function").
 */
export function koffiNodePoll(): KoffiPoll | undefined {
  if (runtimeName() !== "node") return undefined;
  let k: Koffi;
  try {
    k = requireKoffi();
  } catch {
    return undefined;
  }
  const poll = k.node?.poll;
  return poll === undefined ? undefined : (fd, events, callback) => poll(fd, events, callback);
}
