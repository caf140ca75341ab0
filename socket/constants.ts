/**
 * The `socket` module's constants with this platform's values. A constant the platform
 * lacks is 0 (`SOCK_NONBLOCK` and `SOCK_CLOEXEC` on macOS, `SO_NOSIGPIPE` on Linux).
 * This file holds the families, types, socket-level options and flags; the IP, TCP
 * and netlink constants are in `constants_ip.ts`, `constants_tcp.ts` and
 * `constants_netlink.ts`, re-exported beside it.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const c = abi.socket.constants;

/** Unspecified address family. */
export const AF_UNSPEC: number = c.AF_UNSPEC;
/** Unix domain sockets (a path as the address). */
export const AF_UNIX: number = c.AF_UNIX;
/** IPv4. */
export const AF_INET: number = c.AF_INET;
/** IPv6. */
export const AF_INET6: number = c.AF_INET6;
/** A connected byte stream (TCP, or a Unix stream socket). */
export const SOCK_STREAM: number = c.SOCK_STREAM;
/** Datagrams (UDP, or a Unix datagram socket). */
export const SOCK_DGRAM: number = c.SOCK_DGRAM;
/** Raw protocol access (needs privileges). */
export const SOCK_RAW: number = c.SOCK_RAW;
/** Connected, ordered datagrams. */
export const SOCK_SEQPACKET: number = c.SOCK_SEQPACKET;
/** Or into `type` to create a non-blocking socket (Linux, FreeBSD; 0 on macOS). */
export const SOCK_NONBLOCK: number = c.SOCK_NONBLOCK;
/** Or into `type` for close-on-exec (Linux, FreeBSD; 0 on macOS). iomux always adds it. */
export const SOCK_CLOEXEC: number = c.SOCK_CLOEXEC;
/** `setsockopt` level of the socket itself. */
export const SOL_SOCKET: number = c.SOL_SOCKET;
/** Socket option: debugging. */
export const SO_DEBUG: number = c.SO_DEBUG;
/** Socket option (read-only): whether the socket listens. */
export const SO_ACCEPTCONN: number = c.SO_ACCEPTCONN;
/** Socket option: allow binding a port in TIME_WAIT. */
export const SO_REUSEADDR: number = c.SO_REUSEADDR;
/** Socket option: TCP keep-alive probes. */
export const SO_KEEPALIVE: number = c.SO_KEEPALIVE;
/** Socket option: bypass routing. */
export const SO_DONTROUTE: number = c.SO_DONTROUTE;
/** Socket option: allow sending to broadcast addresses. */
export const SO_BROADCAST: number = c.SO_BROADCAST;
/** Socket option: `struct linger {int l_onoff; int l_linger;}` (8 bytes). */
export const SO_LINGER: number = c.SO_LINGER;
/** Socket option: out-of-band data inline. */
export const SO_OOBINLINE: number = c.SO_OOBINLINE;
/** Socket option: several sockets may bind the same port. */
export const SO_REUSEPORT: number = c.SO_REUSEPORT;
/** Socket option: send buffer size. */
export const SO_SNDBUF: number = c.SO_SNDBUF;
/** Socket option: receive buffer size. */
export const SO_RCVBUF: number = c.SO_RCVBUF;
/** Socket option: send low-water mark. */
export const SO_SNDLOWAT: number = c.SO_SNDLOWAT;
/** Socket option: receive low-water mark. */
export const SO_RCVLOWAT: number = c.SO_RCVLOWAT;
/** Socket option: send timeout (`struct timeval`). */
export const SO_SNDTIMEO: number = c.SO_SNDTIMEO;
/** Socket option: receive timeout (`struct timeval`). */
export const SO_RCVTIMEO: number = c.SO_RCVTIMEO;
/** Socket option (read-only): the pending error, cleared when read; how a non-blocking `connect` reports its result. */
export const SO_ERROR: number = c.SO_ERROR;
/** Socket option (read-only): the socket type. */
export const SO_TYPE: number = c.SO_TYPE;
/** Socket option (read-only): the protocol (Linux, FreeBSD; 0 on macOS). */
export const SO_PROTOCOL: number = c.SO_PROTOCOL;
/** Socket option: no SIGPIPE on a write to a closed peer (macOS, FreeBSD; 0 on Linux). iomux sets it on every macOS socket. */
export const SO_NOSIGPIPE: number = c.SO_NOSIGPIPE;
/** IP protocol level. */
export const IPPROTO_IP: number = c.IPPROTO_IP;
/** TCP protocol level. */
export const IPPROTO_TCP: number = c.IPPROTO_TCP;
/** UDP protocol level. */
export const IPPROTO_UDP: number = c.IPPROTO_UDP;
/** IPv6 protocol level. */
export const IPPROTO_IPV6: number = c.IPPROTO_IPV6;
/** TCP option: disable Nagle's algorithm. */
export const TCP_NODELAY: number = c.TCP_NODELAY;
/** IPv6 option: refuse IPv4-mapped connections. */
export const IPV6_V6ONLY: number = c.IPV6_V6ONLY;
/** `shutdown`: no more receptions. */
export const SHUT_RD: number = c.SHUT_RD;
/** `shutdown`: no more transmissions (the peer reads end of file). */
export const SHUT_WR: number = c.SHUT_WR;
/** `shutdown`: both. */
export const SHUT_RDWR: number = c.SHUT_RDWR;
/** Flag: out-of-band data. */
export const MSG_OOB: number = c.MSG_OOB;
/** Flag: read without removing the data from the queue. */
export const MSG_PEEK: number = c.MSG_PEEK;
/** Flag: bypass routing. */
export const MSG_DONTROUTE: number = c.MSG_DONTROUTE;
/** Flag: end of record. */
export const MSG_EOR: number = c.MSG_EOR;
/** Flag: datagram was truncated. */
export const MSG_TRUNC: number = c.MSG_TRUNC;
/** Flag: control data was truncated. */
export const MSG_CTRUNC: number = c.MSG_CTRUNC;
/** Flag: wait for the full request. */
export const MSG_WAITALL: number = c.MSG_WAITALL;
/** Flag: do not block for this call only. */
export const MSG_DONTWAIT: number = c.MSG_DONTWAIT;
/** Flag: no SIGPIPE on a closed peer. iomux adds it to every send on Linux and FreeBSD. */
export const MSG_NOSIGNAL: number = c.MSG_NOSIGNAL;
/** Reliably delivered messages (no ordering guarantee). */
export const SOCK_RDM: number = c.SOCK_RDM;
/** Socket option: bind to a network interface by name (Linux). */
export const SO_BINDTODEVICE: number = c.SO_BINDTODEVICE;
/** Socket option: bind to a network interface by index (Linux 5.0+). */
export const SO_BINDTOIFINDEX: number = c.SO_BINDTOIFINDEX;
/** Socket option (read-only): the address family (Linux). */
export const SO_DOMAIN: number = c.SO_DOMAIN;
/** Socket option: the CPU that handles the socket's packets (Linux). */
export const SO_INCOMING_CPU: number = c.SO_INCOMING_CPU;
/** Socket option: the packet mark for routing and filtering (Linux). */
export const SO_MARK: number = c.SO_MARK;
/** Socket option: receive `SCM_CREDENTIALS` control messages (Linux). */
export const SO_PASSCRED: number = c.SO_PASSCRED;
/** Socket option: receive the security context as a control message (Linux). */
export const SO_PASSSEC: number = c.SO_PASSSEC;
/** Socket option (read-only): the peer's `struct ucred` (pid, uid, gid) on a Unix socket (Linux). */
export const SO_PEERCRED: number = c.SO_PEERCRED;
/** Socket option (read-only): the peer's security context (Linux). */
export const SO_PEERSEC: number = c.SO_PEERSEC;
/** Socket option: the priority of the socket's packets (Linux). */
export const SO_PRIORITY: number = c.SO_PRIORITY;
/** `setsockopt` level of IPv4 (same as `IPPROTO_IP`). */
export const SOL_IP: number = c.SOL_IP;
/** `setsockopt` level of TCP (same as `IPPROTO_TCP`). */
export const SOL_TCP: number = c.SOL_TCP;
/** `setsockopt` level of UDP (same as `IPPROTO_UDP`). */
export const SOL_UDP: number = c.SOL_UDP;
/** Control message: file descriptors passed over a Unix socket. */
export const SCM_RIGHTS: number = c.SCM_RIGHTS;
/** Control message: the sender's `struct ucred` (Linux). */
export const SCM_CREDENTIALS: number = c.SCM_CREDENTIALS;
/** Flag (`recvmsg`): received descriptors are close-on-exec. */
export const MSG_CMSG_CLOEXEC: number = c.MSG_CMSG_CLOEXEC;
/** Flag: the link layer made forward progress (Linux). */
export const MSG_CONFIRM: number = c.MSG_CONFIRM;
/** Flag: read from the socket's error queue (Linux). */
export const MSG_ERRQUEUE: number = c.MSG_ERRQUEUE;
/** Flag: send data in the SYN (TCP Fast Open, Linux). */
export const MSG_FASTOPEN: number = c.MSG_FASTOPEN;
/** Flag: more data follows; hold the packet (Linux). */
export const MSG_MORE: number = c.MSG_MORE;
/** The system's maximum `listen` backlog (as the C headers give it). */
export const SOMAXCONN: number = c.SOMAXCONN;
/** `INADDR_ANY` (0.0.0.0) as a 32-bit number. */
export const INADDR_ANY = 0;
/** `INADDR_LOOPBACK` (127.0.0.1) as a 32-bit number. */
export const INADDR_LOOPBACK = 0x7f000001;
/** `INADDR_BROADCAST` (255.255.255.255) as a 32-bit number. */
export const INADDR_BROADCAST = 0xffffffff;
/** `INADDR_NONE` as a 32-bit number. */
export const INADDR_NONE = 0xffffffff;
