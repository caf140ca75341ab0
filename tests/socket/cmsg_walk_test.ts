/**
 * The walk over received control messages (`socket/cmsg.ts` `walk`), on crafted
 * buffers in this platform's layout: CPython's `get_cmsg_data_len` answers (0 whole,
 * 1 truncated, -1 malformed), which `recvmsg` turns into items, a RuntimeWarning and
 * the end of the list. A kernel does not write malformed control data, so the cases
 * that `recvmsg` cannot be made to meet are checked here.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import { cmsgAlign, cmsgDataOffset, walk } from "../../socket/cmsg.ts";
import { CMSG_LEN, CMSG_SPACE } from "../../socket/mod.ts";

const m = abi.socket.msg;

/** A control buffer of `size` bytes with headers `[offset, cmsg_len, level, type]`. */
function control(size: number, headers: [number, number, number, number][]): DataView {
  const v = new DataView(new ArrayBuffer(size + 16));
  for (const [off, len, level, type] of headers) {
    if (m!.cmsgLenBytes === 8) v.setBigUint64(off, BigInt(len), true);
    else v.setUint32(off, len, true);
    v.setInt32(off + m!.cmsgLevel, level, true);
    v.setInt32(off + m!.cmsgType, type, true);
  }
  return v;
}

function visits(v: DataView, controllen: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  walk(m!, v, 0, controllen, (off, status, length) => {
    out.push([off, status, length]);
    return status >= 0;
  });
  return out;
}

describe("control-message walk", { skip: m === null && "no sendmsg on Windows" }, () => {
  it("nothing in a buffer shorter than a header", () => {
    assert.deepEqual(visits(control(64, []), 0), []);
    assert.deepEqual(visits(control(64, [[0, CMSG_LEN(4), 1, 1]]), m!.cmsghdrSize - 1), []);
  });

  it("two whole items, each at its CMSG_SPACE", () => {
    const second = CMSG_SPACE(4);
    const v = control(64, [[0, CMSG_LEN(4), 1, 1], [second, CMSG_LEN(8), 1, 1]]);
    assert.deepEqual(visits(v, second + CMSG_SPACE(8)), [[0, 0, 4], [second, 0, 8]]);
  });

  it("an item whose cmsg_len runs past the buffer is truncated (status 1), the walk ends", () => {
    const v = control(64, [[0, CMSG_LEN(12), 1, 1]]);
    assert.deepEqual(visits(v, CMSG_LEN(4)), [[0, 1, 4]]);
  });

  it("a cmsg_len below CMSG_LEN(0) is malformed (status -1), the walk ends", () => {
    const v = control(64, [[0, cmsgDataOffset(m!) - 1, 1, 1]]);
    assert.deepEqual(visits(v, CMSG_SPACE(4)), [[0, -1, 0]]);
    assert.equal(cmsgAlign(m!, 1), m!.cmsgAlign);
  });
});
