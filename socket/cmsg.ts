/**
 * Control messages (ancillary data) for `Socket.sendmsg` and `Socket.recvmsg`:
 * Python's `socket.CMSG_LEN` and `socket.CMSG_SPACE`, with the platform's
 * `struct cmsghdr` and alignment (`ffi/abi`), and the walk over received ones that `CMSG_FIRSTHDR`,
 * `CMSG_NXTHDR` and CPython's `get_cmsg_data_len` make.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import type { MsgAbi } from "../ffi/abi/socket_types.ts";
import { libc } from "../ffi/libc.ts";
import { ssizeArg } from "../_py/convert.ts";

const layout = abi.socket.msg;
const { SOL_SOCKET, SCM_RIGHTS } = abi.socket.constants;
const LINUX = abi.os === "linux";

/**
 * CPython's `SOCKLEN_T_LIMIT` (`Modules/socketmodule.c`): the largest control length
 * it stores in a `socklen_t`, the smaller of 2**31-1 and `INT_MAX`.
 */
export const SOCKLEN_T_LIMIT = 0x7fffffff;

/** The `struct msghdr`/`cmsghdr` layout, or the Windows refusal (CPython has no sendmsg there). */
export function msgLayout(method: string): MsgAbi {
  if (layout === null) throw new Error(`iomux: ${method}() is not available on Windows`);
  return layout;
}

/** `CMSG_ALIGN(n)`. */
export function cmsgAlign(m: MsgAbi, n: number): number {
  return Math.ceil(n / m.cmsgAlign) * m.cmsgAlign;
}

/** `CMSG_LEN(0)`: where the data starts (`CMSG_DATA`) after a header. */
export function cmsgDataOffset(m: MsgAbi): number {
  return cmsgAlign(m, m.cmsghdrSize);
}

/** CPython's `get_CMSG_LEN`: `CMSG_LEN(length)`, or `undefined` beyond `SOCKLEN_T_LIMIT`. */
export function cmsgLenOf(m: MsgAbi, length: number): number | undefined {
  const header = cmsgDataOffset(m);
  if (length > SOCKLEN_T_LIMIT - header) return undefined;
  return header + length;
}

/** CPython's `get_CMSG_SPACE`: `CMSG_SPACE(length)`, or `undefined` beyond the limit. */
export function cmsgSpaceOf(m: MsgAbi, length: number): number | undefined {
  // CMSG_SPACE(1) takes the padding before *and* after the data into account.
  if (length > SOCKLEN_T_LIMIT - (cmsgDataOffset(m) + cmsgAlign(m, 1))) return undefined;
  const space = cmsgDataOffset(m) + cmsgAlign(m, length);
  return space > SOCKLEN_T_LIMIT ? undefined : space;
}

/**
 * The length of a control message whose data is `length` bytes, without trailing
 * padding, as Python's `socket.CMSG_LEN` (`Modules/socketmodule.c`
 * `socket_CMSG_LEN`): an `ancbufsize` that receives exactly one item.
 *
 * @param length The data's size in bytes.
 * @returns `CMSG_LEN(length)`.
 * @throws {RangeError} `"CMSG_LEN() argument out of range"` (Python's OverflowError)
 *   for a negative length or one past the `socklen_t` limit.
 * @throws {Error} On Windows, where CPython has no `CMSG_LEN`.
 *
 * @example Room for two fds
 * ```ts
 * import assert from "node:assert/strict";
 * import { CMSG_LEN } from "@iomux/iomux/socket";
 *
 * assert.equal(CMSG_LEN(8) - CMSG_LEN(0), 8);
 * assert.throws(() => CMSG_LEN(-1), RangeError);
 * ```
 */
export function CMSG_LEN(length: number): number {
  const m = msgLayout("CMSG_LEN");
  const n = ssizeArg(length);
  const result = n < 0 ? undefined : cmsgLenOf(m, n);
  if (result === undefined) throw new RangeError("CMSG_LEN() argument out of range");
  return result;
}

/**
 * The buffer size a control message of `length` data bytes takes, with the padding
 * before the next one, as Python's `socket.CMSG_SPACE`: add one per item for
 * `recvmsg`'s `ancbufsize`.
 *
 * @param length The data's size in bytes.
 * @returns `CMSG_SPACE(length)`.
 * @throws {RangeError} `"CMSG_SPACE() argument out of range"`.
 * @throws {Error} On Windows.
 *
 * @example Space for one fd, padded
 * ```ts
 * import assert from "node:assert/strict";
 * import { CMSG_LEN, CMSG_SPACE } from "@iomux/iomux/socket";
 *
 * assert.ok(CMSG_SPACE(4) >= CMSG_LEN(4));
 * ```
 */
export function CMSG_SPACE(length: number): number {
  const m = msgLayout("CMSG_SPACE");
  const n = ssizeArg(length);
  const result = n < 0 ? undefined : cmsgSpaceOf(m, n);
  if (result === undefined) throw new RangeError("CMSG_SPACE() argument out of range");
  return result;
}

/** `cmsg_len` (4 or 8 bytes, at the header's start). */
function lengthAt(m: MsgAbi, v: DataView, at: number): number {
  return m.cmsgLenBytes === 8 ? Number(v.getBigUint64(at, true)) : v.getUint32(at, true);
}

/**
 * Walks the control messages as `CMSG_FIRSTHDR`/`CMSG_NXTHDR` do on this platform;
 * `visit(offset, status, dataLength)` gets CPython's `get_cmsg_data_len` answer
 * (0 whole, 1 truncated, -1 malformed) and returns whether to go on.
 */
export function walk(
  m: MsgAbi,
  v: DataView,
  at: number,
  controllen: number,
  visit: (offset: number, status: number, dataLength: number) => boolean,
): void {
  const header = cmsgDataOffset(m);
  let off = controllen >= m.cmsghdrSize ? 0 : -1;
  while (off >= 0) {
    const len = off + Math.max(header, m.cmsgLenBytes) <= controllen
      ? lengthAt(m, v, at + off)
      : -1;
    let status = -1, dataLength = 0;
    if (len >= header && off + header <= controllen) {
      const room = controllen - (off + header);
      status = room >= len - header ? 0 : 1;
      dataLength = Math.min(room, len - header);
    }
    if (!visit(off, status, dataLength) || status !== 0) return;
    // glibc's __cmsg_nxthdr; the BSDs' CMSG_NXTHDR macro.
    if (LINUX && len < m.cmsghdrSize) return;
    const next = off + cmsgAlign(m, len);
    const fits = LINUX
      ? next + m.cmsghdrSize <= controllen &&
        next + cmsgAlign(m, lengthAt(m, v, at + next)) <= controllen
      : next + cmsgAlign(m, m.cmsghdrSize) <= controllen;
    off = fits ? next : -1;
  }
}

/** Closes every fd an `SCM_RIGHTS` message brought (CPython's `err_closefds`). */
export function closeReceivedFds(m: MsgAbi, v: DataView, at: number, controllen: number): void {
  const c = libc();
  walk(m, v, at, controllen, (off, status, dataLength) => {
    if (status < 0) return false;
    const level = v.getInt32(at + off + m.cmsgLevel, true);
    if (level === SOL_SOCKET && v.getInt32(at + off + m.cmsgType, true) === SCM_RIGHTS) {
      const data = at + off + cmsgDataOffset(m);
      for (let i = 0; i + 4 <= dataLength; i += 4) c.close(v.getInt32(data + i, true));
    }
    return true;
  });
}
