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
import { type KeventFunction, libc, openLibrary } from "./libc.ts";
import { environmentVariable } from "./_native.ts";
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

let cached: KqueueBinding | undefined;

function unavailable(why: string, cause?: unknown): OSError {
  const { ENOSYS } = abi.errno;
  const options = cause === undefined ? undefined : { cause };
  return new OSError(ENOSYS, `${strerror(ENOSYS)}: ${why}`, undefined, options);
}

/** `IOMUX_KQUEUE_LIB`, or `undefined` when unset, empty or unreadable. */
export function kqueueLibPath(): string | undefined {
  // Deno without --allow-env cannot read it: that counts as "unset".
  return environmentVariable(KQUEUE_LIB_ENV) || undefined;
}

function loadLibrary(path: string): KqueueBinding {
  let symbols;
  try {
    symbols = openLibrary(path, KQUEUE_SYMBOLS);
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
    kqueue: symbols.kqueue,
    kevent: symbols.kevent,
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
