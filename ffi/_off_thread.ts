/**
 * `nonblocking` symbols for the FFIs that can only call on the JS thread
 * (`node:ffi`, `bun:ffi`): each pending call runs on a worker thread of its own,
 * which calls the same symbol synchronously on the caller's memory. Idle workers
 * are kept for the next call and do not keep the process alive; a pending call
 * does, as in Deno. errno is lost, as in Deno (it lives on the worker's thread).
 *
 * @module
 */
import { builtinModule } from "./_native.ts";

/** The FFIs whose worker can bind the table (see `_off_thread_worker.ts`). */
export type OffThreadBackend = "node:ffi" | "bun:ffi";

/** A call to run: the table key and its arguments, buffers as raw addresses. */
export interface OffThreadCall {
  key: string;
  args: unknown[];
}

type Reply = { result?: unknown; error?: string };

interface WorkerLike {
  postMessage(message: OffThreadCall): void;
  on(event: "message", listener: (reply: Reply) => void): void;
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
  settle?: ((reply: Reply) => void) | undefined;
}

const idle = new Map<OffThreadBackend, CallThread[]>();

function spawn(backend: OffThreadBackend, pool: CallThread[]): CallThread {
  const threads = builtinModule<WorkerThreads>("node:worker_threads")!;
  // Built to .js for npm; the extension follows this file's own.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const url = new URL(`./_off_thread_worker${extension}`, import.meta.url);
  const thread: CallThread = { worker: new threads.Worker(url, { workerData: backend }) };
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
  const ffi = builtinModule<AddressOf>(backend)!;
  const address = (view: ArrayBufferView) => ffi.getRawPointer?.(view) ?? ffi.ptr!(view);
  const pool = idle.get(backend) ?? [];
  idle.set(backend, pool);
  return (...args) =>
    new Promise((resolve, reject) => {
      const thread = pool.pop() ?? spawn(backend, pool);
      thread.settle = (reply) =>
        reply.error === undefined ? resolve(reply.result) : reject(new Error(reply.error));
      thread.worker.ref();
      const raw = args.map((a) => ArrayBuffer.isView(a) ? address(a) : a);
      thread.worker.postMessage({ key, args: raw });
    });
}
