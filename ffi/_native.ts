/**
 * The one place that asks which JavaScript runtime this is (Deno, Bun or Node) and
 * reads what only a runtime knows: its OS and CPU names, the environment, its
 * built-in modules. Also what the backends share for opening libraries. Nothing
 * else in iomux names a runtime outside the backends (`_deno.ts`, `_bun.ts`,
 * `_node_ffi.ts`, `_koffi.ts`).
 *
 * @module
 */
import type { NativeSpec, NativeType } from "./types.ts";

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
