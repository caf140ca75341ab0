/**
 * `socket.create_connection()` and `socket.create_server()` (`Lib/socket.py`).
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { type AddressLike, formatAddress } from "./_address.ts";
import { WINDOWS } from "./_syscall.ts";
import { gaierror } from "./gaierror.ts";
import { getaddrinfo } from "./getaddrinfo.ts";
import { Socket } from "./socket.ts";

const {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_REUSEADDR,
  SO_REUSEPORT,
  IPPROTO_IPV6,
  IPV6_V6ONLY,
} = abi.socket.constants;

/** Options of {@linkcode createServer}, Python's keyword arguments. */
export interface CreateServerOptions {
  /** `AF_INET` (default), `AF_INET6` or `AF_UNIX`. */
  family?: number;
  /** The `listen` backlog; Python's default when omitted. */
  backlog?: number;
  /** Set `SO_REUSEPORT`. */
  reusePort?: boolean;
  /** For `AF_INET6`: accept IPv4 connections too (clears `IPV6_V6ONLY`). */
  dualstackIpv6?: boolean;
}

/** Options of {@linkcode createConnection}, Python's `timeout`, `source_address` and `all_errors`. */
export interface CreateConnectionOptions {
  /** `settimeout` of each socket tried (seconds, `0` or `null`); left blocking when omitted. */
  timeout?: number | null;
  /** Bind to this local address before connecting. */
  sourceAddress?: readonly [host: string, port: number];
  /**
   * When every address fails, raise an `AggregateError` of all the errors (Python's
   * `ExceptionGroup("create_connection failed", …)`) instead of the last one.
   */
  allErrors?: boolean;
}

/**
 * Connects a TCP socket to `[host, port]`, as Python's `socket.create_connection`:
 * `getaddrinfo(host, port, 0, SOCK_STREAM)`, then each address in turn until one
 * connects. The lookup and the connects block the JS thread; for a server, resolve
 * with `getaddrinfoAsync` and connect a non-blocking socket with
 * `connectEx`, waiting with `selectAsync` (see the README).
 *
 * @param address `[host, port]`: a name, a numeric address; a port number or service.
 * @param options `timeout`, `sourceAddress`, `allErrors`.
 * @returns The connected socket.
 * @throws {ConnectionRefusedError} Nobody listens there (the last address's error).
 * @throws {gaierror} The host does not resolve.
 * @throws {AggregateError} With `allErrors`, every address's error.
 *
 * @example Connect to a listening server by name
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConnection, createServer } from "@iomux/iomux/socket";
 *
 * using server = createServer(["127.0.0.1", 0]);
 * const [, port] = server.getsockname() as [string, number];
 * using client = createConnection(["localhost", port]);
 * const [conn] = server.accept();
 * conn.close();
 * assert.deepEqual(client.getpeername(), ["127.0.0.1", port]);
 * ```
 */
export function createConnection(
  address: readonly [host: string, port: number | string],
  options: CreateConnectionOptions = {},
): Socket {
  const [host, port] = address;
  const errors: OSError[] = [];
  for (const [family, type, proto, , sockaddr] of getaddrinfo(host, port, 0, SOCK_STREAM)) {
    let sock: Socket | undefined;
    try {
      sock = new Socket(family, type, proto);
      if (options.timeout !== undefined) sock.settimeout(options.timeout);
      if (options.sourceAddress !== undefined) sock.bind(options.sourceAddress);
      sock.connect(sockaddr);
      return sock;
    } catch (e) {
      sock?.close();
      // Lib/socket.py catches `error` (OSError) only; anything else propagates.
      if (!(e instanceof OSError)) throw e;
      if (!options.allErrors) errors.length = 0;
      errors.push(e);
    }
  }
  if (errors.length === 0) throw new OSError("getaddrinfo returns an empty list");
  if (!options.allErrors) throw errors[0];
  throw new AggregateError(errors, "create_connection failed");
}

/**
 * Creates a listening TCP (or Unix stream) socket bound to `address`, as Python's
 * `socket.create_server`: `SO_REUSEADDR` is set (POSIX), binding errors name the
 * address, and the socket is blocking.
 *
 * @param address `[host, port]` (port 0 picks a free one) or a Unix path.
 * @param options `family`, `backlog`, `reusePort`, `dualstackIpv6`.
 * @returns The listening socket.
 * @throws {OSError} `"[Errno 98] Address already in use (while attempting to bind on
 *   address ('127.0.0.1', 8000))"`, as Python words it.
 *
 * @example Listen on a free loopback port
 * ```ts
 * import assert from "node:assert/strict";
 * import { createServer } from "@iomux/iomux/socket";
 *
 * using server = createServer(["127.0.0.1", 0]);
 * const [host, port] = server.getsockname() as [string, number];
 * assert.equal(host, "127.0.0.1");
 * assert.ok(port > 0); // the kernel picked a free port
 * ```
 */
export function createServer(address: AddressLike, options: CreateServerOptions = {}): Socket {
  const family = options.family ?? AF_INET;
  if (options.reusePort && SO_REUSEPORT === 0) {
    throw new ValueError("SO_REUSEPORT not supported on this platform");
  }
  if (options.dualstackIpv6 && family !== AF_INET6) {
    throw new ValueError("dualstack_ipv6 requires AF_INET6 family");
  }
  const sock = new Socket(family, SOCK_STREAM);
  try {
    if (family !== AF_UNIX) {
      // Lib/socket.py sets SO_REUSEADDR except on Windows, where it lets another
      // socket take the port over.
      if (!WINDOWS) sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
      if (options.reusePort) sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
      if (family === AF_INET6) {
        sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, options.dualstackIpv6 ? 0 : 1);
      }
    }
    try {
      sock.bind(address);
    } catch (e) {
      if (!(e instanceof OSError) || e.errno === null) throw e;
      const where = typeof address === "string" || address instanceof Uint8Array
        ? formatAddress(String(address))
        : `(${address.map((p) => typeof p === "string" ? `'${p}'` : String(p)).join(", ")})`;
      // Python re-raises `error(err.errno, msg)`: the class the errno picks, so a
      // gaierror's EAI_* code gives a plain OSError.
      const Class = e instanceof gaierror ? OSError : e.constructor as typeof OSError;
      throw new Class(
        e.errno,
        `${e.strerror} (while attempting to bind on address ${where})`,
        undefined,
        { cause: e },
      );
    }
    if (options.backlog === undefined) sock.listen();
    else sock.listen(options.backlog);
    return sock;
  } catch (e) {
    sock.close();
    throw e;
  }
}
