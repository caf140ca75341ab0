/**
 * The one place that asks which JavaScript runtime this is (Deno, Bun or Node) and
 * reads what only a runtime knows: its OS and CPU names, the environment, its
 * built-in modules. Also what the backends share for opening libraries. Nothing
 * else in iomux names a runtime outside the backends (`_deno.ts`, `_bun.ts`,
 * `_node_ffi.ts`, `_koffi.ts`).
 *
 * @module
 */
import type { AnyFunction, NativeSpec, NativeType } from "./types.ts";

/** The JavaScript runtimes iomux knows. */
export type RuntimeName = "deno" | "bun" | "node" | "unknown";

interface RuntimeGlobals {
  Deno?: {
    dlopen?: unknown;
    build: { os: string; arch: string };
    env: { get(name: string): string | undefined };
  };
  Bun?: unknown;
  process?: {
    platform: string;
    arch: string;
    env: Record<string, string | undefined>;
    getBuiltinModule?(id: string): unknown;
  };
}

const g = globalThis as RuntimeGlobals;

/** Which runtime runs iomux: the one detection point. */
export function runtimeName(): RuntimeName {
  if (typeof g.Deno?.dlopen === "function") return "deno";
  if (g.Bun) return "bun";
  if (g.process?.getBuiltinModule) return "node";
  return "unknown";
}

/** The running platform as `os-arch` in Deno's spelling (`linux-x86_64`). */
export function platformKey(): string {
  if (g.Deno) return `${g.Deno.build.os}-${g.Deno.build.arch}`;
  if (g.process) {
    const arch = g.process.arch;
    // Node and Bun say "win32" where Deno says "windows".
    const os = g.process.platform === "win32" ? "windows" : g.process.platform;
    return `${os}-${arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch}`;
  }
  return "unknown-unknown";
}

/** An environment variable, or `undefined` when unset or unreadable (Deno without --allow-env). */
export function environmentVariable(name: string): string | undefined {
  try {
    return g.Deno ? g.Deno.env.get(name) : g.process?.env[name];
  } catch {
    return undefined;
  }
}

/** A built-in module (`node:ffi`, `bun:ffi`), or undefined where the runtime lacks it. */
export function builtinModule<T>(id: string): T | undefined {
  return g.process?.getBuiltinModule?.(id) as T | undefined;
}

/** Whether a type is 64 bits wide (every ABI iomux supports is LP64). */
export function isWide(type: NativeType): boolean {
  return type === "i64" || type === "u64" || type === "isize" || type === "usize";
}

/**
 * `f` with the JS numbers of its 64-bit parameters at `wide` turned into BigInt, for
 * the FFIs that take such a slot fast only as a BigInt (Deno: a number costs about
 * +170 ns a call, measured on `read`; `node:ffi` takes BigInt only). Each BigInt is a
 * heap object: the last count's is kept, so that a call repeated with the same count
 * (a read into the same buffer, an echo's same-sized send) allocates nothing in
 * steady state. The hottest shapes (read, write, recv, send, recvfrom, sendto: one
 * count, third) get fixed arities, no rest arguments.
 */
export function withBigIntArguments(
  f: AnyFunction,
  arity: number,
  wide: readonly number[],
): AnyFunction {
  if (wide.length === 0) return f;
  let lastNumber = NaN;
  let lastBig = 0n;
  const big = (n: unknown) => {
    if (typeof n !== "number") return n;
    if (n !== lastNumber) {
      lastBig = BigInt(n);
      lastNumber = n;
    }
    return lastBig;
  };
  if (wide.length === 1 && wide[0] === 2) {
    switch (arity) {
      case 3:
        return (a, b, n) => f(a, b, big(n));
      case 4:
        return (a, b, n, d) => f(a, b, big(n), d);
      case 6:
        return (a, b, n, d, e, g) => f(a, b, big(n), d, e, g);
    }
  }
  return (...args) => {
    for (const i of wide) args[i] = big(args[i]);
    return f(...args);
  };
}

/** The C name a table entry binds (`poll_async` binds `poll`). */
export function cName(key: string, spec: NativeSpec): string {
  return spec.name ?? key;
}

/**
 * Calls `open` with each of the libc names until one succeeds. A refusal by the
 * runtime's permission model ends the search with a message saying which flag
 * grants it.
 */
export function openLibc<T>(
  source: { readonly libcNames: readonly string[] },
  open: (path: string) => T,
): T {
  const failures: string[] = [];
  for (const name of source.libcNames) {
    try {
      return open(name);
    } catch (e) {
      const { code, name: kind } = e as { code?: string; name?: string };
      if (code === "ERR_ACCESS_DENIED" || kind === "NotCapable" || kind === "PermissionDenied") {
        const runtime = g.Deno ? "Deno" : "Node";
        throw new Error(`iomux needs FFI access: run ${runtime} with --allow-ffi`, { cause: e });
      }
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`iomux: cannot open libc (${failures.join("; ")})`);
}

type Table = Readonly<Record<string, NativeSpec>>;

/**
 * The buffer parameter of the waits whose buffer is persistent (an `Epoll`'s events,
 * a `Poll`'s records: the same array call after call). Deno and `node:ffi` convert a
 * `Uint8Array` argument to a pointer on every call (Deno about 22 ns, `node:ffi`
 * about 100); a pointer taken once and passed as `pointer` costs nothing. Above
 * `ffi/` the call still takes the typed array.
 */
const PERSISTENT_BUFFER: Readonly<Record<string, number>> = { epoll_wait: 1, poll: 0 };

/**
 * `table` with each persistent buffer parameter declared as a pointer, or as `as`: a
 * backend that checks every `pointer` argument for strings and buffers on each call
 * (`node:ffi`) takes the address as the unsigned 64-bit integer it is.
 */
export function withPointers(table: Table, as: "pointer" | "u64" = "pointer"): Table {
  const out: Record<string, NativeSpec> = { ...table };
  for (const [key, at] of Object.entries(PERSISTENT_BUFFER)) {
    const spec = table[key];
    if (spec?.parameters[at] !== "buffer") continue;
    out[key] = { ...spec, parameters: spec.parameters.map((t, i) => i === at ? as : t) };
  }
  return out;
}

/**
 * Replaces each symbol that {@linkcode withPointers} declared with a pointer by one
 * that takes the typed array again and passes its pointer (`address`; `none` for a
 * null or empty one), taken again only when the array differs from the last call's.
 * Reading `.buffer` first moves an array the engine kept inside the JS heap to memory
 * of its own, which garbage collection never moves; the cached array is held, so its
 * memory outlives the pointer.
 */
export function withCachedPointers(
  symbols: Record<string, AnyFunction>,
  table: Table,
  declared: Table,
  address: (bytes: Uint8Array<ArrayBuffer>) => unknown,
  none: unknown,
): void {
  for (const [key, at] of Object.entries(PERSISTENT_BUFFER)) {
    const f = symbols[key];
    if (!f || declared[key] === table[key]) continue;
    let last: Uint8Array | null = null;
    let pointer: unknown = none;
    const pointerOf = (bytes: Uint8Array | null): unknown => {
      if (bytes !== last) {
        last = bytes;
        pointer = none;
        if (bytes !== null && bytes.byteLength > 0) {
          void bytes.buffer;
          pointer = address(bytes as Uint8Array<ArrayBuffer>);
        }
      }
      return pointer;
    };
    // Fixed arities: poll(fds, nfds, timeout) and epoll_wait(epfd, events, max, timeout);
    // the same array as last time is its pointer without a call.
    symbols[key] = at === 0
      ? (fds, nfds, ms) => f(fds === last ? pointer : pointerOf(fds), nfds, ms)
      : (epfd, events, max, ms) => f(epfd, events === last ? pointer : pointerOf(events), max, ms);
  }
}

interface ExitEvents {
  once(event: "exit", listener: () => void): unknown;
  off(event: "exit", listener: () => void): unknown;
}

/**
 * Runs `callback` when the process (or the Worker thread) is about to exit, before
 * the runtime tears its event loop down (Node's and Bun's `exit` event); returns
 * what takes it back. Nothing on Deno, which tears no loop handle of ours down.
 */
export function onExit(callback: () => void): () => void {
  const process = builtinModule<ExitEvents>("process");
  if (process === undefined) return () => {};
  process.once("exit", callback);
  return () => process.off("exit", callback);
}

/** Whether this is the process's main thread (not a `node:worker_threads` Worker). */
export function isMainThread(): boolean {
  return builtinModule<{ isMainThread: boolean }>("worker_threads")?.isMainThread ?? true;
}
