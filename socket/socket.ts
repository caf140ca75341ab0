/**
 * `socket.socket`: IPv4, IPv6 and Unix sockets over raw fds, with Python's methods,
 * addresses and errors.
 *
 * @module
 */
import { OSError, ValueError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError, osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { bytesOf } from "../os/_fd.ts";
import { sockaddrFamily } from "../ffi/sockaddr.ts";
import { cInt, pyTypeName } from "../select/_convert.ts";
import {
  type Address,
  type AddressLike,
  decodeAddress,
  encodeAddress,
  formatAddress,
} from "./_address.ts";
import {
  adoptNewFd,
  awaitConnect,
  check,
  intOption,
  isNonBlocking,
  MAX_IO,
  retrying,
  scratchAddress,
  scratchLength,
  SEND_FLAGS,
  setNonBlocking,
} from "./_syscall.ts";

export type { Address, AddressLike, IPv4Address, IPv6Address } from "./_address.ts";

const {
  AF_INET,
  SOCK_STREAM,
  SOCK_NONBLOCK,
  SOCK_CLOEXEC,
  SOL_SOCKET,
  SO_TYPE,
  SO_PROTOCOL,
  SOMAXCONN,
} = abi.socket.constants;
const { hasSockFlags } = abi.socket;
const { EINTR } = abi.errno;

function nbytesArgument(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint") return Number(value);
  throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
}

function viewOf(buffer: ArrayBufferView | ArrayBuffer): Uint8Array {
  return bytesOf(buffer);
}

/**
 * A socket, as Python's `socket.socket`: IPv4, IPv6 and Unix, stream and datagram.
 * Its fd is close-on-exec. Blocking calls block the JS thread; make the socket
 * non-blocking and wait with `select`, `poll` or a selector to serve many at once.
 * Interrupted calls are retried (PEP 475). A send to a closed peer raises
 * `BrokenPipeError` (no SIGPIPE). Operations on a closed socket raise `OSError`
 * EBADF, as in Python.
 *
 * Hosts: numeric IPv4/IPv6 addresses, `""` (any) and `"localhost"`; iomux does not
 * resolve other names (they raise {@linkcode gaierror}).
 *
 * @example An echo round trip over loopback
 * ```ts
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
 * console.log(new TextDecoder().decode(conn.recv(1024))); // "ping"
 * ```
 */
export class Socket {
  #fd: number;
  #family: number;
  #type: number;
  #proto: number;
  #blocking: boolean;

  /**
   * Creates a socket, or wraps an existing socket fd, as Python's
   * `socket.socket(family, type, proto, fileno)`.
   *
   * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`; detected from `fileno`
   *   when omitted there.
   * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`, optionally or-ed with
   *   `SOCK_NONBLOCK`; detected from `fileno` when omitted there.
   * @param proto The protocol, usually 0.
   * @param fileno An open socket fd to wrap (the socket then owns it).
   * @throws {OSError} EAFNOSUPPORT, EINVAL, ENOTSOCK (a `fileno` that is not a socket)…
   * @throws {ValueError} `"negative file descriptor"`.
   *
   * @example
   * ```ts
   * import { AF_UNIX, SOCK_DGRAM, Socket } from "@iomux/iomux/socket";
   * using s = new Socket(AF_UNIX, SOCK_DGRAM);
   * console.log(s.family === AF_UNIX, s.type === SOCK_DGRAM); // true true
   * ```
   */
  constructor(family?: number, type?: number, proto?: number, fileno?: number | null) {
    if (fileno === undefined || fileno === null) {
      const f = family ?? AF_INET;
      const t = type ?? SOCK_STREAM;
      const p = proto ?? 0;
      const fd = check(libc().socket(f, t | SOCK_CLOEXEC, p));
      this.#fd = adoptNewFd(fd, hasSockFlags);
      this.#family = f;
      this.#type = t;
      this.#proto = p;
      this.#blocking = SOCK_NONBLOCK === 0 || (t & SOCK_NONBLOCK) === 0;
    } else {
      const fd = cInt(fileno);
      if (fd < 0) throw new ValueError("negative file descriptor");
      this.#family = family ?? detectFamily(fd);
      this.#type = type ?? intOption(fd, SOL_SOCKET, SO_TYPE);
      this.#proto = proto ?? (SO_PROTOCOL === 0 ? 0 : intOption(fd, SOL_SOCKET, SO_PROTOCOL));
      this.#fd = fd;
      // Python trusts its default timeout here; iomux reads the fd's real mode.
      this.#blocking = !isNonBlocking(fd);
    }
    this.#type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  }

  /** The address family (`AF_INET`, `AF_INET6`, `AF_UNIX`). */
  get family(): number {
    return this.#family;
  }

  /** The socket type without the `SOCK_NONBLOCK`/`SOCK_CLOEXEC` flags, as Python 3.7+. */
  get type(): number {
    return this.#type;
  }

  /** The protocol number. */
  get proto(): number {
    return this.#proto;
  }

  /** Whether {@linkcode Socket.close} has been called. */
  get closed(): boolean {
    return this.#fd === -1;
  }

  /**
   * The fd, or -1 once closed: what `select`, `poll` and the selectors read.
   *
   * @returns The fd.
   */
  fileno(): number {
    return this.#fd;
  }

  /**
   * Closes the socket. Closing again does nothing.
   *
   * @throws {OSError} If `close(2)` fails (ECONNRESET is ignored, as in Python).
   */
  close(): void {
    const fd = this.#fd;
    if (fd === -1) return;
    this.#fd = -1;
    if (libc().close(fd) < 0) {
      const error = lastOsError();
      if (error.code !== "ECONNRESET") throw error;
    }
  }

  /** Closes the socket (`using s = new Socket()`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Gives up the fd without closing it, as Python's `detach()`.
   *
   * @returns The fd, now the caller's to close.
   */
  detach(): number {
    const fd = this.#fd;
    this.#fd = -1;
    return fd;
  }

  /**
   * Binds to a local address.
   *
   * @param address `[host, port]`, `[host, port, flowinfo, scopeId]` or a Unix path.
   * @throws {OSError} EADDRINUSE, EACCES…; `"AF_UNIX path too long"`.
   * @throws {gaierror} A host name iomux does not resolve.
   */
  bind(address: AddressLike): void {
    const length = encodeAddress(this.#family, address, "bind", scratchAddress);
    check(libc().bind(this.#fd, scratchAddress, length));
  }

  /**
   * Listens for connections.
   *
   * @param backlog Queue length; Python's default is `min(SOMAXCONN, 128)`.
   */
  listen(backlog: number = Math.min(SOMAXCONN, 128)): void {
    check(libc().listen(this.#fd, Math.max(cInt(backlog), 0)));
  }

  /**
   * Accepts a connection. The new socket is blocking and close-on-exec.
   *
   * @returns `[socket, address]`.
   * @throws {BlockingIOError} Non-blocking, and nobody is waiting.
   */
  accept(): [Socket, Address] {
    const c = libc();
    const fd = this.#fd;
    const accept4 = c.accept4;
    const newFd = retrying(() => {
      scratchLength[0] = scratchAddress.length;
      return accept4 !== null
        ? accept4(fd, scratchAddress, scratchLength, SOCK_CLOEXEC)
        : c.accept(fd, scratchAddress, scratchLength);
    });
    const address = decodeAddress(scratchAddress, scratchLength[0]!) ?? "";
    adoptNewFd(newFd, accept4 !== null);
    const sock = new Socket(this.#family, this.#type, this.#proto, newFd);
    // BSD accept() hands a non-blocking listener's O_NONBLOCK on; Linux does not.
    if (!sock.#blocking) sock.setBlocking(true);
    return [sock, address];
  }

  /**
   * Connects to a remote address. On a non-blocking socket the connection goes on
   * in the background: this raises `BlockingIOError` (EINPROGRESS); wait until the
   * socket is writable, then read `SO_ERROR`.
   *
   * @param address Where to connect.
   * @throws {ConnectionRefusedError} Nobody listens there.
   * @throws {BlockingIOError} Non-blocking and in progress.
   */
  connect(address: AddressLike): void {
    const errno = this.#connect(address, "connect");
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
    return this.#connect(address, "connect_ex");
  }

  #connect(address: AddressLike, caller: string): number {
    const c = libc();
    const length = encodeAddress(this.#family, address, caller, scratchAddress);
    if (c.connect(this.#fd, scratchAddress, length) === 0) return 0;
    const errno = c.errno();
    // Retrying connect() after EINTR fails with EALREADY: CPython waits instead.
    if (errno === EINTR && this.#blocking) return awaitConnect(this.#fd);
    return errno;
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
    const size = nbytesArgument(bufsize);
    if (size < 0) throw new ValueError("negative buffersize in recv");
    const buffer = new Uint8Array(Math.min(size, MAX_IO));
    const fd = this.#fd, f = cInt(flags), c = libc();
    const got = retrying(() => c.recv(fd, buffer, buffer.length, f));
    return got === buffer.length ? buffer : buffer.slice(0, got);
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
    const view = viewOf(buffer);
    let size = nbytesArgument(nbytes);
    if (size < 0) throw new ValueError("negative buffersize in recv_into");
    if (size === 0) size = view.length;
    if (size > view.length) throw new ValueError("buffer too small for requested bytes");
    const fd = this.#fd, f = cInt(flags), c = libc(), n = Math.min(size, MAX_IO);
    return retrying(() => c.recv(fd, view, n, f));
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
    const size = nbytesArgument(bufsize);
    if (size < 0) throw new ValueError("negative buffersize in recvfrom");
    const buffer = new Uint8Array(Math.min(size, MAX_IO));
    const got = this.#recvFrom(buffer, buffer.length, flags);
    const address = decodeAddress(scratchAddress, scratchLength[0]!);
    return [got === buffer.length ? buffer : buffer.slice(0, got), address];
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
    const view = viewOf(buffer);
    let size = nbytesArgument(nbytes);
    if (size < 0) throw new ValueError("negative buffersize in recvfrom_into");
    if (size === 0) size = view.length;
    if (size > view.length) {
      throw new ValueError("nbytes is greater than the length of the buffer");
    }
    const got = this.#recvFrom(view, Math.min(size, MAX_IO), flags);
    return [got, decodeAddress(scratchAddress, scratchLength[0]!)];
  }

  #recvFrom(buffer: Uint8Array, size: number, flags: number): number {
    const fd = this.#fd, f = cInt(flags), c = libc();
    return retrying(() => {
      scratchLength[0] = scratchAddress.length;
      return c.recvfrom(fd, buffer, size, f, scratchAddress, scratchLength);
    });
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
    const bytes = bytesOf(data);
    const fd = this.#fd, f = cInt(flags) | SEND_FLAGS, c = libc();
    const n = Math.min(bytes.length, MAX_IO);
    return retrying(() => c.send(fd, bytes, n, f));
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
    const bytes = bytesOf(data);
    const fd = this.#fd, f = cInt(flags) | SEND_FLAGS, c = libc();
    let offset = 0;
    do {
      const rest = bytes.subarray(offset);
      const n = Math.min(rest.length, MAX_IO);
      offset += retrying(() => c.send(fd, rest, n, f));
    } while (offset < bytes.length);
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
    const count = 2 + rest.length;
    if (count > 3 || arguments.length < 2) {
      throw new TypeError(`sendto() takes 2 or 3 arguments (${arguments.length} given)`);
    }
    const flags = rest.length === 1 ? cInt(flagsOrAddress) : 0;
    const address = rest.length === 1 ? rest[0]! : flagsOrAddress as AddressLike;
    const bytes = bytesOf(data);
    const length = encodeAddress(this.#family, address, "sendto", scratchAddress);
    const fd = this.#fd, f = flags | SEND_FLAGS, c = libc();
    const n = Math.min(bytes.length, MAX_IO);
    return retrying(() => c.sendto(fd, bytes, n, f, scratchAddress, length));
  }

  /**
   * Sets blocking (`true`) or non-blocking (`false`) mode (`O_NONBLOCK`).
   *
   * @param flag `false` makes calls raise `BlockingIOError` instead of waiting.
   */
  setBlocking(flag: boolean): void {
    setNonBlocking(this.#fd, !flag);
    this.#blocking = Boolean(flag);
  }

  /**
   * Whether the socket is in blocking mode.
   *
   * @returns `true` when calls wait.
   */
  getBlocking(): boolean {
    return this.#blocking;
  }

  /**
   * Sets a socket option: an int, raw bytes, or `null` with a length (a NULL pointer).
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`…
   * @param optname `SO_REUSEADDR`, `TCP_NODELAY`…
   * @param value An int, or the option's bytes, or `null`.
   * @param optlen With `null`: the length passed to the kernel.
   */
  setsockopt(
    level: number,
    optname: number,
    value: number | Uint8Array | null,
    optlen?: number,
  ): void {
    let bytes: Uint8Array | null;
    let length: number;
    if (value === null) {
      if (optlen === undefined) {
        throw new TypeError("a bytes-like object is required, not 'NoneType'");
      }
      bytes = null;
      length = cInt(optlen);
    } else if (typeof value === "number" || typeof value === "bigint") {
      bytes = new Uint8Array(new Int32Array([cInt(value)]).buffer);
      length = 4;
    } else {
      bytes = bytesOf(value);
      length = bytes.length;
    }
    check(libc().setsockopt(this.#fd, cInt(level), cInt(optname), bytes, length));
  }

  /**
   * Reads a socket option: an int, or with `buflen` the raw bytes.
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`…
   * @param optname `SO_ERROR`, `SO_RCVBUF`…
   * @param buflen Read this many bytes (1–1024) instead of an int.
   * @returns The int, or the bytes the kernel wrote.
   * @throws {OSError} `"getsockopt buflen out of range"`.
   */
  getsockopt(level: number, optname: number): number;
  /**
   * Reads a socket option as raw bytes (`buflen` 1–1024), or as an int (`buflen` 0).
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`…
   * @param optname `SO_LINGER`…
   * @param buflen How many bytes to ask for.
   * @returns The bytes the kernel wrote (an int when `buflen` is 0).
   */
  getsockopt(level: number, optname: number, buflen: number): Uint8Array | number;
  getsockopt(level: number, optname: number, buflen: number = 0): number | Uint8Array {
    const size = cInt(buflen);
    if (size === 0) return intOption(this.#fd, cInt(level), cInt(optname));
    if (size < 0 || size > 1024) throw new OSError("getsockopt buflen out of range");
    const bytes = new Uint8Array(size);
    const length = new Uint32Array([size]);
    check(libc().getsockopt(this.#fd, cInt(level), cInt(optname), bytes, length));
    return bytes.slice(0, length[0]!);
  }

  /**
   * The local address.
   *
   * @returns `[host, port]`, `[host, port, flowinfo, scopeId]` or a path.
   */
  getsockname(): Address {
    return this.#name(libc().getsockname);
  }

  /**
   * The peer's address.
   *
   * @returns `[host, port]`, `[host, port, flowinfo, scopeId]` or a path.
   * @throws {OSError} ENOTCONN when not connected.
   */
  getpeername(): Address {
    return this.#name(libc().getpeername);
  }

  #name(call: (fd: number, addr: Uint8Array, len: Uint32Array) => number): Address {
    scratchAddress.fill(0);
    scratchLength[0] = scratchAddress.length;
    check(call(this.#fd, scratchAddress, scratchLength));
    return decodeAddress(scratchAddress, scratchLength[0]!) ?? "";
  }

  /**
   * Shuts down one or both directions; `SHUT_WR` gives the peer end of stream.
   *
   * @param how `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
   */
  shutdown(how: number): void {
    check(libc().shutdown(this.#fd, cInt(how)));
  }

  /**
   * Python's `repr()`:
   * `<socket.socket fd=3, family=2, type=1, proto=0, laddr=('127.0.0.1', 5000)>`.
   *
   * @returns The description.
   */
  toString(): string {
    const closed = this.#fd === -1;
    let text =
      `<socket.socket${closed ? " [closed]" : ""} fd=${this.#fd}, family=${this.#family}, ` +
      `type=${this.#type}, proto=${this.#proto}`;
    if (!closed) {
      for (
        const [label, read] of [["laddr", () => this.getsockname()], [
          "raddr",
          () => this.getpeername(),
        ]] as const
      ) {
        try {
          const address = read();
          if (address !== "") text += `, ${label}=${formatAddress(address)}`;
        } catch {
          // Python leaves out what getsockname/getpeername cannot tell.
        }
      }
    }
    return text + ">";
  }

  /** Shows {@linkcode Socket.toString} in `console.log` (Deno). */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Shows {@linkcode Socket.toString} in `console.log` (Node, Bun). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function detectFamily(fd: number): number {
  scratchAddress.fill(0);
  scratchLength[0] = scratchAddress.length;
  check(libc().getsockname(fd, scratchAddress, scratchLength));
  return sockaddrFamily(scratchAddress, scratchLength[0]!);
}
