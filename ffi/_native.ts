/**
 * What the Node and Bun backends share: loading a runtime's built-in module
 * without top-level await, and opening libc under the first name that works.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { NativeType, SymbolSpec } from "./symbols.ts";

interface ProcessGlobal {
  process?: { getBuiltinModule?(id: string): unknown };
}

/** A built-in module (`node:ffi`, `bun:ffi`), or undefined where the runtime lacks it. */
export function builtinModule<T>(id: string): T | undefined {
  return (globalThis as ProcessGlobal).process?.getBuiltinModule?.(id) as T | undefined;
}

/** Whether a type is 64 bits wide (every ABI iomux supports is LP64). */
export function isWide(type: NativeType): boolean {
  return type === "i64" || type === "u64" || type === "isize" || type === "usize";
}

/** The C name a table entry binds (`poll_async` binds `poll`). */
export function cName(key: string, spec: SymbolSpec): string {
  return spec.name ?? key;
}

/** Calls `open` with each of the ABI's libc names until one succeeds. */
export function openLibc<T>(abi: Abi, open: (path: string) => T): T {
  const failures: string[] = [];
  for (const name of abi.libcNames) {
    try {
      return open(name);
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_ACCESS_DENIED") {
        throw new Error("iomux needs FFI access: run Node with --allow-ffi", { cause: e });
      }
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`iomux: cannot open libc (${failures.join("; ")})`);
}
