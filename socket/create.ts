/**
 * `socket.create_connection()` and `socket.create_server()`, for numeric hosts.
 *
 * @module
 */
import { OSError, ValueError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { type AddressLike, formatAddress } from "./_address.ts";
import { parseIPv6 } from "./inet.ts";
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

/** Options of {@linkcode createConnection}. */
export interface CreateConnectionOptions {
  /** Bind to this local address before connecting. */
  sourceAddress?: readonly [host: string, port: number];
}

function familyOfHost(host: string): number {
  return parseIPv6(host.replace(/%[0-9]+$/, "")) !== null ? AF_INET6 : AF_INET;
}

/**
 * Connects a TCP socket to `[host, port]`, as Python's `socket.create_connection`
 * for a numeric host (IPv4 or IPv6 by the form of `host`; `"localhost"` is IPv4).
 * The socket is blocking.
 *
 * @param address `[host, port]`.
 * @param options `sourceAddress` to bind first.
 * @returns The connected socket.
 * @throws {ConnectionRefusedError} Nobody listens there.
 *
 * @example Connect to a listening server
 * ```ts
 * import assert from "node:assert/strict";
 * import { createConnection, createServer } from "@iomux/iomux/socket";
 *
 * using server = createServer(["127.0.0.1", 0]);
 * using client = createConnection(server.getsockname() as [string, number]);
 * const [conn] = server.accept();
 * conn.close();
 * assert.equal(client.getpeername()[1], server.getsockname()[1]);
 * ```
 */
export function createConnection(
  address: readonly [host: string, port: number],
  options: CreateConnectionOptions = {},
): Socket {
  const sock = new Socket(familyOfHost(address[0]), SOCK_STREAM);
  try {
    if (options.sourceAddress !== undefined) sock.bind(options.sourceAddress);
    sock.connect(address);
    return sock;
  } catch (e) {
    sock.close();
    throw e;
  }
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
      sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
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
      const Class = e.constructor as typeof OSError;
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
