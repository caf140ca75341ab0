/**
 * `nonblocking` symbols for the FFIs without a call that runs off the JS thread on
 * a pool of their own (`node:ffi`, `bun:ffi`), and for koffi, whose `fn.async` runs
 * on libuv's threadpool: four blocked waits there (`UV_THREADPOOL_SIZE` is 4) stop
 * `fs.readFile` and every other pool user. Each pending call runs on a worker thread
 * of its own, which calls the same symbol synchronously. Idle workers are kept for
 * the next call and do not keep the process alive; a pending call does, as in Deno.
 * errno is lost, as in Deno (it lives on the worker's thread).
 *
 * Buffers reach the worker as raw addresses where the FFI can call with one
 * (`node:ffi`, `bun:ffi`): the call reads and writes the caller's own memory. koffi
 * takes no raw address for a pointer parameter, so the worker gets a copy of each
 * buffer and its content is copied back when the call returns.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import { builtinModule } from "./_native.ts";
import { symbolsFor } from "./symbols.ts";
import type { AnyFunction, NativeSpec } from "./types.ts";

/**
 * What each backend provides for the worker: the table's `nonblocking` symbols bound
 * synchronously, taking the arguments `offThread` sends (see {@linkcode OffThreadCall}).
 */
export type OffThreadSymbols = (abi: Abi) => Record<string, AnyFunction>;

/**
 * The table's `nonblocking` symbols as synchronous ones, buffers declared as
 * `buffer` is the worker gets copies of them, `pointer` if it gets raw addresses.
 */
export function offThreadSpecs(
  abi: Abi,
  buffersAs: "buffer" | "pointer",
): [key: string, spec: NativeSpec][] {
  return Object.entries(symbolsFor(abi)).flatMap(([key, table]) =>
    table.nonblocking
      ? [[key, {
        ...table,
        nonblocking: false,
        parameters: table.parameters.map((t) => t === "buffer" ? buffersAs : t),
      }] as [string, NativeSpec]]
      : []
  );
}

/** The FFIs whose worker can bind the table (see `_off_thread_worker.ts`). */
export type OffThreadBackend = "node:ffi" | "bun:ffi" | "koffi";

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

interface WorkerLike {
  postMessage(message: OffThreadCall): void;
  on(event: "message", listener: (reply: OffThreadReply) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

interface WorkerThreads {
  Worker: new (url: URL, options: { workerData: unknown }) => WorkerLike;
}

interface AddressOf {
  getRawPointer?(view: ArrayBufferView): bigint;
  ptr?(view: ArrayBufferView): number;
}

/** A worker and the call it is running, if any. */
interface CallThread {
  readonly worker: WorkerLike;
  settle?: ((reply: OffThreadReply) => void) | undefined;
}

const idle = new Map<OffThreadBackend, CallThread[]>();

function spawn(backend: OffThreadBackend, pool: CallThread[]): CallThread {
  const { Worker } = builtinModule<WorkerThreads>("node:worker_threads")!;
  // `new Worker(new URL(literal, import.meta.url))`: the form bundlers follow (`bun
  // build` bundles the worker as an entry of its own); the npm build is .js.
  const worker = new Worker(new URL("./_off_thread_worker.js", import.meta.url), {
    workerData: backend,
  });
  const thread: CallThread = { worker };
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

/** A Promise-returning twin of the table's symbol `key`, run on a worker thread. */
export function offThread(
  backend: OffThreadBackend,
  key: string,
  // deno-lint-ignore no-explicit-any
): (...args: any[]) => Promise<any> {
  const ffi = backend === "koffi" ? undefined : builtinModule<AddressOf>(backend)!;
  const address = (view: ArrayBufferView) => ffi!.getRawPointer?.(view) ?? ffi!.ptr!(view);
  const pool = idle.get(backend) ?? [];
  idle.set(backend, pool);
  return (...args) =>
    new Promise((resolve, reject) => {
      const thread = pool.pop() ?? spawn(backend, pool);
      const views = args.filter((a): a is Uint8Array => ArrayBuffer.isView(a));
      thread.settle = (reply) => {
        if (reply.error !== undefined) return reject(new Error(reply.error));
        reply.buffers?.forEach((copy, i) => copyInto(views[i]!, copy));
        resolve(reply.result);
      };
      thread.worker.ref();
      const raw = args.map((a) =>
        !ArrayBuffer.isView(a) ? a : ffi === undefined ? byteCopy(a) : address(a)
      );
      thread.worker.postMessage({ key, args: raw });
    });
}

function byteCopy(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

function copyInto(view: ArrayBufferView, bytes: Uint8Array): void {
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes);
}
