/**
 * Where `kqueue(2)` and `kevent(2)` come from: libc on macOS and FreeBSD; on Linux a
 * libkqueue shared library, and only when the environment variable
 * `IOMUX_KQUEUE_LIB` names one. Without it, asking for kqueue fails with `OSError`
 * ENOSYS, which is what `DefaultSelector` takes as "kqueue is not available here".
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "./abi.ts";
import { LIBKQUEUE_KEVENT } from "./abi/linux.ts";
import type { KeventLayout } from "./abi/types.ts";
import { strerror } from "./errno.ts";
import { type KeventFunction, libc } from "./libc.ts";
import { openDenoLibrary } from "./_deno.ts";
import { type BunFfi, bunSignature } from "./_bun.ts";
import type { Koffi } from "./_koffi.ts";
import { builtinModule } from "./_native.ts";
import { type NodeFfi, nodeSignature } from "./_node_ffi.ts";
import { KQUEUE_SYMBOLS } from "./symbols.ts";

/** The environment variable that names a libkqueue shared library on Linux. */
export const KQUEUE_LIB_ENV = "IOMUX_KQUEUE_LIB";

/** A working `kqueue`/`kevent` pair and the `struct kevent` layout it expects. */
export interface KqueueBinding {
  /** `kqueue()`. */
  readonly kqueue: () => number;
  /** `kevent(kq, changelist, nchanges, eventlist, nevents, timeout)`. */
  readonly kevent: KeventFunction;
  /** The `struct kevent` layout of this implementation. */
  readonly layout: KeventLayout;
  /** `"libc"`, or the path of the libkqueue that was loaded. */
  readonly origin: string;
}

interface RuntimeGlobals {
  Deno?: { env: { get(name: string): string | undefined } };
  process?: { env: Record<string, string | undefined> };
}

let cached: KqueueBinding | undefined;

function unavailable(why: string, cause?: unknown): OSError {
  const { ENOSYS } = abi.errno;
  const options = cause === undefined ? undefined : { cause };
  return new OSError(ENOSYS, `${strerror(ENOSYS)}: ${why}`, undefined, options);
}

/** `IOMUX_KQUEUE_LIB`, or `undefined` when unset, empty or unreadable. */
export function kqueueLibPath(): string | undefined {
  const g = globalThis as RuntimeGlobals;
  try {
    // Deno without --allow-env throws here: that counts as "unset".
    const value = g.Deno ? g.Deno.env.get(KQUEUE_LIB_ENV) : g.process?.env[KQUEUE_LIB_ENV];
    return value ? value : undefined;
  } catch {
    return undefined;
  }
}

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => any;

/**
 * Binds `KQUEUE_SYMBOLS` from the library at `path` with the FFI libc was loaded
 * with (`backend`), so that errno is read the same way for both libraries.
 */
function openLibrary(backend: string, path: string): Record<string, AnyFunction> {
  const table = Object.entries(KQUEUE_SYMBOLS);
  switch (backend) {
    case "deno":
      return openDenoLibrary(path, KQUEUE_SYMBOLS);
    case "node:ffi": {
      const { lib } = builtinModule<NodeFfi>("node:ffi")!.dlopen(path);
      // No 64-bit parameters here, so node:ffi takes the arguments as they come.
      return Object.fromEntries(
        table.map(([name, spec]) => [
          name,
          lib.getFunction(name, nodeSignature(spec.parameters, spec.result)),
        ]),
      );
    }
    case "bun:ffi": {
      const signatures = Object.assign({}, ...table.map(([n, spec]) => bunSignature(n, spec)));
      return builtinModule<BunFfi>("bun:ffi")!.dlopen(path, signatures).symbols;
    }
    case "koffi": {
      const require = builtinModule<{ createRequire(url: string): (id: string) => unknown }>(
        "module",
      )!.createRequire(import.meta.url);
      const lib = (require("koffi") as Pick<Koffi, "load">).load(path);
      const type = (t: string) => t === "i32" ? "int32" : "void *";
      return Object.fromEntries(
        table.map((
          [name, spec],
        ) => [name, lib.func(name, type(spec.result), spec.parameters.map(type))]),
      );
    }
  }
  throw new Error(`no way to open a second library with the ${backend} backend`);
}

function loadLibrary(path: string): KqueueBinding {
  let symbols;
  try {
    symbols = openLibrary(libc().backend, path);
  } catch (e) {
    if (
      (e as { name?: string }).name === "NotCapable" ||
      (e as { code?: string }).code === "ERR_ACCESS_DENIED"
    ) {
      throw unavailable(`loading ${KQUEUE_LIB_ENV}=${path} needs FFI permission`, e);
    }
    throw unavailable(`cannot load ${KQUEUE_LIB_ENV}=${path}: ${(e as Error).message}`, e);
  }
  return {
    kqueue: symbols.kqueue!,
    kevent: symbols.kevent!,
    layout: LIBKQUEUE_KEVENT,
    origin: path,
  };
}

function load(): KqueueBinding {
  if (abi.kevent !== null) {
    const c = libc();
    if (c.kqueue === null || c.kevent === null) throw unavailable("kqueue is missing from libc");
    return { kqueue: c.kqueue, kevent: c.kevent, layout: abi.kevent, origin: "libc" };
  }
  const path = kqueueLibPath();
  if (path === undefined) {
    throw unavailable(`kqueue needs macOS or FreeBSD, or ${KQUEUE_LIB_ENV} naming libkqueue`);
  }
  // libkqueue reports failures through libc's errno, which libc() knows how to read.
  libc();
  return loadLibrary(path);
}

/**
 * The kqueue implementation for this process, loaded on first success.
 *
 * @throws {OSError} ENOSYS when there is none: no native kqueue and no (loadable)
 *   `IOMUX_KQUEUE_LIB`; the message says which.
 */
export function kqueueBinding(): KqueueBinding {
  return cached ??= load();
}
