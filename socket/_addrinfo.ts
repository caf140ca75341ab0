/**
 * `struct addrinfo` ⇄ JS: the hints `getaddrinfo` is given, the list it returns (read
 * from libc's memory, field offsets from the ABI table, then freed), and the call
 * itself, on the JS thread or off it. Shared by `getaddrinfo`/`getnameinfo` and by the
 * host resolution of `bind`, `connect` and `sendTo` (`_resolve.ts`).
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { byteLengthOf } from "../ffi/bytes.ts";
import { libc } from "../ffi/libc.ts";
import { type Address, pointerAt, readBytes, readCString } from "../ffi/memory.ts";
import { SOCKADDR_STORAGE_SIZE } from "../ffi/sockaddr.ts";
import { gaiError } from "./gaierror.ts";

const layout = abi.netdb.addrinfo;
const { EAI_SYSTEM } = abi.netdb.constants;
const encoder = new TextEncoder();

/** One entry of the list, its sockaddr copied out of libc's memory. */
export interface RawAddrinfo {
  readonly family: number;
  readonly type: number;
  readonly proto: number;
  readonly canonname: string;
  readonly sockaddr: Uint8Array;
  readonly addrlen: number;
}

/** What one `getaddrinfo` call is given: node, service and hints, and the result cell. */
export interface AddrinfoCall {
  readonly node: Uint8Array | null;
  readonly service: Uint8Array | null;
  readonly hints: Uint8Array;
  /** `struct addrinfo **res`: one pointer. */
  readonly result: Uint8Array;
}

/**
 * `size` zeroed bytes in an `ArrayBuffer` of their own. A worker thread reads and writes
 * a call's buffers while the JS thread runs on (`lookupAsync`): an explicit `ArrayBuffer`
 * lives outside the engine's heap, where garbage collection never moves it, whereas V8
 * keeps a small `new Uint8Array(n)` inside the heap.
 */
function fixedBytes(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(size));
}

/** `text` (or bytes) as a NUL-terminated C string; bytes are copied by their real extent. */
export function cString(text: string | Uint8Array): Uint8Array {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  const out = fixedBytes(byteLengthOf(bytes) + 1);
  out.set(bytes);
  return out;
}

/** A `getaddrinfo` call with zeroed hints but for these four fields. */
export function addrinfoCall(
  node: Uint8Array | null,
  service: Uint8Array | null,
  family: number,
  type: number,
  proto: number,
  flags: number,
): AddrinfoCall {
  const hints = fixedBytes(layout.size);
  const view = new DataView(hints.buffer);
  view.setInt32(layout.flags, flags, true);
  view.setInt32(layout.family, family, true);
  view.setInt32(layout.socktype, type, true);
  view.setInt32(layout.protocol, proto, true);
  return { node, service, hints, result: fixedBytes(8) };
}

/** Reads the list at `head` and frees it, even when reading fails. */
function takeList(head: Address): RawAddrinfo[] {
  const c = libc();
  const out: RawAddrinfo[] = [];
  try {
    for (let at = head; at !== 0n;) {
      const entry = readBytes(at, layout.size);
      const view = new DataView(entry.buffer);
      // Windows' ai_addrlen is a size_t: its low 32 bits (little-endian) are the length.
      const addrlen = view.getUint32(layout.addrlen, true);
      const addr = pointerAt(entry, layout.addr);
      const sockaddr = new Uint8Array(SOCKADDR_STORAGE_SIZE);
      const length = Math.min(addrlen, SOCKADDR_STORAGE_SIZE);
      if (addr !== 0n) sockaddr.set(readBytes(addr, length));
      out.push({
        family: view.getInt32(layout.family, true),
        type: view.getInt32(layout.socktype, true),
        proto: view.getInt32(layout.protocol, true),
        canonname: readCString(pointerAt(entry, layout.canonname)) ?? "",
        sockaddr,
        addrlen: addr === 0n ? 0 : length,
      });
      at = pointerAt(entry, layout.next);
    }
  } finally {
    c.freeaddrinfo(head);
  }
  return out;
}

/** The list for a call that returned `code`, or its error (`set_gaierror`). */
function finish(call: AddrinfoCall, code: number): RawAddrinfo[] {
  if (code !== 0) throw gaiError(code);
  return takeList(pointerAt(call.result, 0));
}

/** `getaddrinfo(3)` on the JS thread. */
export function lookup(call: AddrinfoCall): RawAddrinfo[] {
  return finish(call, libc().getaddrinfo(call.node, call.service, call.hints, call.result));
}

/**
 * `getaddrinfo(3)` on a worker thread, so that a slow resolver never blocks the event
 * loop. Where the runtime has no off-thread call for it (Node, Bun and koffi on
 * Windows, whose Winsock loader binds none), the call is made on the JS thread.
 */
export async function lookupAsync(call: AddrinfoCall): Promise<RawAddrinfo[]> {
  const offThread = libc().getaddrinfo_async;
  if (offThread === null) return lookup(call);
  const code = await offThread(call.node, call.service, call.hints, call.result);
  // EAI_SYSTEM's errno stayed on the worker thread: ask again here to learn it.
  if (code === EAI_SYSTEM && code !== 0) return lookup(call);
  return finish(call, code);
}
