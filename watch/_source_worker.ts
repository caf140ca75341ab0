/**
 * A {@linkcode ReadinessSource} whose wait is a thread of its own: a
 * `node:worker_threads` Worker blocked in `poll(2)` on the selector's epoll (or
 * kqueue) fd and a wake-up eventfd, which tells the JS thread through
 * `Atomics.notify` on shared memory (`Atomics.waitAsync` on this side). No message
 * crosses between the threads and no thread pool is involved: a wait costs one
 * kernel wake-up of the worker and one of the JS thread. The Worker, not the wait,
 * keeps the process alive, so the wait can be unref'd (`worker.unref()`), and a
 * process whose watchers are all unref'd exits at once while the worker is still
 * blocked in `poll(2)`.
 *
 * A worker inside an FFI call cannot be terminated, and each Deno worker holds fds of
 * its own event loop that it closes only some time after it returns. So a thread is
 * never ended: when its source closes, its pending `poll(2)` is ended through the
 * eventfd in its poll set, and the idle thread (unref'd, blocked in `Atomics.wait`)
 * is kept for the next source, as `_wait/`'s shared thread keeps its fds between
 * waits.
 *
 * The worker runs from source text (see `ffi/_off_thread.ts`): its loop
 * ({@linkcode waitLoop}) and the backend's binder (`bindOnWorker` of `ffi/_deno.ts`,
 * `ffi/_bun.ts`), which use nothing but their arguments and globals, so bundles keep
 * the worker.
 *
 * @module
 */
import { type WorkerBinding, workerBinding } from "../ffi/libc.ts";
import { builtinModule } from "../ffi/_native.ts";
import { POLLFD_SIZE, Pollfds } from "../ffi/pollfd.ts";
import { abi } from "../ffi/abi.ts";
import { toNfds } from "../ffi/libc.ts";
import type { AnyFunction } from "../ffi/types.ts";
import type { AsyncSelectable } from "../selectors/_select_async.ts";
import { answer } from "../_wait/async_wait.ts";
import { closeWake, drainWake, openWake, signalWake, type WakeFd } from "../_wait/ready_set.ts";
import { type Readiness, SelectorSource } from "./_source.ts";

/** Cells of the shared control array (Int32), then the two `struct pollfd` records. */
const REQUEST = 0; // JS thread: the number of the last round asked for.
const DONE = 1; // worker: the number of the last round finished.
const CONTROL_BYTES = 16;

interface LoopData {
  readonly binding: unknown;
  readonly shared: SharedArrayBuffer;
  readonly pollfds: unknown;
  readonly nfds: number | bigint;
}

interface LoopGlobals {
  process: { getBuiltinModule(id: "node:worker_threads"): { workerData: LoopData } };
}

/**
 * The worker's whole life: binds `poll` with the backend's binder, then for each
 * round the JS thread asks for, blocks in `poll(2)` until the selector's fd or the
 * wake-up fd is readable and says so. Runs as source text on the worker: the cell
 * numbers are written out because no variable of this module exists there.
 */
function waitLoop(bindOnWorker: (data: unknown) => Record<string, AnyFunction>): void {
  const { process } = globalThis as unknown as LoopGlobals;
  const { binding, shared, pollfds, nfds } = process.getBuiltinModule("node:worker_threads")
    .workerData;
  const poll = bindOnWorker(binding)["poll_async"]!;
  const control = new Int32Array(shared, 0, 4);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    // -1 (EINTR) is a spurious wake: the JS thread asks its selector either way.
    poll(pollfds, nfds, -1);
    Atomics.store(control, 1, seen);
    Atomics.notify(control, 1);
  }
}

interface LoopWorker {
  ref(): void;
  unref(): void;
  on(event: "error", listener: (error: Error) => void): void;
  terminate(): unknown;
}

interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: LoopData }) => LoopWorker;
}

/** `Atomics.waitAsync`, which the lib types of every target do not declare yet. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** What the worker source needs here, or why it cannot run (for `IOMUX_WATCH_SOURCE=worker`). */
function prerequisites(): { binding: WorkerBinding; threads: WorkerThreads } | string {
  if (waitAsync === undefined) return "Atomics.waitAsync is missing";
  if (typeof SharedArrayBuffer !== "function") return "SharedArrayBuffer is missing";
  const threads = builtinModule<WorkerThreads>("node:worker_threads");
  if (threads === undefined) return "node:worker_threads is missing";
  const binding = workerBinding();
  if (binding === undefined) return "the FFI backend binds no calls on a worker";
  return { binding, threads };
}

/** Whether {@linkcode WorkerSource} can run here: `undefined` if so, else the reason. */
export function workerSourceUnavailable(): string | undefined {
  const found = prerequisites();
  return typeof found === "string" ? found : undefined;
}

let threadsStarted = 0;

/**
 * One worker thread and the memory it shares with the JS thread: the control cells
 * and the two `struct pollfd` records it polls (the selector's fd, the wake-up fd),
 * which the source that holds it writes while it is idle.
 */
class ReadinessThread {
  readonly #shared = new SharedArrayBuffer(CONTROL_BYTES + 2 * POLLFD_SIZE);
  readonly control = new Int32Array(this.#shared, 0, CONTROL_BYTES / 4);
  readonly #pollfds = new Uint8Array(this.#shared, CONTROL_BYTES, 2 * POLLFD_SIZE);
  readonly #records = new Pollfds(2);
  readonly wake: WakeFd = openWake();
  readonly #worker: LoopWorker;
  /** The last round asked of the worker. */
  round = 0;
  /** The wake-up fd was written since the worker's last round was asked for. */
  woken = false;
  failure: Error | undefined;
  /** Settles the pending wait when the worker fails. */
  fail: ((error: Error) => void) | undefined;

  constructor({ binding, threads }: { binding: WorkerBinding; threads: WorkerThreads }) {
    try {
      const source = `"use strict";\n(${String(waitLoop)})(${String(binding.bindOnWorker)});\n`;
      this.#worker = new threads.Worker(source, {
        eval: true,
        workerData: {
          binding: binding.data,
          shared: this.#shared,
          pollfds: binding.address(this.#pollfds),
          nfds: toNfds(2),
        },
      });
    } catch (error) {
      closeWake(this.wake);
      throw error;
    }
    threadsStarted++;
    this.#worker.unref();
    this.#worker.on("error", (error) => {
      this.failure = new Error(`iomux: the readiness thread failed: ${error.message}`, {
        cause: error,
      });
      this.fail?.(this.failure);
    });
  }

  /** Whether the worker is in (or about to enter) `poll(2)`. */
  get polling(): boolean {
    return Atomics.load(this.control, DONE) !== this.round;
  }

  /** Points the next rounds at `fd` (only while idle, or with the pending round woken). */
  watch(fd: number): void {
    this.#records.set(0, fd, abi.poll.POLLIN);
    this.#records.set(1, this.wake.read, abi.poll.POLLIN);
    this.#pollfds.set(this.#records.bytes);
  }

  /** Asks for a round; a wake-up left over from an aborted one is drained first. */
  start(): void {
    if (this.woken) {
      drainWake(this.wake);
      this.woken = false;
    }
    Atomics.store(this.control, REQUEST, ++this.round);
    Atomics.notify(this.control, REQUEST);
  }

  /** Ends the pending `poll(2)`. */
  interrupt(): void {
    if (this.woken) return;
    this.woken = true;
    signalWake(this.wake);
  }

  setRef(refed: boolean): void {
    if (refed) this.#worker.ref();
    else this.#worker.unref();
  }
}

/** Threads no source holds: idle, unref'd, kept for the next source. */
const idleThreads: ReadinessThread[] = [];
/** For tests: how many readiness threads this process has started. */
export function readinessThreadsStarted(): number {
  return threadsStarted;
}

/** The worker-thread source (see the module doc). */
export class WorkerSource extends SelectorSource {
  override readonly canUnref: boolean = true;
  readonly #thread: ReadinessThread;
  #closed = false;

  constructor() {
    super();
    const found = prerequisites();
    const selectorFd = (this.selector as unknown as AsyncSelectable<unknown>).readinessFd();
    if (typeof found === "string" || selectorFd === null) {
      this.selector.close();
      throw new Error(
        `iomux: the worker readiness source cannot run here (${
          typeof found === "string" ? found : "the selector has no fd to wait on"
        })`,
      );
    }
    try {
      this.#thread = idleThreads.pop() ?? new ReadinessThread(found);
    } catch (error) {
      this.selector.close();
      throw error;
    }
    // A round left pending by the last holder was woken: it ends at once, whatever it polls.
    this.#thread.watch(selectorFd);
    // Ref'd until told otherwise: a pending wait keeps the process alive.
    this.#thread.setRef(true);
  }

  override async wait(signal: AbortSignal): Promise<Readiness[]> {
    const thread = this.#thread;
    for (;;) {
      if (thread.failure !== undefined) throw thread.failure;
      signal.throwIfAborted();
      // Through answer(): an fd that stays ready must not starve timers and I/O.
      const now = this.ready();
      if (now.length > 0) return answer(now);
      // A round still pending (an aborted wait's, woken) is waited out first: it
      // ends at once, and the next round starts with the wake-up drained.
      if (!thread.polling) thread.start();
      await this.#roundEnd(thread, signal);
      // Closed meanwhile (by a caller that broke the contract): nothing to report.
      if (this.#closed) return [];
    }
  }

  /** Resolves when the thread's pending round ends; rejects on abort (waking it) or failure. */
  #roundEnd(thread: ReadinessThread, signal: AbortSignal): Promise<void> {
    const pending = waitAsync!(thread.control, DONE, thread.round - 1);
    if (!pending.async) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        signal.removeEventListener("abort", abort);
        thread.fail = undefined;
      };
      const abort = () => {
        settle();
        thread.interrupt();
        reject(signal.reason);
      };
      signal.addEventListener("abort", abort, { once: true });
      thread.fail = (error) => {
        settle();
        reject(error);
      };
      void pending.value.then(() => {
        if (settled) return;
        settle();
        resolve();
      });
    });
  }

  override setRef(refed: boolean): void {
    this.#thread.setRef(refed);
  }

  /**
   * Releases the selector and hands the thread back, unref'd. A `poll(2)` still
   * pending is woken first: it ends at once, so it never blocks on an fd number that
   * was closed and reused.
   */
  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const thread = this.#thread;
    if (thread.polling) thread.interrupt();
    thread.setRef(false);
    super.close();
    if (thread.failure === undefined) idleThreads.push(thread);
  }
}
