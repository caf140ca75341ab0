// select.kevent without a kernel: CPython's defaults, C-type conversions and range
// errors, ordering, repr, the KQ_* constants, and struct kevent encoding for both
// layouts (test_kqueue.py's test_create_event plus the checks its C code implies).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  KEvent,
  kevent,
  KQ_EV_ADD,
  KQ_EV_CLEAR,
  KQ_EV_DELETE,
  KQ_EV_DISABLE,
  KQ_EV_ENABLE,
  KQ_EV_EOF,
  KQ_EV_ERROR,
  KQ_EV_FLAG1,
  KQ_EV_ONESHOT,
  KQ_EV_SYSFLAGS,
  KQ_FILTER_AIO,
  KQ_FILTER_PROC,
  KQ_FILTER_READ,
  KQ_FILTER_SIGNAL,
  KQ_FILTER_TIMER,
  KQ_FILTER_VNODE,
  KQ_FILTER_WRITE,
  KQ_NOTE_ATTRIB,
  KQ_NOTE_CHILD,
  KQ_NOTE_DELETE,
  KQ_NOTE_EXEC,
  KQ_NOTE_EXIT,
  KQ_NOTE_EXTEND,
  KQ_NOTE_FORK,
  KQ_NOTE_LINK,
  KQ_NOTE_LOWAT,
  KQ_NOTE_PCTRLMASK,
  KQ_NOTE_PDATAMASK,
  KQ_NOTE_RENAME,
  KQ_NOTE_REVOKE,
  KQ_NOTE_TRACK,
  KQ_NOTE_TRACKERR,
  KQ_NOTE_WRITE,
  ValueError,
} from "../../select/mod.ts";
import { abi } from "../../ffi/abi.ts";
import { DARWIN_X86_64 } from "../../ffi/abi/darwin.ts";
import { FREEBSD_X86_64 } from "../../ffi/abi/freebsd.ts";
import { LIBKQUEUE_KEVENT } from "../../ffi/abi/linux.ts";
import type { KeventLayout } from "../../ffi/abi/types.ts";
import { decodeKevent, encodeKevents, type KeventFields } from "../../ffi/kevent.ts";
import { close, O_WRONLY, open } from "../../os/mod.ts";

const fields = (ev: KEvent) => [ev.ident, ev.filter, ev.flags, ev.fflags, ev.data, ev.udata];
const U64_MAX = 2n ** 64n - 1n;
const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

describe("kevent (test_create_event)", () => {
  it("has CPython's defaults and takes an fd or a fileno() object", () => {
    const fd = open("/dev/null", O_WRONLY);
    try {
      const ev = kevent(fd);
      const other = kevent(1000);
      assert.deepEqual(fields(ev), [fd, KQ_FILTER_READ, KQ_EV_ADD, 0, 0, 0]);
      assert.equal(ev.equals(ev), true);
      assert.equal(ev.equals(other), false);
      assert.ok(ev.compare(other) < 0);
      assert.ok(other.compare(ev) >= 0);
      assert.deepEqual(fields(kevent({ fileno: () => fd })), fields(ev));
      assert.ok(new KEvent(fd) instanceof KEvent);

      let e = kevent(fd, KQ_FILTER_WRITE);
      assert.deepEqual(fields(e), [fd, KQ_FILTER_WRITE, KQ_EV_ADD, 0, 0, 0]);
      e = kevent(fd, KQ_FILTER_WRITE, KQ_EV_ONESHOT);
      assert.deepEqual(fields(e), [fd, KQ_FILTER_WRITE, KQ_EV_ONESHOT, 0, 0, 0]);
      e = kevent(1, 2, 3, 4, 5, 6);
      assert.deepEqual(fields(e), [1, 2, 3, 4, 5, 6]);
      assert.ok(e.equals(e) && !e.equals(other));
    } finally {
      close(fd);
    }
  });

  it("keeps big values exact (0x7fff, sys.maxsize, 2**64-1)", () => {
    const bignum = 0x7fff;
    let ev = kevent(bignum, 1, 2, 3, bignum - 1, bignum);
    assert.deepEqual(fields(ev), [0x7fff, 1, 2, 3, 0x7ffe, 0x7fff]);
    ev = kevent(U64_MAX, 1, 2, 3, I64_MAX, U64_MAX);
    assert.deepEqual(fields(ev), [U64_MAX, 1, 2, 3, I64_MAX, U64_MAX]);
    // bpo-11973: flags and fflags take their whole unsigned range.
    assert.equal(kevent(0, 1, 0xffff).flags, 0xffff);
    assert.equal(kevent(0, 1, 2, 0xffffffff).fflags, 0xffffffff);
    // A 64-bit value is a number while exact, a BigInt beyond.
    assert.equal(kevent(2n ** 53n - 1n).ident, 2 ** 53 - 1);
    assert.equal(kevent(2n ** 53n).ident, 2n ** 53n);
    assert.equal(kevent(2 ** 60).ident, 2n ** 60n);
    assert.equal(kevent(0, 0, 0, 0, I64_MIN).data, I64_MIN);
    assert.equal(kevent(0, 0, 0, 0, -5).data, -5);
  });

  it("orders lexicographically with C signedness; TypeError against non-kevents", () => {
    const ev = kevent(5);
    for (const bad of [null, 1, "ev", undefined, {}]) {
      assert.throws(() => ev.compare(bad as unknown as KEvent), TypeError);
      assert.equal(ev.equals(bad), false);
    }
    assert.throws(
      () => ev.compare(null as unknown as KEvent),
      { message: "compare() not supported between instances of 'select.kevent' and 'NoneType'" },
    );
    // ident first, then filter (signed), flags, fflags, data (signed), udata.
    assert.ok(kevent(1, 5).compare(kevent(2, -5)) < 0);
    assert.ok(kevent(1, -2).compare(kevent(1, -1)) < 0);
    assert.ok(kevent(1, -1, 1).compare(kevent(1, -1, 2)) < 0);
    assert.ok(kevent(1, -1, 1, 7).compare(kevent(1, -1, 1, 8)) < 0);
    assert.ok(kevent(1, -1, 1, 0, -1).compare(kevent(1, -1, 1, 0, 0)) < 0);
    // udata is compared as a signed intptr_t: 2**64-1 is -1.
    assert.ok(kevent(1, -1, 1, 0, 0, U64_MAX).compare(kevent(1, -1, 1, 0, 0, 0)) < 0);
    assert.ok(kevent(1, -1, 1, 0, 0, 2n ** 63n).compare(kevent(1, -1, 1, 0, 0, 1)) < 0);
    assert.equal(kevent(U64_MAX).compare(kevent(U64_MAX)), 0);
    assert.ok(kevent(U64_MAX).compare(kevent(1)) > 0);
    const sorted = [kevent(9), kevent(2, -2), kevent(2, -1), kevent(0)].sort((a, b) =>
      a.compare(b)
    );
    assert.deepEqual(sorted.map((e) => [e.ident, e.filter]), [[0, -1], [2, -2], [2, -1], [9, -1]]);
  });

  it("prints CPython's repr", () => {
    assert.equal(
      String(kevent(3)),
      "<select.kevent ident=3 filter=-1 flags=0x1 fflags=0x0 data=0x0 udata=0x0>",
    );
    assert.equal(
      kevent(U64_MAX, -7, 0xc011, 0x80000000, -1, 0xdeadbeef).toString(),
      "<select.kevent ident=18446744073709551615 filter=-7 flags=0xc011 fflags=0x80000000 " +
        "data=0xffffffffffffffff udata=0xdeadbeef>",
    );
  });
});

describe("kevent conversions (CPython's C types)", () => {
  it("ident: size_t for integers, fildes for everything else", () => {
    assert.throws(() => kevent(-1), {
      name: "RangeError",
      message: "can't convert negative value to size_t",
    });
    assert.throws(() => kevent(2n ** 64n), {
      name: "RangeError",
      message: "Python int too large to convert to C size_t",
    });
    assert.throws(() => kevent(2 ** 64), RangeError);
    for (const bad of [1.5, "3", null, NaN, {}]) {
      assert.throws(() => kevent(bad as number), {
        name: "TypeError",
        message: "argument must be an int, or have a fileno() method.",
      });
    }
    assert.throws(() => kevent({ fileno: () => 2.5 }), {
      name: "TypeError",
      message: "fileno() returned a non-integer",
    });
    assert.throws(() => kevent({ fileno: () => -1 }), {
      name: "ValueError",
      message: "file descriptor cannot be a negative integer (-1)",
    });
    assert.throws(() => kevent({ fileno: () => -1 }), ValueError);
  });

  it("filter: a range-checked signed short", () => {
    assert.equal(kevent(0, 32767).filter, 32767);
    assert.equal(kevent(0, -32768).filter, -32768);
    assert.throws(() => kevent(0, 32768), {
      name: "RangeError",
      message: "signed short integer is greater than maximum",
    });
    assert.throws(() => kevent(0, -32769), {
      name: "RangeError",
      message: "signed short integer is less than minimum",
    });
    assert.throws(() => kevent(0, 2 ** 70), {
      name: "RangeError",
      message: "Python int too large to convert to C long",
    });
    assert.throws(() => kevent(0, 1.5), {
      name: "TypeError",
      message: "'float' object cannot be interpreted as an integer",
    });
    assert.throws(() => kevent(0, null as unknown as number), {
      message: "'NoneType' object cannot be interpreted as an integer",
    });
  });

  it("flags and fflags: masked to 16 and 32 bits, never rejected", () => {
    assert.equal(kevent(0, -1, 0x10001).flags, 1);
    assert.equal(kevent(0, -1, -1).flags, 0xffff);
    assert.equal(kevent(0, -1, (2n ** 70n + 5n) as unknown as number).flags, 5);
    assert.equal(kevent(0, -1, 1, -1).fflags, 0xffffffff);
    assert.equal(kevent(0, -1, 1, 2 ** 32 + 7).fflags, 7);
    assert.equal(kevent(0, -1, 1, (2n ** 64n + 9n) as unknown as number).fflags, 9);
    assert.throws(() => kevent(0, -1, 1.5), TypeError);
    assert.throws(() => kevent(0, -1, 1, "1" as unknown as number), {
      message: "'str' object cannot be interpreted as an integer",
    });
  });

  it("data: a range-checked int64; udata: any integer masked to 64 bits", () => {
    assert.equal(kevent(0, -1, 1, 0, I64_MAX).data, I64_MAX);
    assert.throws(() => kevent(0, -1, 1, 0, I64_MAX + 1n), {
      name: "RangeError",
      message: "int too big to convert",
    });
    assert.throws(() => kevent(0, -1, 1, 0, I64_MIN - 1n), RangeError);
    assert.throws(() => kevent(0, -1, 1, 0, 0.5), TypeError);
    assert.equal(kevent(0, -1, 1, 0, 0, -1).udata, U64_MAX);
    assert.equal(kevent(0, -1, 1, 0, 0, 2n ** 64n + 3n).udata, 3);
    assert.throws(() => kevent(0, -1, 1, 0, 0, 0.5), {
      name: "TypeError",
      message: "kevent() argument 6 must be int, not float",
    });
  });

  it("fields are writable with the same conversions", () => {
    const ev = kevent(1);
    ev.ident = 2n ** 64n - 1n;
    ev.filter = KQ_FILTER_TIMER;
    ev.flags = 0x1ffff;
    ev.fflags = -1;
    ev.data = -3;
    ev.udata = -1;
    assert.deepEqual(fields(ev), [U64_MAX, -7, 0xffff, 0xffffffff, -3, U64_MAX]);
    assert.throws(() => (ev.filter = 40000), RangeError);
    assert.throws(() => (ev.ident = -1), RangeError);
    assert.throws(() => (ev.data = 2n ** 63n), RangeError);
    assert.throws(() => (ev.flags = 0.5), TypeError);
    assert.deepEqual(fields(ev), [U64_MAX, -7, 0xffff, 0xffffffff, -3, U64_MAX]);
  });

  it("checks its arity as Python does", () => {
    assert.throws(() => (kevent as () => KEvent)(), {
      name: "TypeError",
      message: "kevent() missing required argument 'ident' (pos 1)",
    });
    assert.throws(
      () => (kevent as (...a: number[]) => KEvent)(1, 2, 3, 4, 5, 6, 7),
      { message: "kevent() takes at most 6 arguments (7 given)" },
    );
  });
});

describe("KQ_* constants", () => {
  it("have the macOS/FreeBSD <sys/event.h> values", () => {
    assert.deepEqual(
      [
        KQ_FILTER_READ,
        KQ_FILTER_WRITE,
        KQ_FILTER_AIO,
        KQ_FILTER_VNODE,
        KQ_FILTER_PROC,
        KQ_FILTER_SIGNAL,
        KQ_FILTER_TIMER,
      ],
      [-1, -2, -3, -4, -5, -6, -7],
    );
    assert.deepEqual(
      [KQ_EV_ADD, KQ_EV_DELETE, KQ_EV_ENABLE, KQ_EV_DISABLE, KQ_EV_ONESHOT, KQ_EV_CLEAR],
      [1, 2, 4, 8, 16, 32],
    );
    assert.deepEqual(
      [KQ_EV_SYSFLAGS, KQ_EV_FLAG1, KQ_EV_ERROR, KQ_EV_EOF],
      [0xf000, 0x2000, 0x4000, 0x8000],
    );
    assert.deepEqual(
      [
        KQ_NOTE_LOWAT,
        KQ_NOTE_DELETE,
        KQ_NOTE_WRITE,
        KQ_NOTE_EXTEND,
        KQ_NOTE_ATTRIB,
        KQ_NOTE_LINK,
        KQ_NOTE_RENAME,
        KQ_NOTE_REVOKE,
      ],
      [1, 1, 2, 4, 8, 16, 32, 64],
    );
    assert.deepEqual(
      [KQ_NOTE_EXIT, KQ_NOTE_FORK, KQ_NOTE_EXEC, KQ_NOTE_PDATAMASK],
      [2147483648, 1073741824, 536870912, 1048575],
    );
    assert.deepEqual([KQ_NOTE_TRACK, KQ_NOTE_TRACKERR, KQ_NOTE_CHILD], [1, 2, 4]);
    assert.equal(KQ_NOTE_PCTRLMASK, abi.os === "darwin" ? -1048576 : 4026531840);
  });
});

/** The bytes a C compiler lays out for one struct kevent, written field by field. */
function cBytes(layout: KeventLayout, f: KeventFields): Uint8Array {
  const bytes = new Uint8Array(layout.size);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(layout.ident, BigInt(f.ident), true);
  view.setInt16(layout.filter, f.filter, true);
  view.setUint16(layout.flags, f.flags, true);
  view.setUint32(layout.fflags, f.fflags, true);
  view.setBigInt64(layout.data, BigInt(f.data), true);
  view.setBigUint64(layout.udata, BigInt(f.udata), true);
  return bytes;
}

const LAYOUTS: [string, KeventLayout][] = [
  ["macOS", DARWIN_X86_64.kevent!],
  ["FreeBSD", FREEBSD_X86_64.kevent!],
  ["libkqueue", LIBKQUEUE_KEVENT],
];

describe("struct kevent encoding", () => {
  const samples: KEvent[] = [
    kevent(0),
    kevent(3, KQ_FILTER_WRITE, KQ_EV_ADD | KQ_EV_ENABLE, 0, 0, 0),
    kevent(1, 2, 3, 4, 5, 6),
    kevent(U64_MAX, -32768, 0xffff, 0xffffffff, I64_MIN, U64_MAX),
    kevent(2 ** 53 - 1, 32767, 0x8000, 0x80000000, I64_MAX, 2n ** 53n),
    kevent(0x0102030405060708n, -7, 0x1234, 0x89abcdef, -(2 ** 40), 0xfedcba98),
    kevent(7, -1, 0, 0, -1, 2 ** 32),
  ];

  for (const [name, layout] of LAYOUTS) {
    it(`${name}: ${layout.size} bytes, C field offsets, exact round trip`, () => {
      const buffer = new Uint8Array(samples.length * layout.size).fill(0xa5);
      encodeKevents(buffer, layout, samples);
      samples.forEach((ev, i) => {
        const at = i * layout.size;
        const expected = cBytes(layout, ev);
        // FreeBSD's ext[4] is zeroed; macOS/libkqueue have no bytes beyond udata.
        assert.deepEqual(buffer.subarray(at, at + layout.size), expected, `${ev}`);
        const back = decodeKevent(buffer, layout, i);
        assert.deepEqual(
          [back.ident, back.filter, back.flags, back.fflags, back.data, back.udata],
          fields(ev),
        );
      });
    });
  }

  it("decodes 64-bit values as numbers exactly when they are safe integers", () => {
    const layout = LIBKQUEUE_KEVENT;
    const bytes = new Uint8Array(layout.size);
    const view = new DataView(bytes.buffer);
    const cases: [bigint, number | bigint][] = [
      [0n, 0],
      [2n ** 53n - 1n, 2 ** 53 - 1],
      [2n ** 53n, 2n ** 53n],
      [-(2n ** 53n) + 1n, -(2 ** 53) + 1],
      [-(2n ** 53n), -(2n ** 53n)],
      [-1n, -1],
      [I64_MIN, I64_MIN],
    ];
    for (const [raw, expected] of cases) {
      view.setBigInt64(layout.data, raw, true);
      view.setBigInt64(layout.udata, raw, true);
      const back = decodeKevent(bytes, layout, 0);
      assert.equal(back.data, expected, `data ${raw}`);
      const unsigned = BigInt.asUintN(64, raw);
      assert.equal(
        back.udata,
        unsigned <= 2n ** 53n - 1n ? Number(unsigned) : unsigned,
        `udata ${raw}`,
      );
    }
  });

  it("writes at the byte offset of a subarray", () => {
    const layout = FREEBSD_X86_64.kevent!;
    const backing = new Uint8Array(layout.size + 8).fill(0xff);
    encodeKevents(backing.subarray(8), layout, [kevent(9, -2, 1, 0, 3, 4)]);
    assert.deepEqual([...backing.subarray(0, 8)], new Array(8).fill(0xff));
    assert.deepEqual(backing.subarray(8), cBytes(layout, kevent(9, -2, 1, 0, 3, 4)));
    assert.equal(decodeKevent(backing.subarray(8), layout, 0).ident, 9);
  });
});
