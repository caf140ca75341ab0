/**
 * The Deno backend: one `Deno.dlopen` of libc with the shared symbol table.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { RawLibc } from "./libc.ts";
import { symbolsFor, type SymbolSpec } from "./symbols.ts";

/** Opens libc with Deno's FFI. */
export function loadDeno(abi: Abi): RawLibc {
  const symbols = symbolsFor(abi) as unknown as Deno.ForeignLibraryInterface;
  let lib: Deno.DynamicLibrary<Deno.ForeignLibraryInterface> | undefined;
  const failures: string[] = [];
  for (const name of abi.libcNames) {
    try {
      lib = Deno.dlopen(name, symbols);
      break;
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        throw new Error("iomux needs FFI access: run Deno with --allow-ffi", { cause: e });
      }
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (!lib) throw new Error(`iomux: cannot open libc (${failures.join("; ")})`);
  // deno-lint-ignore no-explicit-any
  const s = lib.symbols as any;
  const errnoPointer = s[abi.errnoFunction]() as Deno.PointerObject;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(Deno.UnsafePointerView.getArrayBuffer(errnoPointer, 4));
  return {
    backend: "deno",
    symbols: s,
    errno: () => errnoCell[0]!,
    cString: (p: unknown) =>
      p === null ? null : Deno.UnsafePointerView.getCString(p as Deno.PointerObject),
  };
}

/**
 * Opens another shared library (libkqueue, named by `IOMUX_KQUEUE_LIB`) with a
 * table in `symbols.ts` notation and returns its bound functions. Throws the
 * runtime's own error when the library or a symbol cannot be loaded.
 */
export function openDenoLibrary(
  path: string,
  symbols: Readonly<Record<string, SymbolSpec>>,
  // deno-lint-ignore no-explicit-any
): Record<string, (...args: any[]) => any> {
  const lib = Deno.dlopen(path, symbols as unknown as Deno.ForeignLibraryInterface);
  // deno-lint-ignore no-explicit-any
  return lib.symbols as any;
}
