/**
 * `socket.socket`: IPv4, IPv6 and Unix sockets over raw fds, with Python's methods,
 * addresses and errors. This file holds the methods and the one-call fast paths of
 * `recv`, `recvInto`, `send` and `sendAll`; the rest of each method's work is in
 * `_transfer.ts` (the full paths of recv and send), `_connect.ts` (accept,
 * connect), `_datagram.ts` (recvfrom, sendto) and `_msg.ts` (sendmsg, recvmsg).
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { plainLength } from "../ffi/bytes.ts";
import { bytePaths } from "../os/_fd.ts";
import { argInt } from "../_py/convert.ts";
import { type Address, type AddressLike, encodeAddress } from "./_address.ts";
import { accept, internalConnect } from "./_connect.ts";
import { recvfrom, recvfromInto, sendto } from "./_datagram.ts";
import { check, MAX_IO, scratchAddress } from "./_syscall.ts";
import { SocketBase } from "./socket_base.ts";
import {
  nbytesArgument,
  recvFull,
  recvIntoFull,
  scratch,
  sendAllFull,
  sendFull,
  SOCK_STREAM,
} from "./_transfer.ts";
import {
  type AncillaryItemLike,
  recvmsg,
  recvmsgInto,
  type RecvmsgResult,
  sendmsg,
} from "./_msg.ts";

export type { Address, AddressLike, IPv4Address, IPv6Address, NetlinkAddress } from "./_address.ts";
export type { AncillaryItem, AncillaryItemLike, RecvmsgResult } from "./_msg.ts";
export { SocketBase } from "./socket_base.ts";

const { SOMAXCONN } = abi.socket.constants;
const { EINTR } = abi.errno;

/**
 * A socket, as Python's `socket.socket`: IPv4, IPv6 and Unix, stream and datagram.
 * Its fd is close-on-exec. Blocking calls block the JS thread; make the socket
 * non-blocking and wait with `select`, `poll` or a selector to serve many at once.
 * `settimeout(seconds)` bounds blocking calls as in Python (`TimeoutError("timed
 * out")`). Interrupted calls are retried (PEP 475). A send to a closed peer raises
 * `BrokenPipeError` (no SIGPIPE). Operations on a closed socket raise `OSError`
 * EBADF, as in Python.
 *
 * Hosts, as in Python: a numeric address is used as it is, `""` is the wildcard
 * address, `"<broadcast>"` `INADDR_BROADCAST`, and any other name is resolved with
 * the system's `getaddrinfo` for the socket's family, on the JS thread (a name that
 * does not resolve raises {@linkcode gaierror}).
 *
 * @example An echo round trip over loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { Socket } from "@iomux/iomux/socket";
 *
 * using server = new Socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = new Socket();
 * client.connect(server.getsockname());
 * const [conn] = server.accept();
 * using _conn = conn;
 * client.sendAll(new TextEncoder().encode("ping"));
 * assert.equal(new TextDecoder().decode(conn.recv(1024)), "ping");
 * ```
 */
export class Socket extends SocketBase {
  /**
   * Binds to a local address.
   *
   * @param address `[host, port]`, `[host, port, flowinfo, scopeId]` or a Unix path.
   * @throws {OSError} EADDRINUSE, EACCES…; `"AF_UNIX path too long"`.
   * @throws {gaierror} A host name that does not resolve.
   */
  bind(address: AddressLike): void {
    const length = encodeAddress(this.family, address, "bind", scratchAddress);
    check(libc().bind(this.fileno(), scratchAddress, length));
  }

  /**
   * Listens for connections.
   *
   * @param backlog Queue length; Python's default is `min(SOMAXCONN, 128)`.
   */
  listen(backlog: number = Math.min(SOMAXCONN, 128)): void {
    check(libc().listen(this.fileno(), Math.max(argInt(backlog), 0)));
  }

  /**
   * Accepts a connection. The new socket is blocking and close-on-exec.
   *
   * @returns `[socket, address]`.
   * @throws {BlockingIOError} Non-blocking, and nobody is waiting.
   */
  accept(): [Socket, Address] {
    return accept(this, Socket);
  }

  /**
   * Connects to a remote address. On a non-blocking socket the connection goes on
   * in the background: this raises `BlockingIOError` (EINPROGRESS); wait until the
   * socket is writable, then read `SO_ERROR`.
   *
   * @param address Where to connect.
   * @throws {ConnectionRefusedError} Nobody listens there.
   * @throws {BlockingIOError} Non-blocking and in progress.
   * @throws {TimeoutError} A timeout is set (`settimeout`) and passed first.
   */
  connect(address: AddressLike): void {
    const errno = internalConnect(this, address, "connect");
    if (errno !== 0) throw osError(errno);
  }

  /**
   * Like {@linkcode Socket.connect} but returns the errno instead of raising it
   * (0 on success; EINPROGRESS when non-blocking), as Python's `connect_ex`.
   *
   * @param address Where to connect.
   * @returns 0 or an errno value.
   */
  connectEx(address: AddressLike): number {
    return internalConnect(this, address, "connect_ex");
  }

  /**
   * Receives at most `bufsize` bytes.
   *
   * @param bufsize The most bytes to read.
   * @param flags `MSG_*` flags.
   * @returns A new array of exactly the bytes read; empty at end of stream.
   * @throws {BlockingIOError} Non-blocking, and nothing to read.
   * @throws {ValueError} `"negative buffersize in recv"`.
   */
  recv(bufsize: number, flags: number = 0): Uint8Array {
    // CPython converts every argument ("n|i") before it checks any value.
    const size = nbytesArgument(bufsize), f = argInt(flags);
    if (size < 0) throw new ValueError("negative buffersize in recv");
    // CPython asks the kernel nothing for 0 bytes.
    if (size === 0) return new Uint8Array(0);
    const fd = this.fileno(), timeout = this.gettimeout(), c = libc();
    // The common case in one system call: no flags, no timeout, 64 KiB at most.
    // Anything else, and EINTR (PEP 475's retry), takes the full path. (The full
    // paths live in functions of their own: their closures would make every call
    // allocate a context for the variables they capture.)
    if (f === 0 && !timeout && size <= scratch.length) {
      const got = this.type === SOCK_STREAM
        ? c.streamRecv(fd, scratch, size)
        : c.recv(fd, scratch, size, 0);
      if (got >= 0 || c.errno() !== EINTR) {
        bytePaths.recv++;
        return scratch.slice(0, check(got));
      }
    }
    bytePaths.recvFallback++;
    return recvFull(fd, timeout, size, f);
  }

  /**
   * Receives into `buffer`, as Python's `recv_into`.
   *
   * @param buffer Where to write (any typed array, DataView or ArrayBuffer).
   * @param nbytes The most bytes to read; 0 (default) means the buffer's size.
   * @param flags `MSG_*` flags.
   * @returns How many bytes were written; 0 at end of stream.
   * @throws {ValueError} `"buffer too small for requested bytes"`,
   *   `"negative buffersize in recv_into"`.
   */
  recvInto(buffer: ArrayBufferView | ArrayBuffer, nbytes: number = 0, flags: number = 0): number {
    // fileno() and gettimeout() may be a subclass's code: they run before the
    // buffer's extent is taken, so nothing can detach or shrink it in between.
    const fd = this.fileno(), timeout = this.gettimeout(), c = libc();
    // The common case in one system call: a plain Uint8Array (its extent read through
    // the engine's own getters), no nbytes, no flags, no timeout. Anything else, and
    // EINTR (PEP 475's retry), takes the full path below.
    if (nbytes === 0 && flags === 0 && !timeout) {
      const size = plainLength(buffer);
      if (size > 0) {
        const view = buffer as Uint8Array, n = Math.min(size, MAX_IO);
        const got = this.type === SOCK_STREAM ? c.streamRecv(fd, view, n) : c.recv(fd, view, n, 0);
        if (got >= 0 || c.errno() !== EINTR) {
          bytePaths.recvInto++;
          return check(got);
        }
      }
    }
    bytePaths.recvIntoFallback++;
    return recvIntoFull(fd, timeout, buffer, nbytes, flags);
  }

  /**
   * Receives a datagram (or stream bytes) and the sender's address.
   *
   * @param bufsize The most bytes to read.
   * @param flags `MSG_*` flags.
   * @returns `[bytes, address]`; the address is `null` when the kernel gives none
   *   (a connected stream socket).
   * @throws {ValueError} `"negative buffersize in recvfrom"`.
   */
  recvFrom(bufsize: number, flags: number = 0): [Uint8Array, Address | null] {
    return recvfrom(this, bufsize, flags);
  }

  /**
   * `recvFrom` into a caller's buffer, as Python's `recvfrom_into`.
   *
   * @param buffer Where to write.
   * @param nbytes The most bytes to read; 0 (default) means the buffer's size.
   * @param flags `MSG_*` flags.
   * @returns `[count, address]`.
   * @throws {ValueError} `"nbytes is greater than the length of the buffer"`.
   */
  recvFromInto(
    buffer: ArrayBufferView | ArrayBuffer,
    nbytes: number = 0,
    flags: number = 0,
  ): [number, Address | null] {
    return recvfromInto(this, buffer, nbytes, flags);
  }

  /**
   * Sends bytes; one `send(2)`, which may send fewer than given.
   *
   * @param data The bytes.
   * @param flags `MSG_*` flags.
   * @returns How many bytes were sent.
   * @throws {BlockingIOError} Non-blocking, and the send buffer is full.
   * @throws {BrokenPipeError} The peer has closed.
   */
  send(data: ArrayBufferView | ArrayBuffer, flags: number = 0): number {
    const fd = this.fileno(), timeout = this.gettimeout(), c = libc();
    // The common case in one system call: a plain Uint8Array, no flags, no timeout.
    // Anything else, and EINTR (PEP 475's retry), takes the full path below.
    if (flags === 0 && !timeout) {
      const size = plainLength(data);
      if (size > 0) {
        const got = c.plainSend(fd, data as Uint8Array, Math.min(size, MAX_IO));
        if (got >= 0 || c.errno() !== EINTR) {
          bytePaths.send++;
          return check(got);
        }
      }
    }
    bytePaths.sendFallback++;
    return sendFull(fd, timeout, data, flags);
  }

  /**
   * Sends every byte, calling `send(2)` until done, as Python's `sendall`. On a
   * non-blocking socket it raises `BlockingIOError` as soon as a send would block
   * (some bytes may have been sent by then; Python does the same).
   *
   * @param data The bytes.
   * @param flags `MSG_*` flags.
   */
  sendAll(data: ArrayBufferView | ArrayBuffer, flags: number = 0): void {
    const fd = this.fileno(), timeout = this.gettimeout(), c = libc();
    let offset = 0;
    // The common case in one system call: as send's, when the kernel takes it all.
    // What is left of a partial send, and EINTR, go on in the full loop below.
    if (flags === 0 && !timeout) {
      const size = plainLength(data);
      if (size > 0) {
        const got = c.plainSend(fd, data as Uint8Array, Math.min(size, MAX_IO));
        if (got === size) {
          bytePaths.sendAll++;
          return;
        }
        if (got >= 0) {
          offset = got;
        } else if (c.errno() !== EINTR) {
          bytePaths.sendAll++;
          check(got);
        }
      }
    }
    bytePaths.sendAllFallback++;
    sendAllFull(fd, timeout, data, flags, offset);
  }

  /**
   * Sends a datagram to `address`, as Python's `sendto(data[, flags], address)`.
   *
   * @param data The bytes.
   * @param flagsOrAddress The address, or `MSG_*` flags followed by the address.
   * @param address The address when flags are given.
   * @returns How many bytes were sent.
   */
  sendTo(data: ArrayBufferView | ArrayBuffer, address: AddressLike): number;
  /**
   * Sends a datagram to `address` with `MSG_*` flags, as Python's
   * `sendto(data, flags, address)`.
   *
   * @param data The bytes.
   * @param flags `MSG_*` flags.
   * @param address The destination.
   * @returns How many bytes were sent.
   */
  sendTo(data: ArrayBufferView | ArrayBuffer, flags: number, address: AddressLike): number;
  sendTo(
    data: ArrayBufferView | ArrayBuffer,
    flagsOrAddress: number | AddressLike,
    ...rest: AddressLike[]
  ): number {
    if (arguments.length < 2 || arguments.length > 3) {
      throw new TypeError(`sendto() takes 2 or 3 arguments (${arguments.length} given)`);
    }
    const flags = rest.length === 1 ? argInt(flagsOrAddress) : 0;
    const address = rest.length === 1 ? rest[0]! : flagsOrAddress as AddressLike;
    return sendto(this, data, flags, address);
  }

  /**
   * Sends the bytes of `buffers`, gathered into one message, with control messages,
   * as Python's `sendmsg(buffers[, ancdata[, flags[, address]]])` (not on Windows,
   * as in CPython).
   *
   * @param buffers Bytes-like values, sent as one message.
   * @param ancdata `[level, type, data]` items, e.g. `[SOL_SOCKET, SCM_RIGHTS, fds]`.
   * @param flags `MSG_*` flags.
   * @param address The destination (unconnected datagram sockets); `null` for none.
   * @returns How many bytes of `buffers` were sent.
   * @throws {BlockingIOError} Non-blocking, and the send buffer is full.
   * @throws {OSError} `"ancillary data item too large"`, `"too much ancillary data"`,
   *   EMSGSIZE (more than `IOV_MAX` buffers), EBADF…
   *
   * @example Passing a pipe's read end to the peer
   * ```ts
   * import assert from "node:assert/strict";
   * import { close, pipe } from "@iomux/iomux/os";
   * import { AF_UNIX, CMSG_SPACE, SCM_RIGHTS, SOL_SOCKET, socketpair } from "@iomux/iomux/socket";
   *
   * const [a, b] = socketpair(AF_UNIX);
   * const [r, w] = pipe();
   * a.sendmsg([new Uint8Array([1])], [[SOL_SOCKET, SCM_RIGHTS, new Int32Array([r])]]);
   * const [, ancdata] = b.recvmsg(1, CMSG_SPACE(4));
   * const [level, type, data] = ancdata[0]!;
   * assert.equal(level, SOL_SOCKET);
   * assert.equal(type, SCM_RIGHTS);
   * close(new DataView(data.buffer).getInt32(0, true));
   * [r, w].forEach(close);
   * a.close();
   * b.close();
   * ```
   */
  sendmsg(
    buffers: Iterable<ArrayBufferView | ArrayBuffer>,
    ancdata?: Iterable<AncillaryItemLike>,
    flags: number = 0,
    address: AddressLike | null = null,
  ): number {
    return sendmsg(this, buffers, ancdata, flags, address);
  }

  /**
   * Receives up to `bufsize` bytes and up to `ancbufsize` bytes of control messages,
   * as Python's `recvmsg(bufsize[, ancbufsize[, flags]])`. Size `ancbufsize` with
   * `CMSG_SPACE`; what does not fit is cut, and `MSG_CTRUNC` is set in the flags.
   * Fds received with `SCM_RIGHTS` are yours to close, and inheritable, as in CPython
   * (pass `MSG_CMSG_CLOEXEC`, Linux's 0x40000000, in `flags` to make them
   * close-on-exec).
   *
   * @param bufsize The most data bytes to read.
   * @param ancbufsize The control buffer's size (0: no control messages).
   * @param flags `MSG_*` flags.
   * @returns `[data, ancdata, msgFlags, address]`; `address` is `null` when the kernel
   *   gives none.
   * @throws {ValueError} `"negative buffer size in recvmsg()"`,
   *   `"invalid ancillary data buffer length"`.
   * @throws {BlockingIOError} Non-blocking, and nothing to read.
   */
  recvmsg(bufsize: number, ancbufsize: number = 0, flags: number = 0): RecvmsgResult<Uint8Array> {
    return recvmsg(this, bufsize, ancbufsize, flags);
  }

  /**
   * `recvmsg` into the caller's buffers, filled in order, as Python's `recvmsg_into`.
   *
   * @param buffers Writable bytes-like values.
   * @param ancbufsize The control buffer's size.
   * @param flags `MSG_*` flags.
   * @returns `[count, ancdata, msgFlags, address]`.
   */
  recvmsgInto(
    buffers: Iterable<ArrayBufferView | ArrayBuffer>,
    ancbufsize: number = 0,
    flags: number = 0,
  ): RecvmsgResult<number> {
    return recvmsgInto(this, buffers, ancbufsize, flags);
  }
}
