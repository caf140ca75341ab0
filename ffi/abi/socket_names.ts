/**
 * The names of the `socket` constants beyond the core set of `SocketConstantName`:
 * those CPython 3.13 exports on Linux for netlink, socket options, IPv4/IPv6
 * (multicast included) and TCP. Each ABI table gives every one a value; a name the
 * platform lacks is 0.
 *
 * @module
 */

/** Netlink (`linux/netlink.h`): the family and its protocols. */
export type NetlinkConstantName =
  | "AF_NETLINK"
  | "NETLINK_ROUTE"
  | "NETLINK_USERSOCK"
  | "NETLINK_FIREWALL"
  | "NETLINK_NFLOG"
  | "NETLINK_XFRM"
  | "NETLINK_IP6_FW"
  | "NETLINK_DNRTMSG"
  | "NETLINK_CRYPTO";

/** `sys/socket.h` beyond the core set: socket types, options, levels, control messages and flags. */
export type SocketOptionConstantName =
  | "SOCK_RDM"
  | "SO_BINDTODEVICE"
  | "SO_BINDTOIFINDEX"
  | "SO_DOMAIN"
  | "SO_INCOMING_CPU"
  | "SO_MARK"
  | "SO_PASSCRED"
  | "SO_PASSSEC"
  | "SO_PEERCRED"
  | "SO_PEERSEC"
  | "SO_PRIORITY"
  | "SOL_IP"
  | "SOL_TCP"
  | "SOL_UDP"
  | "SCM_RIGHTS"
  | "SCM_CREDENTIALS"
  | "MSG_CMSG_CLOEXEC"
  | "MSG_CONFIRM"
  | "MSG_ERRQUEUE"
  | "MSG_FASTOPEN"
  | "MSG_MORE";

/** `netinet/in.h` protocol numbers and reserved ports. */
export type IpprotoConstantName =
  | "IPPROTO_HOPOPTS"
  | "IPPROTO_ICMP"
  | "IPPROTO_IGMP"
  | "IPPROTO_IPIP"
  | "IPPROTO_EGP"
  | "IPPROTO_PUP"
  | "IPPROTO_IDP"
  | "IPPROTO_TP"
  | "IPPROTO_ROUTING"
  | "IPPROTO_FRAGMENT"
  | "IPPROTO_RSVP"
  | "IPPROTO_GRE"
  | "IPPROTO_ESP"
  | "IPPROTO_AH"
  | "IPPROTO_ICMPV6"
  | "IPPROTO_NONE"
  | "IPPROTO_DSTOPTS"
  | "IPPROTO_PIM"
  | "IPPROTO_SCTP"
  | "IPPROTO_UDPLITE"
  | "IPPROTO_MPTCP"
  | "IPPROTO_RAW"
  | "IPPORT_RESERVED"
  | "IPPORT_USERRESERVED";

/** `netinet/in.h` IPv4 options (`IPPROTO_IP` level), multicast included. */
export type IpConstantName =
  | "IP_OPTIONS"
  | "IP_HDRINCL"
  | "IP_TOS"
  | "IP_TTL"
  | "IP_RECVOPTS"
  | "IP_RECVRETOPTS"
  | "IP_RECVTOS"
  | "IP_RETOPTS"
  | "IP_MULTICAST_IF"
  | "IP_MULTICAST_TTL"
  | "IP_MULTICAST_LOOP"
  | "IP_ADD_MEMBERSHIP"
  | "IP_DROP_MEMBERSHIP"
  | "IP_DEFAULT_MULTICAST_TTL"
  | "IP_DEFAULT_MULTICAST_LOOP"
  | "IP_MAX_MEMBERSHIPS"
  | "IP_TRANSPARENT"
  | "IP_PKTINFO"
  | "IP_BIND_ADDRESS_NO_PORT"
  | "IP_UNBLOCK_SOURCE"
  | "IP_BLOCK_SOURCE"
  | "IP_ADD_SOURCE_MEMBERSHIP"
  | "IP_DROP_SOURCE_MEMBERSHIP";

/** `netinet/in.h` / `netinet6/in6.h` IPv6 options (`IPPROTO_IPV6` level). */
export type Ipv6ConstantName =
  | "IPV6_JOIN_GROUP"
  | "IPV6_LEAVE_GROUP"
  | "IPV6_MULTICAST_HOPS"
  | "IPV6_MULTICAST_IF"
  | "IPV6_MULTICAST_LOOP"
  | "IPV6_UNICAST_HOPS"
  | "IPV6_CHECKSUM"
  | "IPV6_DONTFRAG"
  | "IPV6_DSTOPTS"
  | "IPV6_HOPLIMIT"
  | "IPV6_HOPOPTS"
  | "IPV6_NEXTHOP"
  | "IPV6_PATHMTU"
  | "IPV6_PKTINFO"
  | "IPV6_RECVDSTOPTS"
  | "IPV6_RECVHOPLIMIT"
  | "IPV6_RECVHOPOPTS"
  | "IPV6_RECVPKTINFO"
  | "IPV6_RECVRTHDR"
  | "IPV6_RECVTCLASS"
  | "IPV6_RTHDR"
  | "IPV6_RTHDRDSTOPTS"
  | "IPV6_RTHDR_TYPE_0"
  | "IPV6_RECVPATHMTU"
  | "IPV6_TCLASS";

/** `netinet/tcp.h` TCP options (`IPPROTO_TCP` level). */
export type TcpConstantName =
  | "TCP_MAXSEG"
  | "TCP_CORK"
  | "TCP_KEEPIDLE"
  | "TCP_KEEPINTVL"
  | "TCP_KEEPCNT"
  | "TCP_SYNCNT"
  | "TCP_LINGER2"
  | "TCP_DEFER_ACCEPT"
  | "TCP_WINDOW_CLAMP"
  | "TCP_INFO"
  | "TCP_QUICKACK"
  | "TCP_CONGESTION"
  | "TCP_MD5SIG"
  | "TCP_THIN_LINEAR_TIMEOUTS"
  | "TCP_THIN_DUPACK"
  | "TCP_USER_TIMEOUT"
  | "TCP_REPAIR"
  | "TCP_REPAIR_QUEUE"
  | "TCP_QUEUE_SEQ"
  | "TCP_REPAIR_OPTIONS"
  | "TCP_FASTOPEN"
  | "TCP_TIMESTAMP"
  | "TCP_NOTSENT_LOWAT"
  | "TCP_CC_INFO"
  | "TCP_SAVE_SYN"
  | "TCP_SAVED_SYN"
  | "TCP_REPAIR_WINDOW"
  | "TCP_FASTOPEN_CONNECT"
  | "TCP_ULP"
  | "TCP_MD5SIG_EXT"
  | "TCP_FASTOPEN_KEY"
  | "TCP_FASTOPEN_NO_COOKIE"
  | "TCP_ZEROCOPY_RECEIVE"
  | "TCP_INQ"
  | "TCP_TX_DELAY";

/** Every name above. */
export type SocketExtraConstantName =
  | NetlinkConstantName
  | SocketOptionConstantName
  | IpprotoConstantName
  | IpConstantName
  | Ipv6ConstantName
  | TcpConstantName;
