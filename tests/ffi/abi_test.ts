// The per-platform ABI tables: each one internally consistent (struct sizes against
// field offsets and widths, no overlaps, unique errno names, single-bit flags,
// constants that must agree), the values the headers fix, and, where python3
// runs, the running platform's table against CPython's own errno/os/select.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { abi, ABI_TABLES, platformKey } from "../../ffi/abi.ts";
import type { Abi, KeventLayout } from "../../ffi/abi/types.ts";
import { LIBKQUEUE_KEVENT } from "../../ffi/abi/linux.ts";
import { symbolsFor } from "../../ffi/symbols.ts";
import { EPOLL_CLOEXEC } from "../../select/constants.ts";

// The Unix tables; Windows (LLP64, Winsock) has its own checks in tests/windows/abi_test.ts.
const tables = Object.entries(ABI_TABLES).filter(([, t]) => t.os !== "windows");

/** `[offset, width]` of each struct kevent field, for overlap and alignment checks. */
function keventFields(k: KeventLayout): [string, number, number][] {
  const f: [string, number, number][] = [
    ["ident", k.ident, 8],
    ["filter", k.filter, 2],
    ["flags", k.flags, 2],
    ["fflags", k.fflags, 4],
    ["data", k.data, 8],
    ["udata", k.udata, 8],
  ];
  if (k.ext !== null) f.push(["ext", k.ext, 32]);
  return f;
}

function assertNoOverlap(name: string, size: number, fields: [string, number, number][]) {
  const sorted = [...fields].sort((a, b) => a[1] - b[1]);
  let end = 0;
  for (const [field, offset, width] of sorted) {
    assert.ok(offset >= end, `${name}: ${field} at ${offset} overlaps the field before`);
    // Every field of these structs is naturally aligned on LP64 ABIs.
    assert.equal(offset % Math.min(width, 8), 0, `${name}: ${field} misaligned`);
    end = offset + width;
  }
  assert.ok(end <= size, `${name}: fields end at ${end}, past sizeof ${size}`);
  return end;
}

const isBit = (n: number) => n > 0 && (n & (n - 1)) === 0;

describe("ABI tables: internal consistency", () => {
  for (const [key, t] of tables) {
    describe(key, () => {
      it("names its own platform and a libc", () => {
        assert.equal(key, `${t.os}-${t.arch}`);
        assert.ok(t.libcNames.length > 0);
        assert.equal(t.errnoFunction, t.os === "linux" ? "__errno_location" : "__error");
        assert.equal(t.nfdsBytes, t.os === "linux" ? 8 : 4);
        assert.equal(t.hasPipe2, t.os !== "darwin");
      });

      it("lays out timeval, timespec and fd_set for LP64", () => {
        assert.equal(t.timespec.size, 16);
        assert.equal(t.timespec.fractionBytes, 8);
        assert.equal(t.timeval.size, 16);
        // Darwin's suseconds_t is an int32 (then 4 bytes of padding).
        assert.equal(t.timeval.fractionBytes, t.os === "darwin" ? 4 : 8);
        for (const tv of [t.timeval, t.timespec]) {
          assert.ok(8 + tv.fractionBytes <= tv.size);
        }
        assert.equal(t.fdSetSize, 1024);
        assert.equal(t.fdSetSize % 64, 0);
      });

      it("has an epoll_event exactly on Linux: packed on x86_64, aligned on aarch64", () => {
        if (t.os !== "linux") return assert.equal(t.epollEvent, null);
        const e = t.epollEvent!;
        assert.deepEqual(
          e,
          t.arch === "x86_64" ? { size: 12, dataOffset: 4 } : {
            size: 16,
            dataOffset: 8,
          },
        );
        assertNoOverlap(key, e.size, [["events", 0, 4], ["data", e.dataOffset, 4], [
          "data.hi",
          e.dataOffset + 4,
          4,
        ]]);
        assert.equal(e.dataOffset + 8, e.size);
      });

      it("lays out struct kevent without holes or overlaps (32 or 64 bytes)", () => {
        if (t.os === "linux") return assert.equal(t.kevent, null);
        const k = t.kevent!;
        const end = assertNoOverlap(key, k.size, keventFields(k));
        assert.equal(end, k.size, "no tail padding");
        assert.equal(k.size, t.os === "freebsd" ? 64 : 32);
        assert.equal(k.ext, t.os === "freebsd" ? 32 : null);
        assert.deepEqual(
          [k.ident, k.filter, k.flags, k.fflags, k.data, k.udata],
          [0, 8, 10, 12, 16, 24],
        );
      });

      it("declares variadic fcntl/open so the variadic argument lands where va_arg reads", () => {
        const padded = t.os === "darwin" && t.arch === "aarch64";
        assert.equal(t.variadicPadding, padded ? 6 : 0);
        const symbols = symbolsFor(t);
        const fcntl = symbols.fcntl!.parameters;
        const open = symbols.open!.parameters;
        assert.equal(fcntl.length, 3 + t.variadicPadding);
        assert.equal(open.length, 3 + t.variadicPadding);
        if (padded) {
          // Apple arm64: x0–x7 full, so the variadic argument is the first stack slot.
          assert.equal(fcntl.length - 1, 8);
          assert.equal(fcntl.at(-1), "i64");
        }
        assert.equal(symbols.poll!.parameters[1], t.nfdsBytes === 8 ? "u64" : "u32");
        assert.equal(symbols.kqueue?.optional, true);
        assert.equal(symbols.kevent?.parameters.length, 6);
        assert.ok(symbols[t.errnoFunction]);
      });

      it("has distinct single-bit poll flags (POLLWRNORM is POLLOUT on BSD)", () => {
        const p = t.poll;
        assert.deepEqual(
          [p.POLLIN, p.POLLPRI, p.POLLOUT, p.POLLERR, p.POLLHUP, p.POLLNVAL],
          [1, 2, 4, 8, 16, 32],
        );
        assert.equal(p.POLLRDNORM, 0x40);
        assert.equal(p.POLLRDBAND, 0x80);
        if (t.os === "linux") {
          assert.deepEqual([p.POLLWRNORM, p.POLLWRBAND, p.POLLMSG, p.POLLRDHUP], [
            0x100,
            0x200,
            0x400,
            0x2000,
          ]);
        } else {
          assert.equal(p.POLLWRNORM, p.POLLOUT);
          assert.equal(p.POLLWRBAND, 0x100);
          assert.equal(p.POLLMSG, 0);
          assert.equal(p.POLLRDHUP, t.os === "freebsd" ? 0x4000 : 0);
        }
        const seen = new Map<number, string>();
        for (const [name, bit] of Object.entries(p)) {
          if (bit === 0) continue;
          assert.ok(isBit(bit), `${name} = ${bit} is not one bit`);
          const twin = seen.get(bit);
          if (twin !== undefined) assert.deepEqual([twin, name].sort(), ["POLLOUT", "POLLWRNORM"]);
          seen.set(bit, name);
        }
        assert.ok(t.PIPE_BUF >= 512);
        assert.equal(t.PIPE_BUF, t.os === "linux" ? 4096 : 512);
      });

      it("has disjoint open(2) flags outside O_ACCMODE and the usual fcntl commands", () => {
        const f = t.fcntl;
        assert.deepEqual([f.O_RDONLY, f.O_WRONLY, f.O_RDWR], [0, 1, 2]);
        assert.deepEqual([f.F_GETFD, f.F_SETFD, f.F_GETFL, f.F_SETFL, f.FD_CLOEXEC], [
          1,
          2,
          3,
          4,
          1,
        ]);
        const flags = Object.entries(f).filter(([n]) =>
          n.startsWith("O_") && !["O_RDONLY", "O_WRONLY", "O_RDWR"].includes(n)
        );
        let union = 0;
        for (const [name, value] of flags) {
          // Linux's O_SYNC is __O_SYNC | O_DSYNC; every other flag is one bit.
          if (!(t.os === "linux" && name === "O_SYNC")) {
            assert.ok(isBit(value), `${name} = ${value.toString(16)} is not one bit`);
          }
          assert.equal(value & 3, 0, `${name} overlaps O_ACCMODE`);
          assert.equal(union & value, 0, `${name} overlaps another flag`);
          union |= value;
        }
      });

      it("has unique errno names that agree with the errno values iomux branches on", () => {
        const names = Object.values(t.errnoNames);
        const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
        assert.deepEqual(duplicates, [], "an errno name listed under two numbers");
        for (const [value, name] of Object.entries(t.errnoNames)) {
          assert.ok(Number.isInteger(Number(value)) && Number(value) > 0);
          assert.match(name, /^E[A-Z0-9]+$/);
        }
        for (const [name, value] of Object.entries(t.errno)) {
          assert.equal(t.errnoNames[value], name, `${name} = ${value}`);
        }
        assert.equal(t.errno.ENOSYS, t.os === "linux" ? 38 : 78);
        assert.equal(t.errno.EAGAIN, t.os === "linux" ? 11 : 35);
        if (t.os === "darwin") {
          assert.equal(t.errnoNames[45], "ENOTSUP");
          assert.equal(t.errnoNames[102], "EOPNOTSUPP");
        }
      });

      it("has KQ_NOTE_PCTRLMASK disjoint from NOTE_PDATAMASK", () => {
        const PDATAMASK = 0x000fffff;
        assert.equal(t.KQ_NOTE_PCTRLMASK & PDATAMASK, 0);
        assert.equal(t.KQ_NOTE_PCTRLMASK, t.os === "darwin" ? ~PDATAMASK : 0xf0000000);
      });
    });
  }
});

describe("ABI tables: constants that must agree", () => {
  const bsd = tables.filter(([, t]) => t.os !== "linux").map(([, t]) => t);

  it("macOS and FreeBSD share 4.4BSD's errno values 1-81 (except Apple's 45)", () => {
    const [first, ...rest] = bsd as [Abi, ...Abi[]];
    for (const other of rest) {
      for (let n = 1; n <= 81; n++) {
        if (n === 45) continue;
        assert.equal(other.errnoNames[n], first.errnoNames[n], `errno ${n}`);
      }
      assert.deepEqual(other.errno, first.errno);
    }
  });

  it("the two architectures of one OS differ only where the ABI does", () => {
    for (const os of ["linux", "darwin", "freebsd"]) {
      const x86 = ABI_TABLES[`${os}-x86_64`]!;
      const arm = ABI_TABLES[`${os}-aarch64`]!;
      assert.deepEqual(arm.errnoNames, x86.errnoNames);
      assert.deepEqual(arm.poll, x86.poll);
      assert.deepEqual(arm.kevent, x86.kevent);
      assert.deepEqual(arm.timeval, x86.timeval);
      if (os !== "linux") assert.deepEqual(arm.fcntl, x86.fcntl);
    }
  });

  it("EPOLL_CLOEXEC is Linux's O_CLOEXEC on both architectures", () => {
    assert.equal(ABI_TABLES["linux-x86_64"]!.fcntl.O_CLOEXEC, EPOLL_CLOEXEC);
    assert.equal(ABI_TABLES["linux-aarch64"]!.fcntl.O_CLOEXEC, EPOLL_CLOEXEC);
  });

  it("libkqueue's struct kevent is macOS's 32-byte layout", () => {
    assert.deepEqual(LIBKQUEUE_KEVENT, ABI_TABLES["darwin-x86_64"]!.kevent);
  });

  it("the running platform has a table", () => {
    assert.ok(platformKey() in ABI_TABLES, platformKey());
  });
});

const python = spawnSync("python3", [
  "-c",
  `
import errno, json, os, select
print(json.dumps({
  "platform": os.uname().sysname.lower(),
  "errno": {n: getattr(errno, n) for n in dir(errno) if n.startswith("E")},
  "os": {n: getattr(os, n) for n in dir(os) if n.startswith(("O_", "F_")) or n == "FD_CLOEXEC"},
  "select": {n: getattr(select, n) for n in dir(select) if n.startswith("POLL") or n == "PIPE_BUF"},
}))
`,
], { encoding: "utf8" });
const cpython = python.status === 0 ? JSON.parse(python.stdout) : null;

describe("the running platform's table against CPython", {
  skip: cpython === null ? "python3 is not available" : false,
}, () => {
  it("errno names and values match Python's errno module", () => {
    assert.equal(cpython.platform, abi.os);
    for (const [value, name] of Object.entries(abi.errnoNames)) {
      assert.equal(cpython.errno[name], Number(value), name);
    }
  });

  it("O_*, F_* and POLL* values match Python's os and select modules", () => {
    for (const [name, value] of Object.entries(abi.fcntl)) {
      if (name in cpython.os) assert.equal(value, cpython.os[name], name);
    }
    for (const [name, value] of Object.entries(abi.poll)) {
      assert.equal(value, cpython.select[name] ?? 0, name);
    }
    assert.equal(abi.PIPE_BUF, cpython.select.PIPE_BUF);
  });
});
