/**
 * `sendmsg(2)` and `recvmsg(2)` for {@linkcode Socket}: CPython's `sock_sendmsg`,
 * `sock_recvmsg_guts`, `sock_recvmsg` and `sock_recvmsg_into`
 * (`Modules/socketmodule.c`), argument checks and messages included.
 *
 * A `msghdr` holds pointers, so each call lays out one iomux-made block (a fresh
 * `ArrayBuffer`, whose memory no engine moves) with its address from
 * `ffi/address.ts`: NUL, the `msghdr`, the sockaddr, the `iovec`s, the control
 * messages, the data. The caller's bytes are copied in (send) or out (receive) by
 * their intrinsic extents (`ffi/bytes.ts`), after every piece of caller code (an
 * iterator, a getter) has run, so no lying view can widen what the kernel touches.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import type { MsgAbi } from "../ffi/abi/socket_types.ts";
import { addressOf } from "../ffi/address.ts";
import { byteLengthOf, bytesFrom, isWritable, plainBytes } from "../ffi/bytes.ts";
import { libc } from "../ffi/libc.ts";
import { SOCKADDR_STORAGE_SIZE, SUN_PATH_OFFSET } from "../ffi/sockaddr.ts";
import { argInt, pyTypeName, ssizeArg } from "../_py/convert.ts";
import { pyWarn } from "../_py/resource_warning.ts";
import { type Address, decodeAddress, encodeAddress } from "./_address.ts";
import { MAX_IO, SEND_FLAGS, socketCall } from "./_syscall.ts";
import {
  closeReceivedFds,
  cmsgDataOffset,
  cmsgLenOf,
  cmsgSpaceOf,
  msgLayout,
  SOCKLEN_T_LIMIT,
  walk,
} from "./cmsg.ts";
import type { SocketBase } from "./socket_base.ts";

const { AF_UNIX, AF_INET, AF_INET6 } = abi.socket.constants;

/** A received control message, as Python's `(cmsg_level, cmsg_type, cmsg_data)`. */
export type AncillaryItem = [level: number, type: number, data: Uint8Array];
/** A control message to send: `[cmsg_level, cmsg_type, data]`, the data any bytes-like value. */
export type AncillaryItemLike = readonly [
  level: number,
  type: number,
  data: ArrayBufferView | ArrayBuffer,
];
/** What `recvmsg` (`T`: the bytes) and `recvmsgInto` (`T`: the count) return. */
export type RecvmsgResult<T> = [
  data: T,
  ancdata: AncillaryItem[],
  msgFlags: number,
  address: Address | null,
];

interface Block {
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  /** The `msghdr`, what the system call gets. */
  readonly msghdr: Uint8Array;
  readonly view: DataView;
  readonly size: number;
  readonly base: bigint;
}

const MSGHDR_AT = 8;
/** More than any `sizeof(struct msghdr)`. */
const MSGHDR_ROOM = 64;
const CACHE_LIMIT = 1 << 20;
let cached: Block | undefined;

/** A block of at least `size` bytes: the cached one, or a new one (cached up to 1 MiB). */
function blockOf(size: number): Block {
  if (cached !== undefined && cached.size >= size) return cached;
  const capacity = size <= CACHE_LIMIT ? Math.max(4096, 2 ** Math.ceil(Math.log2(size))) : size;
  // The ArrayBuffer is kept: `.buffer` is a getter that caller code can redefine.
  const buffer = new ArrayBuffer(capacity);
  const bytes = new Uint8Array(buffer);
  const block = {
    buffer,
    bytes,
    msghdr: new Uint8Array(buffer, MSGHDR_AT, MSGHDR_ROOM),
    view: new DataView(buffer),
    size: capacity,
    base: addressOf(bytes),
  };
  if (capacity <= CACHE_LIMIT) cached = block;
  return block;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Where each part sits in the block. */
interface Layout {
  readonly name: number;
  readonly iov: number;
  readonly control: number;
  readonly data: number;
  readonly size: number;
}

function layoutOf(m: MsgAbi, iovCount: number, controllen: number, dataSize: number): Layout {
  const name = MSGHDR_AT + MSGHDR_ROOM;
  const iov = name + SOCKADDR_STORAGE_SIZE;
  const control = align8(iov + iovCount * m.iovecSize);
  const data = align8(control + controllen);
  return { name, iov, control, data, size: data + dataSize };
}

function setWord(v: DataView, at: number, bytes: 4 | 8, value: number): void {
  if (bytes === 8) v.setBigUint64(at, BigInt(value), true);
  else v.setUint32(at, value, true);
}

function getWord(v: DataView, at: number, bytes: 4 | 8): number {
  return bytes === 8 ? Number(v.getBigUint64(at, true)) : v.getUint32(at, true);
}

/** Writes the `msghdr` and one `iovec` per size (the data parts laid end to end). */
function writeHeader(
  m: MsgAbi,
  block: Block,
  l: Layout,
  namelen: number,
  sizes: readonly number[],
  controllen: number,
): void {
  const v = block.view, at = MSGHDR_AT, base = block.base;
  block.bytes.fill(0, at, at + m.size);
  v.setBigUint64(at + m.name, namelen > 0 ? base + BigInt(l.name) : 0n, true);
  v.setUint32(at + m.namelen, namelen, true);
  v.setBigUint64(at + m.iov, sizes.length > 0 ? base + BigInt(l.iov) : 0n, true);
  setWord(v, at + m.iovlen, m.iovlenBytes, sizes.length);
  v.setBigUint64(at + m.control, controllen > 0 ? base + BigInt(l.control) : 0n, true);
  setWord(v, at + m.controllen, m.controllenBytes, controllen);
  let data = l.data;
  sizes.forEach((size, i) => {
    v.setBigUint64(l.iov + i * m.iovecSize, base + BigInt(data), true);
    v.setBigUint64(l.iov + i * m.iovecSize + 8, BigInt(size), true);
    data += size;
  });
}

function window(block: Block, at: number, length: number): Uint8Array {
  return new Uint8Array(block.buffer, at, length);
}

/** `PySequence_Fast`: anything iterable, as a list; else `TypeError(message)`. */
function sequence(value: unknown, message: string): unknown[] {
  const iterator = value === null || value === undefined
    ? undefined
    : (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iterator !== "function") throw new TypeError(message);
  return Array.from(value as Iterable<unknown>);
}

function bytesLike(value: unknown): Uint8Array {
  const bytes = plainBytes(value);
  if (bytes === undefined) {
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(value)}'`);
  }
  return bytes;
}

interface Outgoing {
  readonly level: number;
  readonly type: number;
  readonly data: Uint8Array;
}

/** The `"(iiy*)"` parse of each ancillary item, and the total `CMSG_SPACE`. */
function ancillaryItems(m: MsgAbi, ancdata: unknown): [Outgoing[], number] {
  if (ancdata === undefined) return [[], 0];
  const items: Outgoing[] = [];
  let controllen = 0;
  const where = "[sendmsg() ancillary data items]() argument";
  for (const item of sequence(ancdata, "sendmsg() argument 2 must be an iterable")) {
    if (!Array.isArray(item)) {
      throw new TypeError(`${where} must be 3-item sequence, not ${pyTypeName(item)}`);
    }
    if (item.length !== 3) {
      throw new TypeError(`${where} must be sequence of length 3, not ${item.length}`);
    }
    const level = argInt(item[0]), type = argInt(item[1]), data = bytesLike(item[2]);
    const space = cmsgSpaceOf(m, byteLengthOf(data));
    if (space === undefined) throw new OSError("ancillary data item too large");
    controllen += space;
    if (controllen > SOCKLEN_T_LIMIT) throw new OSError("too much ancillary data");
    items.push({ level, type, data });
  }
  return [items, controllen];
}

/**
 * `sock_sendmsg`: the flags, the address, the buffers, then the ancillary items, in
 * CPython's order; one `sendmsg(2)` (PEP 475 retry, the socket's timeout).
 */
export function sendmsg(
  sock: SocketBase,
  buffers: unknown,
  ancdata: unknown,
  flags: unknown,
  address: unknown,
): number {
  const m = msgLayout("sendmsg");
  const fd = sock.fileno(), timeout = sock.gettimeout();
  const f = argInt(flags);
  let name: Uint8Array | undefined, namelen = 0;
  if (address !== undefined && address !== null) {
    name = new Uint8Array(SOCKADDR_STORAGE_SIZE);
    namelen = encodeAddress(sock.family, address, "sendmsg", name);
  }
  const parts = sequence(buffers, "sendmsg() argument 1 must be an iterable").map(bytesLike);
  const [items, controllen] = ancillaryItems(m, ancdata);
  // Caller code (iterators, getters) has run since the extents were read: read them again.
  const data = parts.map((p) => bytesFrom(p, 0));
  const payloads = items.map((item) => bytesFrom(item.data, 0));
  const sizes = data.map(byteLengthOf);
  const l = layoutOf(m, sizes.length, controllen, sizes.reduce((a, b) => a + b, 0));
  const block = blockOf(l.size);
  const { bytes, msghdr, view } = block;
  if (name !== undefined) bytes.set(name, l.name);
  writeHeader(m, block, l, namelen, sizes, controllen);
  let at = l.data;
  data.forEach((part, i) => {
    bytes.set(part, at);
    at += sizes[i]!;
  });
  // Zeroed, as CPython's controlbuf: the padding reaches the kernel too.
  bytes.fill(0, l.control, l.control + controllen);
  let off = l.control;
  items.forEach((item, i) => {
    const length = byteLengthOf(payloads[i]!);
    setWord(view, off, m.cmsgLenBytes, cmsgLenOf(m, length)!);
    view.setInt32(off + m.cmsgLevel, item.level, true);
    view.setInt32(off + m.cmsgType, item.type, true);
    bytes.set(payloads[i]!, off + cmsgDataOffset(m));
    off += cmsgSpaceOf(m, length)!;
  });
  const c = libc();
  return socketCall(fd, timeout, true, () => c.sendmsg(fd, msghdr, f | SEND_FLAGS));
}

/** CPython's `getsockaddrlen`: the room the kernel gets for the sender's address. */
function sockaddrLength(family: number): number {
  if (family === AF_UNIX) return SUN_PATH_OFFSET + abi.socket.sunPathSize;
  if (family === AF_INET) return 16;
  if (family === AF_INET6) return 28;
  return SOCKADDR_STORAGE_SIZE;
}

/** What `sock_recvmsg_guts` hands back, the data left in the block. */
interface Received {
  readonly count: number;
  readonly ancdata: AncillaryItem[];
  readonly flags: number;
  readonly address: Address | null;
  readonly block: Block;
  readonly dataAt: number;
}

/** `sock_recvmsg_guts`: one `recvmsg(2)` into `sizes` bytes of iovecs and `controllen`. */
function receive(
  sock: SocketBase,
  sizes: readonly number[],
  ancbufsize: number,
  flags: number,
): Received {
  const m = msgLayout("recvmsg");
  const fd = sock.fileno(), timeout = sock.gettimeout();
  const namelen = sockaddrLength(sock.family);
  if (ancbufsize < 0 || ancbufsize > SOCKLEN_T_LIMIT) {
    throw new ValueError("invalid ancillary data buffer length");
  }
  const l = layoutOf(m, sizes.length, ancbufsize, sizes.reduce((a, b) => a + b, 0));
  const block = blockOf(l.size);
  const v = block.view, c = libc();
  const count = socketCall(fd, timeout, false, () => {
    // The kernel writes back namelen, controllen and flags: a retry starts afresh.
    block.bytes.fill(0, l.name, l.name + SOCKADDR_STORAGE_SIZE);
    writeHeader(m, block, l, namelen, sizes, ancbufsize);
    return c.recvmsg(fd, block.msghdr, flags);
  });
  const controllen = Math.min(
    getWord(v, MSGHDR_AT + m.controllen, m.controllenBytes),
    ancbufsize,
  );
  try {
    const ancdata: AncillaryItem[] = [];
    walk(m, v, l.control, controllen, (off, status, dataLength) => {
      if (status !== 0) {
        pyWarn("received malformed or improperly-truncated ancillary data", "RuntimeWarning");
      }
      if (status < 0) return false;
      const data = new Uint8Array(dataLength);
      data.set(window(block, l.control + off + cmsgDataOffset(m), dataLength));
      ancdata.push([
        v.getInt32(l.control + off + m.cmsgLevel, true),
        v.getInt32(l.control + off + m.cmsgType, true),
        data,
      ]);
      return true;
    });
    const gotName = Math.min(v.getUint32(MSGHDR_AT + m.namelen, true), namelen);
    const flagsOut = v.getInt32(MSGHDR_AT + m.flags, true);
    const address = decodeAddress(window(block, l.name, namelen), gotName);
    return { count, ancdata, flags: flagsOut, address, block, dataAt: l.data };
  } catch (e) {
    closeReceivedFds(m, v, l.control, controllen);
    throw e;
  }
}

/** `sock_recvmsg`: `"n|ni"`, then the checks in CPython's order. */
export function recvmsg(
  sock: SocketBase,
  bufsize: unknown,
  ancbufsize: unknown,
  flags: unknown,
): RecvmsgResult<Uint8Array> {
  msgLayout("recvmsg");
  const size = ssizeArg(bufsize), anc = ssizeArg(ancbufsize), f = argInt(flags);
  if (size < 0) throw new ValueError("negative buffer size in recvmsg()");
  const r = receive(sock, [Math.min(size, MAX_IO)], anc, f);
  const data = new Uint8Array(r.count);
  data.set(window(r.block, r.dataAt, r.count));
  return [data, r.ancdata, r.flags, r.address];
}

/** `sock_recvmsg_into`: `"O|ni"`, each buffer writable (`"w*"`), scattered in order. */
export function recvmsgInto(
  sock: SocketBase,
  buffers: unknown,
  ancbufsize: unknown,
  flags: unknown,
): RecvmsgResult<number> {
  msgLayout("recvmsg_into");
  const anc = ssizeArg(ancbufsize), f = argInt(flags);
  const bad = "recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers";
  const views = sequence(buffers, "recvmsg_into() argument 1 must be an iterable").map((b) => {
    const bytes = plainBytes(b);
    if (bytes === undefined || !isWritable(bytes)) throw new TypeError(bad);
    return bytes;
  });
  // Caller code (the iterator) has run since the extents were read: read them again.
  const targets = views.map((view) => bytesFrom(view, 0));
  const sizes = targets.map(byteLengthOf);
  const r = receive(sock, sizes, anc, f);
  let at = r.dataAt, left = r.count;
  targets.forEach((target, i) => {
    const n = Math.min(sizes[i]!, left);
    if (n > 0) target.set(window(r.block, at, n));
    at += sizes[i]!;
    left -= n;
  });
  return [r.count, r.ancdata, r.flags, r.address];
}
