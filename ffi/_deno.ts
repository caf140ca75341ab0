/**
 * The Deno backend: one `Deno.dlopen` of libc with the shared symbol table.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { RawLibc } from "./libc.ts";
import { symbolsFor } from "./symbols.ts";

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
