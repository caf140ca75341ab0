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
    symbols: withBigIntSizes(s, symbols as unknown as Record<string, SymbolSpec>),
    errno: () => errnoCell[0]!,
    cString: (p: unknown) =>
      p === null ? null : Deno.UnsafePointerView.getCString(p as Deno.PointerObject),
  };
}

// deno-lint-ignore no-explicit-any
type Bound = (...args: any[]) => any;

/**
 * Deno takes a JS number in a 64-bit (`usize`) slot only on its slow path (about
 * +170 ns a call, measured on `read`); a BigInt keeps the fast one. The callers
 * pass byte counts as numbers, so the functions whose third argument is a `size_t`
 * (`read`, `write`, `recv`, `send`, `recvfrom`, `sendto`) convert it here.
 */
function withBigIntSizes(
  bound: Record<string, Bound>,
  specs: Readonly<Record<string, SymbolSpec>>,
): Record<string, Bound> {
  const out: Record<string, Bound> = { ...bound };
  for (const [name, spec] of Object.entries(specs)) {
    const f = bound[name];
    const params = spec.parameters;
    if (f === undefined || params[2] !== "usize" || params.indexOf("usize") !== 2) continue;
    if (params.length === 3) {
      out[name] = (a, b, n) => f(a, b, typeof n === "number" ? BigInt(n) : n);
    } else if (params.length === 4) {
      out[name] = (a, b, n, d) => f(a, b, typeof n === "number" ? BigInt(n) : n, d);
    } else if (params.length === 6) {
      out[name] = (a, b, n, d, e, g) => f(a, b, typeof n === "number" ? BigInt(n) : n, d, e, g);
    }
  }
  return out;
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
