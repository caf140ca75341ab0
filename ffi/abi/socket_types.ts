/**
 * The shape of an ABI table's `socket` part: the core socket constants, the
 * `sockaddr` facts and the `sendmsg`/`recvmsg` structs. A file of its own beside
 * `types.ts` because the socket layer and its header checks
 * (`scripts/check_abi_socket.ts`, `scripts/check_abi_msg.ts`) read this part alone.
 *
 * @module
 */
import type { SocketExtraConstantName } from "./socket_names.ts";

/**
 * Sockets: the constants of `sys/socket.h`, `netinet/in.h` and `netinet/tcp.h`, and
 * how `struct sockaddr_*` is laid out. A constant the platform lacks is 0.
 */
export interface SocketAbi {
  readonly constants: Readonly<Record<SocketConstantName | SocketExtraConstantName, number>>;
  /**
   * BSD sockaddrs start with a one-byte `sa_len` and a one-byte `sa_family`; Linux's
   * start with a two-byte `sa_family`. The offsets after those two bytes are the same
   * everywhere (`sin_port` 2, `sin_addr` 4; `sin6_flowinfo` 4, `sin6_addr` 8,
   * `sin6_scope_id` 24).
   */
  readonly sockaddrHasLen: boolean;
  /** `struct sockaddr_nl` (`linux/netlink.h`); `null` where there is no `AF_NETLINK`. */
  readonly sockaddrNl: SockaddrNlLayout | null;
  /** `sizeof(((struct sockaddr_un *)0)->sun_path)`: 108 on Linux, 104 on BSD. */
  readonly sunPathSize: number;
  /** `accept4(2)` exists (otherwise `accept` + `fcntl`). */
  readonly hasAccept4: boolean;
  /** `SOCK_CLOEXEC`/`SOCK_NONBLOCK` are accepted by `socket(2)` and `socketpair(2)`. */
  readonly hasSockFlags: boolean;
  /** `sendmsg`/`recvmsg`'s structs; `null` where CPython has no `sendmsg` (Windows). */
  readonly msg: MsgAbi | null;
}

/**
 * `struct msghdr`, `struct iovec` and `struct cmsghdr` (`sys/socket.h`, `sys/uio.h`)
 * and the alignment of the `CMSG_*` macros, with the control-message constants.
 * Pointers are 8 bytes (every target is LP64); `iov_base` is at 0 and `iov_len` at 8.
 */
export interface MsgAbi {
  /** `sizeof(struct msghdr)`: 56 on Linux, 48 on the BSDs. */
  readonly size: number;
  readonly name: number;
  readonly namelen: number;
  readonly iov: number;
  readonly iovlen: number;
  /** `sizeof(msg_iovlen)`: `size_t` on Linux, `int` on the BSDs. */
  readonly iovlenBytes: 4 | 8;
  readonly control: number;
  readonly controllen: number;
  /** `sizeof(msg_controllen)`: `size_t` on Linux, `socklen_t` on the BSDs. */
  readonly controllenBytes: 4 | 8;
  readonly flags: number;
  /** `sizeof(struct iovec)`. */
  readonly iovecSize: 16;
  /** `sizeof(struct cmsghdr)`: 16 on Linux, 12 on the BSDs. */
  readonly cmsghdrSize: number;
  /** `sizeof(cmsg_len)` (at offset 0): `size_t` on Linux, `socklen_t` on the BSDs. */
  readonly cmsgLenBytes: 4 | 8;
  readonly cmsgLevel: number;
  readonly cmsgType: number;
  /** What `CMSG_ALIGN` rounds to: 8 on Linux and FreeBSD, 4 on macOS. */
  readonly cmsgAlign: 4 | 8;
}

/**
 * Byte layout of `struct sockaddr_nl`: `{sa_family_t nl_family; unsigned short
 * nl_pad; __u32 nl_pid; __u32 nl_groups;}`, 12 bytes.
 */
export interface SockaddrNlLayout {
  /** `sizeof(struct sockaddr_nl)`. */
  readonly size: number;
  /** Offset of `nl_pid`. */
  readonly pid: number;
  /** Offset of `nl_groups`. */
  readonly groups: number;
}

/** The core socket constants iomux exports (the rest: `SocketExtraConstantName`). */
export type SocketConstantName =
  | "AF_UNSPEC"
  | "AF_UNIX"
  | "AF_INET"
  | "AF_INET6"
  | "SOCK_STREAM"
  | "SOCK_DGRAM"
  | "SOCK_RAW"
  | "SOCK_SEQPACKET"
  | "SOCK_NONBLOCK"
  | "SOCK_CLOEXEC"
  | "SOL_SOCKET"
  | "SO_DEBUG"
  | "SO_ACCEPTCONN"
  | "SO_REUSEADDR"
  | "SO_KEEPALIVE"
  | "SO_DONTROUTE"
  | "SO_BROADCAST"
  | "SO_LINGER"
  | "SO_OOBINLINE"
  | "SO_REUSEPORT"
  | "SO_SNDBUF"
  | "SO_RCVBUF"
  | "SO_SNDLOWAT"
  | "SO_RCVLOWAT"
  | "SO_SNDTIMEO"
  | "SO_RCVTIMEO"
  | "SO_ERROR"
  | "SO_TYPE"
  | "SO_PROTOCOL"
  | "SO_NOSIGPIPE"
  | "IPPROTO_IP"
  | "IPPROTO_TCP"
  | "IPPROTO_UDP"
  | "IPPROTO_IPV6"
  | "TCP_NODELAY"
  | "IPV6_V6ONLY"
  | "SHUT_RD"
  | "SHUT_WR"
  | "SHUT_RDWR"
  | "MSG_OOB"
  | "MSG_PEEK"
  | "MSG_DONTROUTE"
  | "MSG_EOR"
  | "MSG_TRUNC"
  | "MSG_CTRUNC"
  | "MSG_WAITALL"
  | "MSG_DONTWAIT"
  | "MSG_NOSIGNAL"
  | "SOMAXCONN";
