/**
 * A {@linkcode LoopWake} under `node:ffi` (Node 26+): libuv's `uv_poll_t` on Node's
 * own loop, bound from the process's own symbols (`uv_poll_init`, `uv_poll_start`,
 * `uv_poll_stop`, `uv_close`, `uv_ref`, `uv_unref`, `uv_handle_size`). See
 * `loop_wake.ts` for what such a handle may watch and why.
 *
 * @module
 */
import type { AnyFunction } from "../ffi/types.ts";
import { processSymbols } from "../ffi/_node_ffi.ts";
import { osError } from "../ffi/errno.ts";
import type { LoopWake } from "./loop_wake.ts";

/** `uv_handle_type`'s `UV_POLL` (`include/uv.h`). */
const UV_POLL = 8;
/** `uv_poll_event`'s `UV_READABLE`. */
const UV_READABLE = 1;

interface Uv {
  readonly handleSize: number;
  readonly pollInit: AnyFunction;
  readonly pollStart: AnyFunction;
  readonly pollStop: AnyFunction;
  readonly close: AnyFunction;
  readonly ref: AnyFunction;
  readonly unref: AnyFunction;
  readonly address: (view: ArrayBufferView) => bigint;
  readonly eventLoop: () => bigint;
  /** `uv_poll_cb`, one for every handle: it finds the handle's wake by address. */
  readonly onPoll: bigint;
}

/**
 * Open handles by address, with their memory (held here, whatever becomes of their
 * wake object), and the memory of those libuv may still be closing.
 */
const wakes = new Map<bigint, { onReadable(stopped: boolean): void; memory: ArrayBuffer }>();
const closing = new Set<ArrayBuffer>();
let uv: Uv | undefined;

function bindUv(): Uv {
  if (uv) return uv;
  const symbols = processSymbols();
  if (symbols === undefined) throw new Error("iomux: the uv source needs node:ffi (Node 26+)");
  const bind = symbols.bind;
  return uv = {
    handleSize: Number(bind("uv_handle_size", ["i32"], "usize")(UV_POLL)),
    pollInit: bind("uv_poll_init", ["pointer", "pointer", "i32"], "i32"),
    pollStart: bind("uv_poll_start", ["pointer", "i32", "pointer"], "i32"),
    pollStop: bind("uv_poll_stop", ["pointer"], "i32"),
    close: bind("uv_close", ["pointer", "pointer"], "void"),
    ref: bind("uv_ref", ["pointer"], "void"),
    unref: bind("uv_unref", ["pointer"], "void"),
    address: symbols.address,
    eventLoop: symbols.eventLoop,
    // A node:ffi callback must not throw: wakes.get(...) only schedules work.
    onPoll: symbols.callback(
      ["pointer", "i32", "i32"],
      "void",
      (handle: bigint, status: number) => {
        wakes.get(handle)?.onReadable(status < 0);
      },
    ),
  };
}

type Immediate = (callback: () => void) => unknown;

/**
 * Closes a handle. No close callback: one could run in Node's last loop run at exit,
 * when JavaScript can no longer be called. libuv is done with the memory after the
 * loop's next close phase, which comes before the second `setImmediate` from now
 * (check, then close, in each iteration): the memory is held until then.
 */
function closeHandle(api: Uv, handle: bigint, memory: ArrayBuffer): void {
  api.close(handle, 0n);
  closing.add(memory);
  const later = (globalThis as { setImmediate?: Immediate }).setImmediate!;
  later(() => later(() => closing.delete(memory)));
}

/** For tests: uv handles not yet given back by libuv (open, or closing). */
export function uvHandles(): number {
  return wakes.size + closing.size;
}

function check(status: number): void {
  // libuv's errors on Unix are negated errno values.
  if (status < 0) throw osError(-status);
}

/** A `uv_poll_t` on this thread's loop watching `fd` for reading; started and ref'd. */
export function openUvWake(fd: number, onReadable: (stopped: boolean) => void): LoopWake {
  const api = bindUv();
  // An ArrayBuffer's bytes never move (a small Uint8Array's own may): libuv keeps the address.
  const memory = new ArrayBuffer(api.handleSize);
  const handle = api.address(new Uint8Array(memory));
  check(api.pollInit(api.eventLoop(), handle, fd) as number);
  const start = () => check(api.pollStart(handle, UV_READABLE, api.onPoll) as number);
  try {
    start();
  } catch (error) {
    closeHandle(api, handle, memory);
    throw error;
  }
  wakes.set(handle, { onReadable, memory });
  return {
    start,
    stop: () => api.pollStop(handle),
    setRef: (refed) => (refed ? api.ref : api.unref)(handle),
    close: () => {
      if (!wakes.delete(handle)) return;
      closeHandle(api, handle, memory);
    },
  };
}
