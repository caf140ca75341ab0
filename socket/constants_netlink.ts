/**
 * The `socket` module's netlink constants: `AF_NETLINK` and the `NETLINK_*` protocols
 * of `linux/netlink.h`. Linux only: elsewhere each is 0, and a socket of family
 * `AF_NETLINK` (0, `AF_UNSPEC`) is refused by the kernel, as CPython on those systems
 * has no such family.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const c = abi.socket.constants;

/**
 * Netlink: messages between the kernel and user space (Linux; 0 elsewhere). Addresses
 * are `[pid, groups]`, as Python's `(pid, groups)`.
 *
 * @example Joining the link-change group and reading the pid the kernel chose
 * ```ts
 * import assert from "node:assert/strict";
 * import { AF_NETLINK, NETLINK_ROUTE, SOCK_RAW, Socket } from "@iomux/iomux/socket";
 *
 * if (AF_NETLINK !== 0) { // Linux
 *   using sock = new Socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
 *   const RTMGRP_LINK = 1; // linux/rtnetlink.h
 *   sock.bind([0, RTMGRP_LINK]);
 *   const [pid, groups] = sock.getsockname() as [number, number];
 *   assert.ok(pid !== 0);
 *   assert.equal(groups, RTMGRP_LINK);
 * }
 * ```
 */
export const AF_NETLINK: number = c.AF_NETLINK;
/** Netlink protocol: routing and link updates (`rtnetlink`). */
export const NETLINK_ROUTE: number = c.NETLINK_ROUTE;
/** Netlink protocol reserved for user-mode socket protocols. */
export const NETLINK_USERSOCK: number = c.NETLINK_USERSOCK;
/** Netlink protocol: the old IPv4 firewall queue. */
export const NETLINK_FIREWALL: number = c.NETLINK_FIREWALL;
/** Netlink protocol: netfilter logging. */
export const NETLINK_NFLOG: number = c.NETLINK_NFLOG;
/** Netlink protocol: IPsec (xfrm) policies and states. */
export const NETLINK_XFRM: number = c.NETLINK_XFRM;
/** Netlink protocol: the old IPv6 firewall queue. */
export const NETLINK_IP6_FW: number = c.NETLINK_IP6_FW;
/** Netlink protocol: DECnet routing messages. */
export const NETLINK_DNRTMSG: number = c.NETLINK_DNRTMSG;
/** Netlink protocol: the kernel crypto API's configuration. */
export const NETLINK_CRYPTO: number = c.NETLINK_CRYPTO;
