/**
 * The fd-owning half of {@linkcode Socket} (Python's `_socket.socket`): creation,
 * closing, blocking mode, options, names and `repr`.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { closedByOwner, closeOnCollection } from "../_py/resource_warning.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { sockaddrFamily } from "../ffi/sockaddr.ts";
import { byteLengthOf } from "../ffi/bytes.ts";
import { bytesOf } from "../os/_fd.ts";
import { argInt, cInt, pyTypeName, uintBitwise } from "../_py/convert.ts";
import type { Address } from "./_address.ts";
import { describer, type NameCall, nameOf, socketRepr } from "./_repr.ts";
import {
  adoptNewFd,
  check,
  intOption,
  isNonBlocking,
  scratchAddress,
  scratchLength,
  setNonBlocking,
} from "./_syscall.ts";

const {
  AF_INET,
  SOCK_STREAM,
  SOCK_NONBLOCK,
  SOCK_CLOEXEC,
  SOL_SOCKET,
  SO_TYPE,
  SO_PROTOCOL,
} = abi.socket.constants;
const { hasSockFlags } = abi.socket;

/** Whether `value` is an integer that fits a C `int`. */
function isCInt(value: unknown): value is number | bigint {
  if (typeof value !== "bigint" && !(typeof value === "number" && Number.isInteger(value))) {
    return false;
  }
  return value >= -2147483648 && value <= 2147483647;
}

/**
 * What every {@linkcode Socket} has whatever it is used for, as Python's
 * `_socket.socket` under `socket.socket`: the fd and its family, type and protocol,
 * `close`, blocking mode, options, `getsockname`/`getpeername`, `shutdown` and a
 * Python-like `toString()`. Use {@linkcode Socket}; this class exists to keep each
 * file small.
 *
 * @example Every socket is a `SocketBase` with an fd
 * ```ts
 * import assert from "node:assert/strict";
 * import { Socket, SocketBase } from "@iomux/iomux/socket";
 *
 * using s = new Socket();
 * assert.ok(s instanceof SocketBase);
 * assert.ok(s.fileno() >= 0);
 * ```
 */
export class SocketBase {
  #fd: number;
  #family: number;
  #type: number;
  #proto: number;
  #timeout: number | null;

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
   * @example A Unix datagram socket
   * ```ts
   * import assert from "node:assert/strict";
   * import { AF_UNIX, SOCK_DGRAM, Socket } from "@iomux/iomux/socket";
   *
   * using s = new Socket(AF_UNIX, SOCK_DGRAM);
   * assert.equal(s.family, AF_UNIX);
   * assert.equal(s.type, SOCK_DGRAM);
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
      this.#timeout = SOCK_NONBLOCK !== 0 && (t & SOCK_NONBLOCK) !== 0 ? 0 : null;
    } else {
      const fd = cInt(fileno);
      if (fd < 0) throw new ValueError("negative file descriptor");
      this.#family = family ?? detectFamily(fd);
      this.#type = type ?? intOption(fd, SOL_SOCKET, SO_TYPE);
      this.#proto = proto ?? (SO_PROTOCOL === 0 ? 0 : intOption(fd, SOL_SOCKET, SO_PROTOCOL));
      this.#fd = fd;
      // Python trusts its default timeout here; iomux reads the fd's real mode.
      this.#timeout = isNonBlocking(fd) ? 0 : null;
    }
    this.#type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    // CPython's sock_finalize: a socket collected while open is closed, with a
    // ResourceWarning that shows its repr.
    closeOnCollection(this, this.#fd, describer(this.#family, this.#type, this.#proto));
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
    closedByOwner(this);
    const c = libc();
    // A Winsock socket is closed with closesocket (Modules/socketmodule.c SOCKETCLOSE).
    if ((c.closesocket ?? c.close)(fd) < 0) {
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
    closedByOwner(this);
    return fd;
  }

  /**
   * Sets blocking (`true`) or non-blocking (`false`) mode, as Python's
   * `setblocking`: the same as `settimeout(null)` and `settimeout(0)`.
   *
   * @param flag `false` makes calls raise `BlockingIOError` instead of waiting.
   */
  setBlocking(flag: boolean): void {
    this.settimeout(flag ? null : 0);
  }

  /**
   * Whether the socket is in blocking mode (`gettimeout() !== 0`, as in Python).
   *
   * @returns `true` when calls wait.
   */
  getBlocking(): boolean {
    return this.#timeout !== 0;
  }

  /**
   * Sets the timeout of blocking calls, as Python's `settimeout`: `null` waits
   * forever, `0` is non-blocking mode, a positive number of seconds makes a call that
   * waits longer raise `TimeoutError("timed out")`. With a timeout the fd is
   * non-blocking and iomux waits with `poll(2)`, as CPython does.
   *
   * @param value Seconds, `0` or `null`.
   * @throws {ValueError} `"Timeout value out of range"` for a negative value.
   *
   * @example `accept` gives up after the timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { Socket, TimeoutError } from "@iomux/iomux/socket";
   *
   * using server = new Socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * server.settimeout(0.05);
   * assert.throws(() => server.accept(), (e) => e instanceof TimeoutError && e.message === "timed out");
   * ```
   */
  settimeout(value: number | null): void {
    let timeout: number | null = null;
    if (value !== null && value !== undefined) {
      if (typeof value !== "number") {
        throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
      }
      if (Number.isNaN(value)) throw new ValueError("Invalid value NaN (not a number)");
      if (value < 0) throw new ValueError("Timeout value out of range");
      if (!Number.isFinite(value)) {
        throw new RangeError("timestamp out of range for platform time_t");
      }
      timeout = value;
    }
    setNonBlocking(this.#fd, timeout !== null);
    this.#timeout = timeout;
  }

  /**
   * The timeout in seconds, `0` in non-blocking mode, `null` when calls wait forever.
   *
   * @returns The timeout.
   */
  gettimeout(): number | null {
    return this.#timeout;
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
    // CPython (`Modules/socketmodule.c` `sock_setsockopt`) tries "iii", then
    // "iiO!I" (None and a length), then "iiy*", whose error is the one raised: with
    // four arguments that is the arity, whatever failed to convert.
    if (value === null && optlen !== undefined) {
      let lvl: number, opt: number;
      try {
        lvl = argInt(level);
        opt = argInt(optname);
        // CPython's "I": an unsigned int taken modulo 2^32, so -1 reaches the kernel
        // as 0xFFFFFFFF (EINVAL) instead of failing in the FFI's u32 conversion.
        optlen = uintBitwise(optlen);
      } catch (e) {
        if (e instanceof TypeError) {
          throw new TypeError("setsockopt() takes exactly 3 arguments (4 given)");
        }
        throw e;
      }
      check(libc().setsockopt(this.#fd, lvl, opt, null, optlen));
      return;
    }
    const lvl = argInt(level);
    const opt = argInt(optname);
    let bytes: Uint8Array;
    let length: number;
    if (value === null) {
      throw new TypeError("a bytes-like object is required, not 'NoneType'");
    } else if (isCInt(value)) {
      bytes = new Uint8Array(new Int32Array([Number(value)]).buffer);
      length = 4;
    } else {
      bytes = bytesOf(value);
      length = byteLengthOf(bytes);
    }
    check(libc().setsockopt(this.#fd, lvl, opt, bytes, length));
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
    const lvl = argInt(level), opt = argInt(optname), size = argInt(buflen);
    if (size === 0) return intOption(this.#fd, lvl, opt);
    if (size < 0 || size > 1024) throw new OSError("getsockopt buflen out of range");
    const bytes = new Uint8Array(size);
    const length = new Uint32Array([size]);
    check(libc().getsockopt(this.#fd, lvl, opt, bytes, length));
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

  #name(call: NameCall): Address {
    return nameOf(this.#fd, call);
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
    // Lib/socket.py's __repr__ asks self.getsockname() and self.getpeername().
    return socketRepr(
      this.#fd,
      this.#family,
      this.#type,
      this.#proto,
      () => this.getsockname(),
      () => this.getpeername(),
    );
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
