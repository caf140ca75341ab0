/**
 * The dispatcher: picks the first available FFI backend (`Deno.dlopen`, `bun:ffi`,
 * `node:ffi`, koffi), binds the symbol table of `symbols.ts` with it and hands out
 * {@linkcode Libc}, plain typed functions over typed arrays. Nothing above `ffi/`
 * knows which backend it got, and no backend imports this file.
 *
 * @module
 */
import { abi, abiSupported, platformKey } from "./abi.ts";
import { type KQUEUE_SYMBOLS, LIBC_SYMBOLS, resolveTable, symbolsFor } from "./symbols.ts";
import type {
  AnyFunction,
  Backend,
  BackendName,
  BoundTable,
  FunctionOf,
  Nfds,
  RawLibc,
  SymbolSpec,
  WorkerBinding,
} from "./types.ts";
import { denoBackend } from "./_deno.ts";
import { bunBackend } from "./_bun.ts";
import { nodeFfiBackend } from "./_node_ffi.ts";
import { koffiBackend, koffiFirstBackend } from "./_koffi.ts";
import { loadWindowsLibc } from "./_winsock.ts";

export type { Nfds, WorkerBinding } from "./types.ts";

/**
 * libc as iomux uses it: one function per entry of `LIBC_SYMBOLS`, typed from the
 * entry's C types (optional ones `null` where missing), plus the calling thread's
 * errno and the backend's name. Every `int` function returns -1 and sets errno on
 * failure.
 */
export type Libc = BoundTable<typeof LIBC_SYMBOLS> & {
  /** The calling thread's errno, read right after the failing call. */
  errno(): number;
  /** Which FFI backend this is. */
  readonly backend: BackendName;
  /**
   * `recv(fd, buf, len, 0)` on a stream socket, made the backend's fastest way:
   * `read(2)` where 3-argument calls are the fast ones (`node:ffi`), which on a
   * stream socket is the same call (recv(2): "with a zero flags argument, recv() is
   * generally equivalent to read(2)"; only zero-length datagrams differ).
   */
  streamRecv(fd: number, buf: Uint8Array, len: number): number;
  /**
   * `send(fd, buf, len, SEND_FLAGS)`: a send with no flags of the caller's, SIGPIPE
   * kept away ({@linkcode SEND_FLAGS}). `write(2)` where 3-argument calls are the
   * fast ones and SIGPIPE is ignored (every runtime ignores it from the start, as
   * CPython does: `Modules/signalmodule.c` `signal_install_handlers`), which gives
   * the same EPIPE.
   */
  plainSend(fd: number, buf: Uint8Array, len: number): number;
};

/**
 * Flags added to every send so that a closed peer gives `BrokenPipeError` instead of a
 * SIGPIPE (Linux and FreeBSD; macOS gets `SO_NOSIGPIPE` on each socket instead, since
 * older macOS kernels do not know `MSG_NOSIGNAL`).
 */
export const SEND_FLAGS: number = abi.os === "darwin" ? 0 : abi.socket.constants.MSG_NOSIGNAL;

/** SIGPIPE's number on every POSIX system iomux runs on. */
const SIGPIPE = 13;
/** `SIG_IGN`, `(void (*)(int))1`, in `sa_handler`, the first field of `struct sigaction`. */
const SIG_IGN = 1n;

/**
 * Whether SIGPIPE is ignored now, asked with `sigaction(SIGPIPE, NULL, &old)`:
 * `sa_handler` leads `struct sigaction` on Linux (glibc, musl), macOS and FreeBSD,
 * and 256 bytes hold the whole struct on each (glibc's is 152).
 */
function sigpipeIgnored(c: BoundTable<typeof LIBC_SYMBOLS>): boolean {
  if (c.sigaction === null) return false;
  const old = new BigUint64Array(32);
  if (c.sigaction(SIGPIPE, null, new Uint8Array(old.buffer)) !== 0) return false;
  return old[0] === SIG_IGN;
}

/**
 * {@linkcode Libc.streamRecv} and {@linkcode Libc.plainSend} for this backend.
 * `node:ffi` makes calls of up to 3 arguments through its fast path and the
 * 4-argument ones through its generic path (about 10× the cost), so there they are
 * `read(2)`/`write(2)`; the send only while SIGPIPE is ignored at load (else a
 * broken pipe would be a signal where `MSG_NOSIGNAL` promises EPIPE). Winsock has
 * no `read`/`write` on sockets.
 */
function plainCalls(c: BoundTable<typeof LIBC_SYMBOLS>, backend: BackendName) {
  const threeArguments = backend === "node:ffi" && abi.winsock === undefined;
  const flags = SEND_FLAGS;
  // Each looks its symbol up on the table at call time, as every other caller does,
  // so that what replaces a table entry (the EINTR tests' counting spy) sees these
  // calls too.
  return {
    streamRecv: threeArguments
      ? (fd: number, buf: Uint8Array, len: number) => c.read(fd, buf, len)
      : (fd: number, buf: Uint8Array, len: number) => c.recv(fd, buf, len, 0),
    plainSend: threeArguments && sigpipeIgnored(c)
      ? (fd: number, buf: Uint8Array, len: number) => c.write(fd, buf, len)
      : (fd: number, buf: Uint8Array, len: number) => c.send(fd, buf, len, flags),
  };
}

/** `kevent(kq, changelist, nchanges, eventlist, nevents, timeout)`; `null` buffers are NULL. */
export type KeventFunction = FunctionOf<typeof KQUEUE_SYMBOLS.kevent>;

/**
 * In the order they are tried: Deno's and Bun's own FFI; on Node, koffi when it is
 * installed (faster than `node:ffi` for calls of 4 arguments or more), then
 * `node:ffi`, then koffi again, whose loader says that it is missing.
 */
const BACKENDS: readonly Backend[] = [
  denoBackend,
  bunBackend,
  koffiFirstBackend,
  nodeFfiBackend,
  koffiBackend,
];

let backend: Backend | undefined;
let loaded: Libc | undefined;
let loadedWorker: WorkerBinding | undefined;

/**
 * Wraps a bound symbol where the C types ask for it, generically: a `char *`
 * result is read as a string, and a variadic `int ...` argument gets the ABI's
 * padding in front (Apple arm64 passes variadic arguments on the stack, see
 * `abi/darwin.ts`). Every other symbol is handed out as the backend bound it.
 */
function shim(spec: SymbolSpec, f: AnyFunction, raw: RawLibc): AnyFunction {
  if (spec.result === "char *") return (...args) => raw.cString(f(...args));
  const variadic = spec.parameters.findIndex((t) => t.endsWith("..."));
  if (variadic < 0 || abi.variadicPadding === 0) return f;
  const pad = new Array<bigint>(abi.variadicPadding).fill(0n);
  if (spec.parameters[variadic] === "void * ...") {
    return (...args) => f(...args.slice(0, variadic), ...pad, args[variadic]);
  }
  return (...args) => f(...args.slice(0, variadic), ...pad, BigInt(args[variadic]));
}

/** Adapts a backend's raw symbols to {@linkcode Libc}. */
function adapt(raw: RawLibc): Libc {
  const out: Record<string, unknown> = { backend: raw.backend, errno: raw.errno };
  for (const [key, spec] of Object.entries(LIBC_SYMBOLS) as [string, SymbolSpec][]) {
    const f = raw.symbols[key];
    if (f === undefined && !spec.optional) {
      // Windows has no one libc: ffi/_winsock.ts binds what Winsock and the C runtime
      // offer, and the POSIX-only calls (ptys, termios, posix_spawn, waitpid) have no
      // counterpart there, as CPython's os, termios and fcntl lack them on Windows. They
      // fail when called rather than at load, so that the rest of iomux works.
      if (abi.winsock === undefined) throw new Error(`iomux: libc lacks ${key}`);
      out[key] = () => {
        throw new Error(`iomux: ${key}() is not available on Windows`);
      };
      continue;
    }
    out[key] = f === undefined ? null : shim(spec, f, raw);
  }
  const bound = out as BoundTable<typeof LIBC_SYMBOLS>;
  return Object.assign(out, plainCalls(bound, raw.backend)) as Libc;
}

function pickBackend(): Backend {
  if (!abiSupported) {
    throw new Error(
      `iomux: no ABI table for this platform (${platformKey()}); ` +
        "supported: Linux, macOS, FreeBSD and Windows on x86_64 and aarch64",
    );
  }
  const found = BACKENDS.find((b) => b.available());
  if (!found) throw new Error("iomux: no FFI in this runtime (Deno, Bun or Node needed)");
  return found;
}

/**
 * The libc bindings, loaded on first use (so that importing iomux needs no
 * permission until a system call is made).
 */
export function libc(): Libc {
  if (loaded) return loaded;
  backend ??= pickBackend();
  // Windows has no one libc: Winsock and the C runtime, opened by ffi/_winsock.ts.
  const raw = abi.winsock
    ? loadWindowsLibc(backend, abi)
    : backend.loadLibc(abi.libcNames, symbolsFor(abi), abi.errnoFunction);
  loadedWorker = raw.worker;
  return loaded = adapt(raw);
}

/**
 * How a worker thread of the caller's own binds the table's `nonblocking` symbols as
 * synchronous calls (`poll_async` becomes a blocking `poll`), with buffers passed as
 * raw addresses; `undefined` where the backend has no such binding (Node's backends,
 * Windows).
 */
export function workerBinding(): WorkerBinding | undefined {
  libc();
  return loadedWorker;
}

/**
 * Opens another shared library (libkqueue) with a table in `symbols.ts` notation,
 * through the backend libc was loaded with, so that errno is read the same way
 * for both. Throws the runtime's own error when it cannot be loaded.
 */
export function openLibrary<T extends Readonly<Record<string, SymbolSpec>>>(
  path: string,
  table: T,
): { readonly [K in keyof T]: FunctionOf<T[K]> } {
  libc();
  const bound = backend!.openLibrary(path, resolveTable(table, abi));
  for (const key of Object.keys(table)) {
    if (bound[key] === undefined) throw new Error(`${path} lacks ${key}`);
  }
  return bound as { readonly [K in keyof T]: FunctionOf<T[K]> };
}

/** `nfds` in the width `nfds_t` has here. */
export const toNfds: (n: number) => Nfds = abi.nfdsBytes === 8 ? BigInt : (n: number) => n;
