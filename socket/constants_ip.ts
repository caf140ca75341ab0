/**
 * The `socket` module's IP constants with this platform's values: the `IPPROTO_*`
 * protocol numbers, the reserved port bounds, the IPv4 multicast group addresses,
 * and the `IP_*` and `IPV6_*` options (`setsockopt` levels `IPPROTO_IP` and
 * `IPPROTO_IPV6`). A constant the platform lacks is 0.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const c = abi.socket.constants;

/** IPv6 hop-by-hop options header. */
export const IPPROTO_HOPOPTS: number = c.IPPROTO_HOPOPTS;
/** ICMP. */
export const IPPROTO_ICMP: number = c.IPPROTO_ICMP;
/** IGMP (IPv4 multicast group management). */
export const IPPROTO_IGMP: number = c.IPPROTO_IGMP;
/** IP in IP encapsulation. */
export const IPPROTO_IPIP: number = c.IPPROTO_IPIP;
/** Exterior Gateway Protocol. */
export const IPPROTO_EGP: number = c.IPPROTO_EGP;
/** PUP. */
export const IPPROTO_PUP: number = c.IPPROTO_PUP;
/** XNS IDP. */
export const IPPROTO_IDP: number = c.IPPROTO_IDP;
/** ISO TP-4. */
export const IPPROTO_TP: number = c.IPPROTO_TP;
/** IPv6 routing header. */
export const IPPROTO_ROUTING: number = c.IPPROTO_ROUTING;
/** IPv6 fragmentation header. */
export const IPPROTO_FRAGMENT: number = c.IPPROTO_FRAGMENT;
/** RSVP. */
export const IPPROTO_RSVP: number = c.IPPROTO_RSVP;
/** GRE. */
export const IPPROTO_GRE: number = c.IPPROTO_GRE;
/** IPsec Encapsulating Security Payload. */
export const IPPROTO_ESP: number = c.IPPROTO_ESP;
/** IPsec Authentication Header. */
export const IPPROTO_AH: number = c.IPPROTO_AH;
/** ICMPv6. */
export const IPPROTO_ICMPV6: number = c.IPPROTO_ICMPV6;
/** IPv6: no next header. */
export const IPPROTO_NONE: number = c.IPPROTO_NONE;
/** IPv6 destination options header. */
export const IPPROTO_DSTOPTS: number = c.IPPROTO_DSTOPTS;
/** Protocol Independent Multicast. */
export const IPPROTO_PIM: number = c.IPPROTO_PIM;
/** SCTP. */
export const IPPROTO_SCTP: number = c.IPPROTO_SCTP;
/** UDP-Lite. */
export const IPPROTO_UDPLITE: number = c.IPPROTO_UDPLITE;
/** Multipath TCP (Linux). */
export const IPPROTO_MPTCP: number = c.IPPROTO_MPTCP;
/** Raw IP packets. */
export const IPPROTO_RAW: number = c.IPPROTO_RAW;
/** Ports below this are reserved for privileged processes. */
export const IPPORT_RESERVED: number = c.IPPORT_RESERVED;
/** Ports from this up are free for user servers (historical BSD convention). */
export const IPPORT_USERRESERVED: number = c.IPPORT_USERRESERVED;
/** `INADDR_UNSPEC_GROUP` (224.0.0.0) as a 32-bit number. */
export const INADDR_UNSPEC_GROUP = 0xe0000000;
/** `INADDR_ALLHOSTS_GROUP` (224.0.0.1) as a 32-bit number. */
export const INADDR_ALLHOSTS_GROUP = 0xe0000001;
/** `INADDR_MAX_LOCAL_GROUP` (224.0.0.255) as a 32-bit number. */
export const INADDR_MAX_LOCAL_GROUP = 0xe00000ff;
/** IPv4 option: the IP options of each packet. */
export const IP_OPTIONS: number = c.IP_OPTIONS;
/** IPv4 option: the application supplies the IP header (raw sockets). */
export const IP_HDRINCL: number = c.IP_HDRINCL;
/** IPv4 option: the type-of-service field. */
export const IP_TOS: number = c.IP_TOS;
/** IPv4 option: the time-to-live of unicast packets. */
export const IP_TTL: number = c.IP_TTL;
/** IPv4 option: receive the IP options as a control message. */
export const IP_RECVOPTS: number = c.IP_RECVOPTS;
/** IPv4 option: receive the reply options as a control message. */
export const IP_RECVRETOPTS: number = c.IP_RECVRETOPTS;
/** IPv4 option: receive the TOS field as a control message. */
export const IP_RECVTOS: number = c.IP_RECVTOS;
/** IPv4 option: the options to send in replies. */
export const IP_RETOPTS: number = c.IP_RETOPTS;
/** IPv4 option: the interface for outgoing multicast. */
export const IP_MULTICAST_IF: number = c.IP_MULTICAST_IF;
/** IPv4 option: the time-to-live of multicast packets. */
export const IP_MULTICAST_TTL: number = c.IP_MULTICAST_TTL;
/** IPv4 option: loop multicast back to local listeners. */
export const IP_MULTICAST_LOOP: number = c.IP_MULTICAST_LOOP;
/** IPv4 option: join a multicast group (`struct ip_mreq`). */
export const IP_ADD_MEMBERSHIP: number = c.IP_ADD_MEMBERSHIP;
/** IPv4 option: leave a multicast group (`struct ip_mreq`). */
export const IP_DROP_MEMBERSHIP: number = c.IP_DROP_MEMBERSHIP;
/** The default multicast time-to-live. */
export const IP_DEFAULT_MULTICAST_TTL: number = c.IP_DEFAULT_MULTICAST_TTL;
/** The default of `IP_MULTICAST_LOOP`. */
export const IP_DEFAULT_MULTICAST_LOOP: number = c.IP_DEFAULT_MULTICAST_LOOP;
/** The most multicast groups one socket may join. */
export const IP_MAX_MEMBERSHIPS: number = c.IP_MAX_MEMBERSHIPS;
/** IPv4 option: transparent proxying (Linux). */
export const IP_TRANSPARENT: number = c.IP_TRANSPARENT;
/** IPv4 option: receive `struct in_pktinfo` as a control message. */
export const IP_PKTINFO: number = c.IP_PKTINFO;
/** IPv4 option: defer the port choice of `bind` to `connect` (Linux). */
export const IP_BIND_ADDRESS_NO_PORT: number = c.IP_BIND_ADDRESS_NO_PORT;
/** IPv4 option: unblock a multicast source (`struct ip_mreq_source`). */
export const IP_UNBLOCK_SOURCE: number = c.IP_UNBLOCK_SOURCE;
/** IPv4 option: block a multicast source (`struct ip_mreq_source`). */
export const IP_BLOCK_SOURCE: number = c.IP_BLOCK_SOURCE;
/** IPv4 option: join a source-specific multicast group. */
export const IP_ADD_SOURCE_MEMBERSHIP: number = c.IP_ADD_SOURCE_MEMBERSHIP;
/** IPv4 option: leave a source-specific multicast group. */
export const IP_DROP_SOURCE_MEMBERSHIP: number = c.IP_DROP_SOURCE_MEMBERSHIP;
/** IPv6 option: join a multicast group (`struct ipv6_mreq`). */
export const IPV6_JOIN_GROUP: number = c.IPV6_JOIN_GROUP;
/** IPv6 option: leave a multicast group (`struct ipv6_mreq`). */
export const IPV6_LEAVE_GROUP: number = c.IPV6_LEAVE_GROUP;
/** IPv6 option: the hop limit of multicast packets. */
export const IPV6_MULTICAST_HOPS: number = c.IPV6_MULTICAST_HOPS;
/** IPv6 option: the interface index for outgoing multicast. */
export const IPV6_MULTICAST_IF: number = c.IPV6_MULTICAST_IF;
/** IPv6 option: loop multicast back to local listeners. */
export const IPV6_MULTICAST_LOOP: number = c.IPV6_MULTICAST_LOOP;
/** IPv6 option: the hop limit of unicast packets. */
export const IPV6_UNICAST_HOPS: number = c.IPV6_UNICAST_HOPS;
/** IPv6 option: the checksum offset of a raw socket. */
export const IPV6_CHECKSUM: number = c.IPV6_CHECKSUM;
/** IPv6 option: do not fragment. */
export const IPV6_DONTFRAG: number = c.IPV6_DONTFRAG;
/** IPv6 option / control message: destination options. */
export const IPV6_DSTOPTS: number = c.IPV6_DSTOPTS;
/** IPv6 control message: the hop limit. */
export const IPV6_HOPLIMIT: number = c.IPV6_HOPLIMIT;
/** IPv6 option / control message: hop-by-hop options. */
export const IPV6_HOPOPTS: number = c.IPV6_HOPOPTS;
/** IPv6 option / control message: the next hop address. */
export const IPV6_NEXTHOP: number = c.IPV6_NEXTHOP;
/** IPv6 option (read-only): the path MTU. */
export const IPV6_PATHMTU: number = c.IPV6_PATHMTU;
/** IPv6 option / control message: `struct in6_pktinfo`. */
export const IPV6_PKTINFO: number = c.IPV6_PKTINFO;
/** IPv6 option: receive destination options. */
export const IPV6_RECVDSTOPTS: number = c.IPV6_RECVDSTOPTS;
/** IPv6 option: receive the hop limit. */
export const IPV6_RECVHOPLIMIT: number = c.IPV6_RECVHOPLIMIT;
/** IPv6 option: receive hop-by-hop options. */
export const IPV6_RECVHOPOPTS: number = c.IPV6_RECVHOPOPTS;
/** IPv6 option: receive `struct in6_pktinfo`. */
export const IPV6_RECVPKTINFO: number = c.IPV6_RECVPKTINFO;
/** IPv6 option: receive the routing header. */
export const IPV6_RECVRTHDR: number = c.IPV6_RECVRTHDR;
/** IPv6 option: receive the traffic class. */
export const IPV6_RECVTCLASS: number = c.IPV6_RECVTCLASS;
/** IPv6 option / control message: the routing header. */
export const IPV6_RTHDR: number = c.IPV6_RTHDR;
/** IPv6 option: destination options before the routing header. */
export const IPV6_RTHDRDSTOPTS: number = c.IPV6_RTHDRDSTOPTS;
/** IPv6 routing header type 0. */
export const IPV6_RTHDR_TYPE_0: number = c.IPV6_RTHDR_TYPE_0;
/** IPv6 option: receive path MTU changes. */
export const IPV6_RECVPATHMTU: number = c.IPV6_RECVPATHMTU;
/** IPv6 option: the traffic class. */
export const IPV6_TCLASS: number = c.IPV6_TCLASS;
