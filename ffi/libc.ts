/**
 * The libc functions iomux calls, as plain typed functions over typed arrays. This is
 * the whole interface between iomux and a runtime's FFI: a backend (`Deno.dlopen`,
 * `bun:ffi`, `node:ffi` or koffi, picked in `load()`) supplies an object of this
 * shape, and nothing above `ffi/` knows which one it got.
 *
 * @module
 */
import { abi, abiSupported, platformKey } from "./abi.ts";
import { loadDeno } from "./_deno.ts";
import { loadBun } from "./_bun.ts";
import { loadNodeFfi, type NodeFfi } from "./_node_ffi.ts";
import { loadKoffi } from "./_koffi.ts";
import { builtinModule } from "./_native.ts";

/** `nfds_t`: a BigInt where it is 64 bits wide, a number where it is 32. */
export type Nfds = number | bigint;

/** `kevent(2)`: `null` buffers are NULL pointers. */
export type KeventFunction = (
  kq: number,
  changelist: Uint8Array | null,
  nchanges: number,
  eventlist: Uint8Array | null,
  nevents: number,
  timeout: Uint8Array | null,
) => number;

/** libc as iomux uses it. Every function returns -1 and sets errno on failure. */
export interface Libc {
  /** `select(nfds, readfds, writefds, exceptfds, timeout)`; null for NULL. */
  select(
    nfds: number,
    readfds: Uint8Array | null,
    writefds: Uint8Array | null,
    exceptfds: Uint8Array | null,
    timeout: Uint8Array | null,
  ): number;
  /** `poll(fds, nfds, timeout_ms)`. */
  poll(fds: Uint8Array | null, nfds: Nfds, timeout: number): number;
  /** `epoll_create1(flags)`; absent off Linux. */
  epoll_create1: ((flags: number) => number) | null;
  /** `epoll_ctl(epfd, op, fd, event)`; absent off Linux. */
  epoll_ctl: ((epfd: number, op: number, fd: number, event: Uint8Array) => number) | null;
  /** `epoll_wait(epfd, events, maxevents, timeout_ms)`; absent off Linux. */
  epoll_wait:
    | ((epfd: number, events: Uint8Array, maxevents: number, timeout: number) => number)
    | null;
  /**
   * `poll(fds, nfds, timeout_ms)` on a worker thread; the Promise gives the result.
   * errno is lost: on -1, repeat the call synchronously with timeout 0 to learn it.
   * `fds` must not be touched until the Promise settles. `null` where the backend
   * cannot call off the JS thread.
   */
  poll_async: ((fds: Uint8Array, nfds: Nfds, timeout: number) => Promise<number>) | null;
  /**
   * `epoll_wait(epfd, events, maxevents, timeout_ms)` on a worker thread, as
   * `poll_async`; absent off Linux and where the backend cannot call off the JS thread.
   */
  epoll_wait_async:
    | ((epfd: number, events: Uint8Array, maxevents: number, timeout: number) => Promise<number>)
    | null;
  /** `eventfd(initval, flags)`; absent off Linux. */
  eventfd: ((initval: number, flags: number) => number) | null;
  /** `kqueue()`; absent off macOS and FreeBSD (see `kqueue_lib.ts` for libkqueue). */
  kqueue: (() => number) | null;
  /** `kevent(kq, changelist, nchanges, eventlist, nevents, timeout)`; absent off BSD. */
  kevent: KeventFunction | null;
  /** `pipe(fds)`. */
  pipe(fds: Int32Array): number;
  /** `pipe2(fds, flags)`; absent on macOS. */
  pipe2: ((fds: Int32Array, flags: number) => number) | null;
  /** `read(fd, buf, count)`, count at most 0x7ffff000. */
  read(fd: number, buf: Uint8Array, count: number): number;
  /** `write(fd, buf, count)`, count at most 0x7ffff000. */
  write(fd: number, buf: Uint8Array, count: number): number;
  /** `close(fd)`. */
  close(fd: number): number;
  /** `fcntl(fd, cmd, arg)` with an int argument. */
  fcntl(fd: number, cmd: number, arg: number): number;
  /** `open(path, flags, mode)`; `path` is NUL-terminated. */
  open(path: Uint8Array, flags: number, mode: number): number;
  /** `socket(domain, type, protocol)`. */
  socket(domain: number, type: number, protocol: number): number;
  /** `socketpair(domain, type, protocol, sv)`. */
  socketpair(domain: number, type: number, protocol: number, sv: Int32Array): number;
  /** `bind(fd, addr, addrlen)`. */
  bind(fd: number, addr: Uint8Array, addrlen: number): number;
  /** `connect(fd, addr, addrlen)`. */
  connect(fd: number, addr: Uint8Array, addrlen: number): number;
  /** `listen(fd, backlog)`. */
  listen(fd: number, backlog: number): number;
  /** `accept(fd, addr, addrlen)`; `addrlen` is a one-element value-result cell. */
  accept(fd: number, addr: Uint8Array | null, addrlen: Uint32Array | null): number;
  /** `accept4(fd, addr, addrlen, flags)`; absent on macOS. */
  accept4:
    | ((fd: number, addr: Uint8Array | null, addrlen: Uint32Array | null, flags: number) => number)
    | null;
  /** `recv(fd, buf, len, flags)`, len at most 0x7ffff000. */
  recv(fd: number, buf: Uint8Array, len: number, flags: number): number;
  /** `recvfrom(fd, buf, len, flags, addr, addrlen)`, len at most 0x7ffff000. */
  recvfrom(
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    addr: Uint8Array | null,
    addrlen: Uint32Array | null,
  ): number;
  /** `send(fd, buf, len, flags)`, len at most 0x7ffff000. */
  send(fd: number, buf: Uint8Array, len: number, flags: number): number;
  /** `sendto(fd, buf, len, flags, addr, addrlen)`, len at most 0x7ffff000. */
  sendto(
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    addr: Uint8Array,
    addrlen: number,
  ): number;
  /** `shutdown(fd, how)`. */
  shutdown(fd: number, how: number): number;
  /** `getsockopt(fd, level, optname, optval, optlen)`. */
  getsockopt(
    fd: number,
    level: number,
    optname: number,
    optval: Uint8Array,
    optlen: Uint32Array,
  ): number;
  /** `setsockopt(fd, level, optname, optval, optlen)`. */
  setsockopt(
    fd: number,
    level: number,
    optname: number,
    optval: Uint8Array | null,
    optlen: number,
  ): number;
  /** `getsockname(fd, addr, addrlen)`. */
  getsockname(fd: number, addr: Uint8Array, addrlen: Uint32Array): number;
  /** `getpeername(fd, addr, addrlen)`. */
  getpeername(fd: number, addr: Uint8Array, addrlen: Uint32Array): number;
  /** The calling thread's errno, read right after the failing call. */
  errno(): number;
  /** `strerror(errnum)`. */
  strerror(errnum: number): string;
  /** Which FFI backend this is: "deno", "bun:ffi", "node:ffi" or "koffi". */
  readonly backend: string;
}

/**
 * What a backend hands over: the bound symbols of `symbols.ts` under their C
 * names (missing optional ones absent), an errno reader, and a C-string reader
 * for the pointers that `strerror` returns.
 */
export interface RawLibc {
  readonly backend: string;
  // deno-lint-ignore no-explicit-any
  readonly symbols: Record<string, (...args: any[]) => any>;
  errno(): number;
  cString(pointer: unknown): string | null;
}

let loaded: Libc | undefined;

/** Adapts a backend's raw symbols to {@linkcode Libc}. */
function adapt(raw: RawLibc): Libc {
  const s = raw.symbols;
  const pad = new Array<bigint>(abi.variadicPadding).fill(0n);
  const fcntl = s.fcntl!;
  const open = s.open!;
  return {
    backend: raw.backend,
    select: s.select!,
    poll: s.poll!,
    epoll_create1: s.epoll_create1 ?? null,
    epoll_ctl: s.epoll_ctl ?? null,
    epoll_wait: s.epoll_wait ?? null,
    poll_async: s.poll_async ?? null,
    epoll_wait_async: s.epoll_wait ? s.epoll_wait_async ?? null : null,
    eventfd: s.eventfd ?? null,
    kqueue: s.kqueue ?? null,
    kevent: s.kevent ?? null,
    pipe: s.pipe!,
    pipe2: s.pipe2 ?? null,
    read: s.read!,
    write: s.write!,
    close: s.close!,
    fcntl: pad.length > 0 ? (fd, cmd, arg) => fcntl(fd, cmd, ...pad, BigInt(arg)) : fcntl,
    open: pad.length > 0 ? (path, flags, mode) => open(path, flags, ...pad, BigInt(mode)) : open,
    socket: s.socket!,
    socketpair: s.socketpair!,
    bind: s.bind!,
    connect: s.connect!,
    listen: s.listen!,
    accept: s.accept!,
    accept4: s.accept4 ?? null,
    recv: s.recv!,
    recvfrom: s.recvfrom!,
    send: s.send!,
    sendto: s.sendto!,
    shutdown: s.shutdown!,
    getsockopt: s.getsockopt!,
    setsockopt: s.setsockopt!,
    getsockname: s.getsockname!,
    getpeername: s.getpeername!,
    errno: raw.errno,
    strerror: (errnum) => raw.cString(s.strerror!(errnum)) ?? `Unknown error ${errnum}`,
  };
}

interface RuntimeGlobals {
  Deno?: { dlopen?: unknown };
  Bun?: unknown;
}

function load(): Libc {
  if (!abiSupported) {
    throw new Error(
      `iomux: no ABI table for this platform (${platformKey()}); ` +
        "supported: Linux, macOS and FreeBSD on x86_64 and aarch64",
    );
  }
  const g = globalThis as RuntimeGlobals;
  if (typeof g.Deno?.dlopen === "function") return adapt(loadDeno(abi));
  if (g.Bun) return adapt(loadBun(abi));
  // node:ffi is absent before Node 26 and when disabled (--no-experimental-ffi).
  const nodeFfi = builtinModule<NodeFfi>("node:ffi");
  if (nodeFfi) return adapt(loadNodeFfi(nodeFfi, abi));
  return adapt(loadKoffi(abi));
}

/**
 * The libc bindings, loaded on first use (so that importing iomux needs no
 * permission until a system call is made).
 */
export function libc(): Libc {
  return loaded ??= load();
}

/** `nfds` in the width `nfds_t` has here. */
export const toNfds: (n: number) => Nfds = abi.nfdsBytes === 8 ? BigInt : (n: number) => n;
