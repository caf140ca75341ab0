/**
 * The `socket` module's TCP options (`setsockopt` level `IPPROTO_TCP`) with this
 * platform's values; a constant the platform lacks is 0. `TCP_NODELAY` is in the
 * core set.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const c = abi.socket.constants;

/** TCP option: the maximum segment size. */
export const TCP_MAXSEG: number = c.TCP_MAXSEG;
/** TCP option: hold partial frames until uncorked (Linux). */
export const TCP_CORK: number = c.TCP_CORK;
/** TCP option: idle seconds before the first keep-alive probe. */
export const TCP_KEEPIDLE: number = c.TCP_KEEPIDLE;
/** TCP option: seconds between keep-alive probes. */
export const TCP_KEEPINTVL: number = c.TCP_KEEPINTVL;
/** TCP option: unanswered keep-alive probes before the connection drops. */
export const TCP_KEEPCNT: number = c.TCP_KEEPCNT;
/** TCP option: SYN retransmissions before `connect` gives up (Linux). */
export const TCP_SYNCNT: number = c.TCP_SYNCNT;
/** TCP option: the lifetime of orphaned FIN_WAIT2 sockets (Linux). */
export const TCP_LINGER2: number = c.TCP_LINGER2;
/** TCP option: wake `accept` only when data arrives (Linux). */
export const TCP_DEFER_ACCEPT: number = c.TCP_DEFER_ACCEPT;
/** TCP option: bound the advertised window (Linux). */
export const TCP_WINDOW_CLAMP: number = c.TCP_WINDOW_CLAMP;
/** TCP option (read-only): `struct tcp_info`. */
export const TCP_INFO: number = c.TCP_INFO;
/** TCP option: acknowledge at once (Linux). */
export const TCP_QUICKACK: number = c.TCP_QUICKACK;
/** TCP option: the congestion control algorithm's name. */
export const TCP_CONGESTION: number = c.TCP_CONGESTION;
/** TCP option: RFC 2385 MD5 signatures. */
export const TCP_MD5SIG: number = c.TCP_MD5SIG;
/** TCP option: linear timeouts for thin streams (Linux). */
export const TCP_THIN_LINEAR_TIMEOUTS: number = c.TCP_THIN_LINEAR_TIMEOUTS;
/** TCP option: fast retransmit after one duplicate ACK for thin streams (Linux). */
export const TCP_THIN_DUPACK: number = c.TCP_THIN_DUPACK;
/** TCP option: milliseconds unacknowledged data may stay before the connection drops (Linux). */
export const TCP_USER_TIMEOUT: number = c.TCP_USER_TIMEOUT;
/** TCP option: connection repair mode (checkpoint/restore, Linux). */
export const TCP_REPAIR: number = c.TCP_REPAIR;
/** TCP option: the queue that repair mode addresses (Linux). */
export const TCP_REPAIR_QUEUE: number = c.TCP_REPAIR_QUEUE;
/** TCP option: the sequence number of the repair queue (Linux). */
export const TCP_QUEUE_SEQ: number = c.TCP_QUEUE_SEQ;
/** TCP option: options restored in repair mode (Linux). */
export const TCP_REPAIR_OPTIONS: number = c.TCP_REPAIR_OPTIONS;
/** TCP option: enable TCP Fast Open on a listener (the queue length). */
export const TCP_FASTOPEN: number = c.TCP_FASTOPEN;
/** TCP option: the timestamp offset (Linux). */
export const TCP_TIMESTAMP: number = c.TCP_TIMESTAMP;
/** TCP option: the low-water mark of unsent bytes. */
export const TCP_NOTSENT_LOWAT: number = c.TCP_NOTSENT_LOWAT;
/** TCP option (read-only): the congestion control algorithm's state (Linux). */
export const TCP_CC_INFO: number = c.TCP_CC_INFO;
/** TCP option: keep the SYN headers of incoming connections (Linux). */
export const TCP_SAVE_SYN: number = c.TCP_SAVE_SYN;
/** TCP option (read-only): the saved SYN headers (Linux). */
export const TCP_SAVED_SYN: number = c.TCP_SAVED_SYN;
/** TCP option: window parameters in repair mode (Linux). */
export const TCP_REPAIR_WINDOW: number = c.TCP_REPAIR_WINDOW;
/** TCP option: TCP Fast Open on `connect` (Linux). */
export const TCP_FASTOPEN_CONNECT: number = c.TCP_FASTOPEN_CONNECT;
/** TCP option: attach an upper layer protocol such as `tls` (Linux). */
export const TCP_ULP: number = c.TCP_ULP;
/** TCP option: MD5 signatures with an address prefix (Linux). */
export const TCP_MD5SIG_EXT: number = c.TCP_MD5SIG_EXT;
/** TCP option: the TCP Fast Open key (Linux). */
export const TCP_FASTOPEN_KEY: number = c.TCP_FASTOPEN_KEY;
/** TCP option: TCP Fast Open without a cookie (Linux). */
export const TCP_FASTOPEN_NO_COOKIE: number = c.TCP_FASTOPEN_NO_COOKIE;
/** TCP option: zero-copy receive (Linux). */
export const TCP_ZEROCOPY_RECEIVE: number = c.TCP_ZEROCOPY_RECEIVE;
/** TCP option: report the bytes queued to read (Linux). */
export const TCP_INQ: number = c.TCP_INQ;
/** TCP option: delay outgoing packets, in microseconds (Linux). */
export const TCP_TX_DELAY: number = c.TCP_TX_DELAY;
