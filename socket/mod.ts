/**
 * Python's `socket` module for TypeScript: IPv4, IPv6 and Unix sockets, stream and
 * datagram (and on Linux `AF_NETLINK`, addresses `[pid, groups]`), as raw fds that
 * `select`, `poll`, `epoll`, `kqueue` and the selectors can wait on. Methods, addresses and errors follow Python (`recv_into` is `recvInto`,
 * `sendall` is `sendAll`, and so on).
 *
 * Hosts are resolved as Python resolves them: a numeric address is parsed, `""` is the
 * wildcard address, and any other name goes to the system's `getaddrinfo` (which
 * raises {@linkcode gaierror} when it fails); {@linkcode getaddrinfoAsync} resolves
 * off the JS thread. Sockets made here go through FFI, so they need `--allow-ffi` and
 * no `--allow-net`.
 *
 * @example A non-blocking connect, waited for with select
 * ```ts
 * import assert from "node:assert/strict";
 * import { select } from "@iomux/iomux/select";
 * import { BlockingIOError } from "@iomux/iomux";
 * import { Socket, SO_ERROR, SOL_SOCKET } from "@iomux/iomux/socket";
 *
 * using server = new Socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = new Socket();
 * client.setBlocking(false);
 * try {
 *   client.connect(server.getsockname());
 * } catch (e) {
 *   if (!(e instanceof BlockingIOError)) throw e; // EINPROGRESS: still connecting
 * }
 * const [, writable] = select([], [client], [], 5);
 * assert.deepEqual(writable, [client]);
 * assert.equal(client.getsockopt(SOL_SOCKET, SO_ERROR), 0); // connected
 * server.accept()[0].close();
 * ```
 *
 * @module
 */
export { Socket, SocketBase } from "./socket.ts";
export type { Address, AddressLike, IPv4Address, IPv6Address, NetlinkAddress } from "./socket.ts";
export type { AncillaryItem, AncillaryItemLike, RecvmsgResult } from "./socket.ts";
export { CMSG_LEN, CMSG_SPACE } from "./cmsg.ts";
export { recvFds, sendFds } from "./fds.ts";
export { socketpair } from "./socketpair.ts";
export { createConnection, createServer } from "./create.ts";
export type { CreateConnectionOptions, CreateServerOptions } from "./create.ts";
export { gaierror } from "./gaierror.ts";
export { getaddrinfo, getaddrinfoAsync, getnameinfo } from "./getaddrinfo.ts";
export type { AddrInfo, HostArgument, PortArgument } from "./getaddrinfo.ts";
export { inetAton, inetNtoa, inetNtop, inetPton } from "./inet.ts";
export * from "./constants.ts";
export * from "./constants_ip.ts";
export * from "./constants_tcp.ts";
export * from "./constants_netlink.ts";
export * from "./netdb_constants.ts";
export * from "../errors.ts";
