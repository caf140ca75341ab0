/**
 * The types of the FFI contract, in a file of their own so that every part of
 * `ffi/` can import them without a cycle: the symbol table (`symbols.ts`) is
 * written in {@linkcode CType} notation, each backend (`_deno.ts`, `_bun.ts`,
 * `_node_ffi.ts`, `_koffi.ts`) implements {@linkcode Backend} over the resolved
 * {@linkcode NativeType} notation, and the dispatcher (`libc.ts`) imports the
 * backends. Nothing here imports anything.
 *
 * @module
 */

/**
 * A C parameter type, as the symbol table spells it. Each one fixes both how a
 * backend passes it and what TypeScript type the caller gives:
 *
 * | C type | native (Deno notation) | TypeScript |
 * |---|---|---|
 * | `int` | `i32` | `number` |
 * | `unsigned int`, `socklen_t` | `u32` | `number` |
 * | `size_t` | `usize` | `number` (the Deno backend passes a BigInt: its fast path) |
 * | `uintptr_t` | `usize` | `bigint`: an address read out of memory libc owns (`ffi/memory.ts`) |
 * | `nfds_t` | `u32` or `u64`, per ABI | {@linkcode Nfds} (make it with `toNfds`) |
 * | `int ...` | a variadic int: `i32`, or padding + `i64` on Apple arm64 | `number` |
 * | `void * ...` | a variadic pointer: `buffer`, after the same padding on Apple arm64 | `ArrayBufferView` |
 * | `void *` | `buffer` | `ArrayBufferView` |
 * | `void * \| NULL` | `buffer` | `ArrayBufferView \| null` |
 */
export type CType =
  | "int"
  | "unsigned int"
  | "socklen_t"
  | "size_t"
  | "uintptr_t"
  | "nfds_t"
  | "int ..."
  | "void * ..."
  | "void *"
  | "void * | NULL";

/** A C result type: `int` (a number), `char *` (read as a string, `null` for NULL). */
export type CResult = "int" | "char *";

/** One libc function in the table. */
export interface SymbolSpec {
  /** The C parameters, each with a trailing comment naming it in the table. */
  readonly parameters: readonly CType[];
  readonly result: CResult;
  /** Absent on some platform: the bound function is then `null`. */
  readonly optional?: boolean;
  /** The C symbol when it differs from the key (`poll_async` binds `poll`). */
  readonly name?: string;
  /**
   * Run the call off the JS thread and return a Promise of the result; errno of
   * such a call is lost (it lives on the worker thread). `null` where the backend
   * cannot.
   */
  readonly nonblocking?: boolean;
}

/** A parameter or result type in Deno's notation, the one every backend translates. */
export type NativeType =
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "isize"
  | "usize"
  | "buffer"
  | "pointer"
  | "void";

/** One symbol resolved for a platform: native types and the C symbol to bind. */
export interface NativeSpec {
  readonly parameters: readonly NativeType[];
  readonly result: NativeType;
  readonly optional?: boolean;
  /** The C symbol when it differs from the table key. */
  readonly name?: string;
  readonly nonblocking?: boolean;
}

/** `nfds_t`: a BigInt where it is 64 bits wide, a number where it is 32. */
export type Nfds = number | bigint;

/** The TypeScript type a caller passes for a C parameter type. */
export type ParameterOf<T> = T extends "void *" | "void * ..." ? ArrayBufferView
  : T extends "void * | NULL" ? ArrayBufferView | null
  : T extends "nfds_t" ? Nfds
  : T extends "uintptr_t" ? bigint
  : number;

/** The TypeScript type a C result comes back as. */
export type ResultOf<T extends CResult> = T extends "char *" ? string | null : number;

/** The TypeScript parameter list for a list of C parameter types. */
export type ParametersOf<P extends readonly CType[]> = {
  -readonly [I in keyof P]: ParameterOf<P[I]>;
};

/** The function a table entry binds to. */
export type FunctionOf<S extends SymbolSpec> = (
  ...args: ParametersOf<S["parameters"]>
) => S extends { readonly nonblocking: true } ? Promise<ResultOf<S["result"]>>
  : ResultOf<S["result"]>;

/** A whole table bound: optional symbols are `null` where they are missing. */
export type BoundTable<T extends Readonly<Record<string, SymbolSpec>>> = {
  readonly [K in keyof T]: T[K] extends { readonly optional: true } ? FunctionOf<T[K]> | null
    : FunctionOf<T[K]>;
};

// deno-lint-ignore no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/** The FFI backends, by the name `Libc.backend` reports. */
export type BackendName = "deno" | "bun:ffi" | "node:ffi" | "koffi";

/**
 * What a backend hands the dispatcher for libc: the resolved table's symbols bound
 * under their table keys (missing optional ones absent), an errno reader, and a
 * C-string reader for `char *` results.
 */
export interface RawLibc {
  readonly backend: BackendName;
  readonly symbols: Readonly<Record<string, AnyFunction>>;
  /** The calling thread's errno, read right after the failing call. */
  errno(): number;
  cString(pointer: unknown): string | null;
  /**
   * How a worker thread binds the table's `nonblocking` symbols as synchronous calls,
   * for code that runs its own blocking loop on a thread of its own
   * (`watch/_source_worker.ts`); absent where the backend offers none.
   */
  readonly worker?: WorkerBinding;
}

/**
 * A worker thread's binding of the table's `nonblocking` symbols, called synchronously
 * there (`poll_async` binds `poll`). `bindOnWorker`'s source text becomes part of the
 * worker's code, so it uses only its argument and globals; buffers reach it as raw
 * addresses (`address`), so only memory that outlives the call and is visible to both
 * threads may be passed (a `SharedArrayBuffer`).
 */
export interface WorkerBinding {
  // deno-lint-ignore no-explicit-any
  readonly bindOnWorker: (data: any) => Record<string, AnyFunction>;
  /** Everything `bindOnWorker` needs, structured-cloneable. */
  readonly data: unknown;
  /** A buffer argument as the worker's FFI takes it: the raw address of its bytes. */
  readonly address: (view: ArrayBufferView) => unknown;
}

/** What each FFI backend provides; the dispatcher picks one per runtime. */
export interface Backend {
  readonly name: BackendName;
  /** Whether this backend can run here (the first available one is used). */
  available(): boolean;
  /**
   * Opens libc under the first of `libcNames` that loads and binds `table`
   * (which holds `errnoFunction`, `() -> int *`).
   */
  loadLibc(
    libcNames: readonly string[],
    table: Readonly<Record<string, NativeSpec>>,
    errnoFunction: string,
  ): RawLibc;
  /**
   * Opens another shared library (libkqueue) with a resolved table. Throws the
   * runtime's own error when the library or a symbol cannot be loaded.
   */
  openLibrary(
    path: string,
    table: Readonly<Record<string, NativeSpec>>,
  ): Readonly<Record<string, AnyFunction>>;
}
