/**
 * Workers in tests: Deno Web Workers, or `node:worker_threads` on Node and Bun,
 * started and messaged the same way on every runtime; the worker side's port; and
 * the check that every Worker a test started has ended.
 *
 * @module
 */
import process from "node:process";

/** A running Worker, its messages one by one, and its end. */
export interface TestWorker {
  /** Posts `message` to the Worker. */
  post(message: unknown): void;
  /** The Worker's next message (queued ones first). */
  next(): Promise<unknown>;
  /** Whether a message is queued (the Worker has said something not yet taken). */
  readonly queued: number;
  /** Terminates the Worker; resolves once it has ended. */
  terminate(): Promise<void>;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(name: "message" | "error" | "exit", listener: (value: unknown) => void): void;
  terminate(): Promise<number>;
}

const live = new Set<TestWorker>();

/** Workers started by {@linkcode startWorker} that have not ended yet. */
export function liveWorkers(): number {
  return live.size;
}

/**
 * Starts the module at `url` (a sibling `_x_worker.ts`, `.js` in the npm build: pass
 * `workerUrl("./_x_worker", import.meta.url)`) as a Worker. An error in the Worker
 * rejects the pending {@linkcode TestWorker.next}.
 */
export function startWorker(url: URL): TestWorker {
  const queue: unknown[] = [];
  const waiting: { resolve(value: unknown): void; reject(error: unknown): void }[] = [];
  let failure: unknown;
  const deliver = (message: unknown) => {
    const next = waiting.shift();
    if (next !== undefined) next.resolve(message);
    else queue.push(message);
  };
  const fail = (error: unknown) => {
    failure = error;
    for (const next of waiting.splice(0)) next.reject(error);
  };
  let post: (message: unknown) => void;
  let end: () => Promise<void>;
  if ("Deno" in globalThis) {
    const worker = new Worker(url, { type: "module" });
    worker.onmessage = (event) => deliver(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      fail(new Error(`worker: ${event.message}`));
    };
    post = (message) => worker.postMessage(message);
    // Deno's terminate() ends the Worker's thread before it returns.
    end = () => Promise.resolve(worker.terminate());
  } else {
    const { Worker } = process.getBuiltinModule("node:worker_threads") as {
      Worker: new (url: URL) => NodeWorker;
    };
    const worker = new Worker(url);
    let exited!: () => void;
    const exit = new Promise<void>((resolve) => exited = resolve);
    worker.on("message", deliver);
    worker.on("error", fail);
    worker.on("exit", () => exited());
    post = (message) => worker.postMessage(message);
    end = async () => {
      await worker.terminate();
      await exit;
    };
  }
  const handle: TestWorker = {
    post,
    get queued() {
      return queue.length;
    },
    next: () => {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    terminate: async () => {
      await end();
      live.delete(handle);
    },
  };
  live.add(handle);
  return handle;
}

let warmed: Promise<void> | undefined;

/** Starts a Worker running `url`, waits for its first message, and ends it. */
async function cycleWorker(url: URL): Promise<void> {
  const worker = startWorker(url);
  await worker.next();
  await worker.terminate();
}

/**
 * Starts and ends two Workers running `url` once per process: Deno opens fds of its
 * own for Workers (an eventfd and an epoll set, kept from the second one on), which
 * is not a leak of a test. `url` must post one message when it is up.
 */
export function warmWorkers(url: URL): Promise<void> {
  return warmed ??= (async () => {
    for (let round = 0; round < 2; round++) await cycleWorker(url);
  })();
}

/** The URL of the sibling module `name` (no extension): `.ts` here, `.js` in the npm build. */
export function workerUrl(name: string, base: string): URL {
  return new URL(`${name}${base.slice(base.lastIndexOf("."))}`, base);
}

/** Inside a Worker: the channel to the thread that started it. */
export interface ParentPort {
  post(message: unknown): void;
  /** Calls `listener` with each message from the parent. */
  onMessage(listener: (message: unknown) => void): void;
}

/** Inside a Worker: its {@linkcode ParentPort}, on every runtime. */
export function parentPort(): ParentPort {
  if ("Deno" in globalThis) {
    const scope = globalThis as unknown as {
      postMessage(message: unknown): void;
      onmessage: ((event: { data: unknown }) => void) | null;
    };
    return {
      post: (message) => scope.postMessage(message),
      onMessage: (listener) => scope.onmessage = (event) => listener(event.data),
    };
  }
  const { parentPort: port } = process.getBuiltinModule("node:worker_threads") as {
    parentPort: {
      postMessage(message: unknown): void;
      on(name: "message", listener: (message: unknown) => void): void;
    };
  };
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on("message", listener),
  };
}
