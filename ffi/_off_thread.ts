/**
 * `nonblocking` symbols for the FFIs without a call that runs off the JS thread on
 * a pool of their own (`node:ffi`, `bun:ffi`), and for koffi, whose `fn.async` runs
 * on libuv's threadpool: four blocked waits there (`UV_THREADPOOL_SIZE` is 4) stop
 * `fs.readFile` and every other pool user. Each pending call runs on a worker thread
 * of its own, which calls the same symbol synchronously. Idle workers are kept for
 * the next call and do not keep the process alive; a pending call does, as in Deno.
 * errno is lost, as in Deno (it lives on the worker's thread).
 *
 * The worker is started from source (`new Worker(source, { eval: true })`), not from
 * a file: bundlers (esbuild, `bun build`) emit no file for a worker, so a worker
 * found through a URL is missing from every bundle. Its source is the text of two
 * functions that use nothing but their arguments and the runtime's globals:
 * {@linkcode serveCalls} here, and the backend's own binder (`bindOnWorker` of
 * `_node_ffi.ts`, `_bun.ts`, `_koffi.ts`). The backend resolves on the JS thread
 * everything its binder needs (the library that loaded, each symbol's C name and
 * native signature) and the worker gets it as `workerData`.
 *
 * Buffers reach the worker as raw addresses where the FFI can call with one
 * (`node:ffi`, `bun:ffi`): the call reads and writes the caller's own memory. koffi
 * takes no raw address for a pointer parameter, so the worker gets a copy of each
 * buffer and its content is copied back when the call returns.
 *
 * @module
 */
import { builtinModule, cName } from "./_native.ts";
import type { AnyFunction, NativeSpec } from "./types.ts";

/** One symbol as the worker binds it: its table key, C name and the FFI's own signature. */
export interface WorkerSymbol<Signature> {
  readonly key: string;
  readonly name: string;
  readonly optional: boolean;
  readonly signature: Signature;
}

/** What a binder gets on the worker: the library path that loaded and the symbols. */
export interface WorkerLibrary<Signature> {
  readonly library: string;
  readonly symbols: readonly WorkerSymbol<Signature>[];
}

/**
 * What a backend hands {@linkcode offThreadCalls}: how its worker binds the symbols,
 * the data that binder needs, and how a buffer argument travels.
 */
export interface OffThreadBinding<Data> {
  /**
   * Binds the symbols on the worker thread and returns them by table key. Its source
   * text becomes the worker's code: it must be a `function` or an arrow function that
   * uses only its argument and globals (`process.getBuiltinModule`), no import and no
   * variable of its module.
   */
  readonly bindOnWorker: (data: Data) => Record<string, AnyFunction>;
  /** Everything `bindOnWorker` needs, structured-cloneable. */
  readonly data: Data;
  /**
   * A buffer argument as the worker's FFI takes it: a raw address into the caller's
   * memory. Absent: the worker gets a copy, copied back when the call returns.
   */
  readonly address?: (view: ArrayBufferView) => unknown;
}

/**
 * The table's `nonblocking` symbols as the worker binds them: synchronous, buffers
 * declared as `buffer` if the worker gets copies of them, `pointer` if it gets raw
 * addresses, each translated by the backend's `signature`.
 */
export function workerSymbols<Signature>(
  table: Readonly<Record<string, NativeSpec>>,
  buffersAs: "buffer" | "pointer",
  signature: (key: string, spec: NativeSpec) => Signature,
): WorkerSymbol<Signature>[] {
  return Object.entries(table).flatMap(([key, spec]) => {
    if (!spec.nonblocking) return [];
    const sync: NativeSpec = {
      ...spec,
      nonblocking: false,
      parameters: spec.parameters.map((t) => t === "buffer" ? buffersAs : t),
    };
    return [{
      key,
      name: cName(key, sync),
      optional: sync.optional === true,
      signature: signature(key, sync),
    }];
  });
}

/** A call to run: the table key and its arguments, buffers as raw addresses or copies. */
export interface OffThreadCall {
  key: string;
  args: unknown[];
}

/** The worker's answer: the result (and the copied buffers), or an error message. */
export interface OffThreadReply {
  result?: unknown;
  buffers?: Uint8Array[];
  error?: string;
}

interface WorkerPort {
  on(event: "message", listener: (call: OffThreadCall) => void): void;
  postMessage(reply: OffThreadReply): void;
}

interface WorkerGlobals {
  process: {
    getBuiltinModule(id: "node:worker_threads"): { parentPort: WorkerPort; workerData: unknown };
  };
}

/**
 * The worker's main loop: binds the symbols with the backend's binder, then answers
 * one call per message. Runs as source text on the worker: nothing but its argument
 * and globals.
 */
function serveCalls(bindOnWorker: (data: unknown) => Record<string, AnyFunction>): void {
  const { process } = globalThis as unknown as WorkerGlobals;
  const { parentPort, workerData } = process.getBuiltinModule("node:worker_threads");
  const bound = bindOnWorker(workerData);
  parentPort.on("message", ({ key, args }) => {
    try {
      const result = bound[key]!(...args);
      const buffers = args.filter((a): a is Uint8Array => a instanceof Uint8Array);
      parentPort.postMessage(buffers.length > 0 ? { result, buffers } : { result });
    } catch (e) {
      parentPort.postMessage({ error: String(e) });
    }
  });
}

/** The worker's whole source: the main loop called with the backend's binder. */
function workerSource<Data>(
  bindOnWorker: (data: Data) => Record<string, AnyFunction>,
): string {
  return `"use strict";\n(${String(serveCalls)})(${String(bindOnWorker)});\n`;
}

interface WorkerLike {
  postMessage(message: OffThreadCall): void;
  on(event: "message", listener: (reply: OffThreadReply) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => WorkerLike;
}

/** A worker and the call it is running, if any. */
interface CallThread {
  readonly worker: WorkerLike;
  settle?: ((reply: OffThreadReply) => void) | undefined;
}

function spawn(source: string, workerData: unknown, pool: CallThread[]): CallThread {
  const { Worker } = builtinModule<WorkerThreads>("node:worker_threads")!;
  const thread: CallThread = { worker: new Worker(source, { eval: true, workerData }) };
  thread.worker.on("message", (reply) => {
    const settle = thread.settle!;
    thread.settle = undefined;
    thread.worker.unref();
    pool.push(thread);
    settle(reply);
  });
  // A worker that fails (cannot start, say) fails its call and is not reused.
  thread.worker.on("error", (error) => {
    thread.settle?.({ error: `iomux: the FFI call thread failed: ${error.message}` });
    thread.settle = undefined;
    thread.worker.terminate();
  });
  return thread;
}

/**
 * Promise-returning twins of the binding's symbols, each call run on a worker thread
 * of its own; the workers of one binding are shared by all of its symbols.
 */
export function offThreadCalls<Data>(
  binding: OffThreadBinding<Data>,
  // deno-lint-ignore no-explicit-any
): (key: string) => (...args: any[]) => Promise<any> {
  const source = workerSource(binding.bindOnWorker);
  const { data, address } = binding;
  const pool: CallThread[] = [];
  return (key) => (...args) =>
    new Promise((resolve, reject) => {
      const thread = pool.pop() ?? spawn(source, data, pool);
      const views = args.filter((a): a is Uint8Array => ArrayBuffer.isView(a));
      thread.settle = (reply) => {
        if (reply.error !== undefined) return reject(new Error(reply.error));
        reply.buffers?.forEach((copy, i) => copyInto(views[i]!, copy));
        resolve(reply.result);
      };
      thread.worker.ref();
      const sent = args.map((a) =>
        !ArrayBuffer.isView(a) ? a : address === undefined ? byteCopy(a) : address(a)
      );
      thread.worker.postMessage({ key, args: sent });
    });
}

function byteCopy(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

function copyInto(view: ArrayBufferView, bytes: Uint8Array): void {
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes);
}

/**
 * Adds `table`'s `nonblocking` symbols to `symbols` as calls on worker threads bound
 * by `binding` (made only if the table has any), each passed through `wrap`.
 */
export function bindOffThread<Data>(
  symbols: Record<string, AnyFunction>,
  table: Readonly<Record<string, NativeSpec>>,
  binding: () => OffThreadBinding<Data>,
  wrap: (call: AnyFunction, spec: NativeSpec) => AnyFunction = (call) => call,
): Record<string, AnyFunction> {
  if (!Object.values(table).some((spec) => spec.nonblocking)) return symbols;
  const call = offThreadCalls(binding());
  for (const [key, spec] of Object.entries(table)) {
    if (spec.nonblocking) symbols[key] = wrap(call(key), spec);
  }
  return symbols;
}
