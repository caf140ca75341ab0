/**
 * A {@linkcode LoopWake} under koffi (Node 20+ with koffi installed):
 * `koffi.node.poll`, a `uv_poll_t` on Node's own loop, with its own
 * `ref()`/`unref()`. See `loop_wake.ts` for what such a handle may watch and why.
 *
 * @module
 */
import { koffiNodePoll } from "../ffi/_koffi.ts";
import type { LoopWake } from "./loop_wake.ts";

const READABLE = { readable: true } as const;

/** A `koffi.node.poll` handle watching `fd` for reading; started and ref'd. */
export function openKoffiWake(fd: number, onReadable: (stopped: boolean) => void): LoopWake {
  const poll = koffiNodePoll();
  if (poll === undefined) {
    throw new Error("iomux: the koffi source needs Node with koffi (2.9 or later) installed");
  }
  // koffi calls this from the loop with libuv's status and the events.
  const callback = (status: number) => onReadable(status < 0);
  // koffi closes a handle that is garbage-collected: the wake object holds it.
  const handle = poll(fd, READABLE, callback);
  return {
    start: () => handle.start(READABLE, callback),
    stop: () => handle.stop(),
    setRef: (refed) => refed ? handle.ref() : handle.unref(),
    close: () => handle.close(),
  };
}
