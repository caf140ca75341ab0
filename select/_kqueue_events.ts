/**
 * The `struct kevent` event list a `Kqueue` waits into and the `kevent(2)` call
 * over it: the list's cap and growth, the `struct timespec` of the timeout, the fast
 * wait, the wait the PEP 475 loop drives, and the reading of its records
 * (`Modules/selectmodule.c` `select_kqueue_control_impl`). Separate from
 * `kqueue.ts`, which keeps CPython's argument checks and their order: nothing here
 * checks an argument or raises but the kernel's error.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { decodeKevent, forEachIdentFilter } from "../ffi/kevent.ts";
import type { KqueueBinding } from "../ffi/kqueue_lib.ts";
import { writeTime } from "../ffi/structs.ts";
import { divide, FLOOR, type Ns } from "../_py/timeout.ts";
import { type InterruptibleWait, waitFor } from "../_py/wait_loop.ts";
import { type KEvent, keventFromFields } from "./kevent.ts";

/**
 * The most events one `control()` asks the kernel for. CPython allocates
 * `maxevents` entries whatever their number; iomux caps the buffer (32 MiB with
 * the 32-byte layout) and lets further events come in the next call.
 */
const MAX_EVENT_BUFFER = 1 << 20;

/** A kqueue's event list as the selector reads it (see `readyBuffer`). */
export interface ReadyKevents {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** `sizeof(struct kevent)`, and the offsets of `ident` and `filter`. */
  readonly size: number;
  readonly ident: number;
  readonly filter: number;
}

/** Writes a non-negative nanosecond count as a `struct timespec`. */
function writeTimespec(words: Int32Array, ns: Ns): void {
  const sec = Number(divide(ns, 1e9, FLOOR));
  const nsec = typeof ns === "bigint" ? Number(ns % 1_000_000_000n) : ns % 1e9;
  writeTime(words, sec, nsec);
}

/** `kevent(2)` with one call's arguments, as the wait loop drives it. */
class KeventCall implements InterruptibleWait {
  kq = -1;
  changes: Uint8Array | null = null;
  nchanges = 0;
  events: Uint8Array | null = null;
  nevents = 0;
  readonly #kevent: KqueueBinding["kevent"];
  readonly #timespec = new Int32Array(abi.timespec.size >> 2);
  readonly #timespecBytes = new Uint8Array(this.#timespec.buffer);
  #timeout: Uint8Array | null = null;

  constructor(binding: KqueueBinding) {
    this.#kevent = binding.kevent;
  }

  block(): void {
    this.#timeout = null;
  }

  limit(ns: Ns): void {
    writeTimespec(this.#timespec, ns);
    this.#timeout = this.#timespecBytes;
  }

  attempt(): number {
    const { kq, changes, nchanges, events, nevents } = this;
    return this.#kevent(kq, changes, nchanges, events, nevents, this.#timeout);
  }
}

/** One kqueue's event list and the waits that fill it. */
export class KqueueEvents {
  readonly #binding: KqueueBinding;
  #events = new Uint8Array(0);
  readonly #syscall: KeventCall;
  /** A zero `struct timespec`: the fast wait's timeout 0. */
  readonly #zero = new Uint8Array(abi.timespec.size);
  /** What {@linkcode KqueueEvents.ready} returns: the event list and its layout. */
  #ready: ReadyKevents | undefined;

  constructor(binding: KqueueBinding) {
    this.#binding = binding;
    this.#syscall = new KeventCall(binding);
  }

  /**
   * One `kevent(kq, NULL, 0, events, maxevents, block ? NULL : &zero)`, with no
   * other check: the kernel's count, or -1 when the call failed.
   */
  now(kq: number, block: boolean, maxevents: number): number {
    const wanted = maxevents < MAX_EVENT_BUFFER ? maxevents : MAX_EVENT_BUFFER;
    if (this.#events.byteLength < wanted * this.#binding.layout.size) {
      this.#events = new Uint8Array(wanted * this.#binding.layout.size);
    }
    return this.#binding.kevent(kq, null, 0, this.#events, wanted, block ? null : this.#zero);
  }

  /**
   * The wait of `control`, once its arguments are checked: applies `changes`
   * (encoded `struct kevent`s, or `null`) and collects at most `nevents` (≥ 0)
   * events within `ns` (`null`: no limit), retried on EINTR; the number of events.
   */
  wait(kq: number, changes: Uint8Array | null, nevents: number, ns: Ns | null): number {
    const size = this.#binding.layout.size;
    const wanted = Math.min(nevents, MAX_EVENT_BUFFER);
    if (this.#events.byteLength < wanted * size) this.#events = new Uint8Array(wanted * size);
    const call = this.#syscall;
    call.kq = kq;
    call.changes = changes;
    call.nchanges = changes === null ? 0 : changes.byteLength / size;
    call.events = wanted > 0 ? this.#events : null;
    call.nevents = wanted;
    return waitFor(call, ns);
  }

  /** The first `n` events as new `KEvent`s, copied from the list. */
  kevents(n: number): KEvent[] {
    const result: KEvent[] = new Array(n);
    for (let i = 0; i < n; i++) {
      result[i] = keventFromFields(decodeKevent(this.#events, this.#binding.layout, i));
    }
    return result;
  }

  /** Hands the first `n` events' `(ident, filter)` to `sink`, in the kernel's order. */
  forEach(n: number, sink: (fd: number, filter: number) => void): void {
    forEachIdentFilter(this.#events, this.#binding.layout, n, sink);
  }

  /** The event list of the last wait, with the offsets of `ident` and `filter`. */
  ready(): ReadyKevents {
    const events = this.#events;
    if (this.#ready?.bytes !== events) {
      const { size, ident, filter } = this.#binding.layout;
      const view = new DataView(events.buffer, events.byteOffset, events.byteLength);
      this.#ready = { bytes: events, view, size, ident, filter };
    }
    return this.#ready!;
  }
}
