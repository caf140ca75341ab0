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

interface WorkerLike {
  postMessage(message: OffThreadCall): void;
  once(event: "message", listener: (reply: { result?: unknown; error?: string }) => void): void;
  ref(): void;
  unref(): void;
}

interface WorkerThreads {
  Worker: new (url: URL, options: { workerData: unknown }) => WorkerLike;
}

interface AddressOf {
  getRawPointer?(view: ArrayBufferView): bigint;
  ptr?(view: ArrayBufferView): number;
}

const idle = new Map<OffThreadBackend, WorkerLike[]>();

function spawn(backend: OffThreadBackend): WorkerLike {
  const threads = builtinModule<WorkerThreads>("node:worker_threads")!;
  // Built to .js for npm; the extension follows this file's own.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const url = new URL(`./_off_thread_worker${extension}`, import.meta.url);
  return new threads.Worker(url, { workerData: backend });
}

/** A Promise-returning twin of the table's symbol `key`, run on a worker thread. */
// deno-lint-ignore no-explicit-any
export function offThread(
  backend: OffThreadBackend,
  key: string,
): (...args: any[]) => Promise<any> {
  const ffi = builtinModule<AddressOf>(backend)!;
  const address = (view: ArrayBufferView) => ffi.getRawPointer?.(view) ?? ffi.ptr!(view);
  return (...args) =>
    new Promise((resolve, reject) => {
      const pool = idle.get(backend) ?? [];
      idle.set(backend, pool);
      const worker = pool.pop() ?? spawn(backend);
      worker.ref();
      worker.once("message", (reply) => {
        worker.unref();
        pool.push(worker);
        if (reply.error === undefined) resolve(reply.result);
        else reject(new Error(reply.error));
      });
      const raw = args.map((a) => ArrayBuffer.isView(a) ? address(a) : a);
      worker.postMessage({ key, args: raw });
    });
}
