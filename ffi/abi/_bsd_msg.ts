/**
 * `struct msghdr` and `struct cmsghdr` as macOS and FreeBSD lay them out (`int
 * msg_iovlen`, `socklen_t msg_controllen` and `cmsg_len`); only the `CMSG_*`
 * alignment differs between them.
 *
 * @module
 */
import type { MsgAbi } from "./socket_types.ts";

/** The BSD layout with `CMSG_ALIGN` rounding to `cmsgAlign`. */
export function bsdMsg(cmsgAlign: 4 | 8): MsgAbi {
  return {
    size: 48,
    name: 0,
    namelen: 8,
    iov: 16,
    iovlen: 24,
    iovlenBytes: 4,
    control: 32,
    controllen: 40,
    controllenBytes: 4,
    flags: 44,
    iovecSize: 16,
    cmsghdrSize: 12,
    cmsgLenBytes: 4,
    cmsgLevel: 4,
    cmsgType: 8,
    cmsgAlign,
  };
}
