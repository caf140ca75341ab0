/**
 * `./fcntl` on real fds: ioctl's int and buffer paths as CPython takes them, fcntl's
 * commands, and the constants, compared with python3's `fcntl`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fcntl from "../../fcntl/mod.ts";
import {
  close,
  getInheritable,
  O_APPEND,
  O_CREAT,
  O_NONBLOCK,
  O_RDWR,
  open,
  openpty,
  OSError,
  pipe,
  ttyname,
  ValueError,
  write,
} from "../../os/mod.ts";
import { tcgetwinsize } from "../../termios/mod.ts";
import { haveCommand } from "../_kit/child.ts";

const python = haveCommand("python3", "-c", "import fcntl, termios");

function py(code: string, ...args: string[]): unknown {
  const out = spawnSync("python3", ["-c", code, ...args], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

describe("fcntl constants", () => {
  it("has every name python3's fcntl has, with the same value", { skip: !python }, () => {
    const theirs = py(
      "import json, fcntl; print(json.dumps({n: getattr(fcntl, n) for n in dir(fcntl) if n.isupper()}))",
    ) as Record<string, number>;
    assert.ok(Object.keys(theirs).length > 20, "python3's fcntl has its constants");
    const ours = fcntl as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(theirs)) assert.equal(ours[name], value, name);
    const ioctls = py(
      "import json, termios; print(json.dumps({n: getattr(termios, n) for n in ('TIOCGWINSZ', 'TIOCSWINSZ', 'FIONREAD', 'FIONBIO', 'TIOCSCTTY')}))",
    ) as Record<string, number>;
    for (const [name, value] of Object.entries(ioctls)) assert.equal(ours[name], value, name);
  });
});

describe("ioctl", () => {
  it("a writable buffer is written back and the result returned (FIONREAD)", () => {
    const [r, w] = pipe();
    try {
      write(w, new Uint8Array(7));
      const count = new Int32Array(1);
      assert.equal(fcntl.ioctl(r, fcntl.FIONREAD, count), 0);
      assert.equal(count[0], 7);
      // mutateFlag false: the buffer is left alone, the kernel's answer comes back as bytes.
      const untouched = new Int32Array(1);
      const copy = fcntl.ioctl(r, fcntl.FIONREAD, untouched, false) as Uint8Array;
      assert.equal(untouched[0], 0);
      assert.deepEqual(new Int32Array(copy.slice().buffer)[0], 7);
    } finally {
      close(r);
      close(w);
    }
  });

  it("returns the same bytes as python3's ioctl for TIOCGWINSZ", { skip: !python }, () => {
    const [master, slave] = openpty();
    try {
      fcntl.ioctl(master, fcntl.TIOCSWINSZ, new Uint16Array([40, 120, 7, 9]));
      const theirs = py(
        `import json, os, sys, fcntl, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
print(json.dumps(list(fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\\0" * 8))))`,
        ttyname(slave),
      );
      const ours = fcntl.ioctl(slave, fcntl.TIOCGWINSZ, "\0".repeat(8)) as Uint8Array;
      assert.deepEqual([...ours], theirs);
      assert.deepEqual(tcgetwinsize(slave), [40, 120]);
    } finally {
      close(master);
      close(slave);
    }
  });

  it("an int argument is passed as an int (FIONBIO)", () => {
    const [r, w] = pipe();
    try {
      fcntl.ioctl(r, fcntl.FIONBIO, new Int32Array([1]));
      assert.ok((fcntl.fcntl(r, fcntl.F_GETFL) as number) & O_NONBLOCK);
      // FIOCLEX takes no argument: the default int 0.
      fcntl.ioctl(w, fcntl.FIONCLEX);
      assert.equal(getInheritable(w), true);
      fcntl.ioctl(w, fcntl.FIOCLEX, 0);
      assert.equal(getInheritable(w), false);
    } finally {
      close(r);
      close(w);
    }
  });

  it("sizes buffers from their real extent, not from overridable properties", () => {
    const [r, w] = pipe();
    try {
      write(w, new Uint8Array(3));
      // A view that lies about its size: the kernel still gets (and writes) 4 bytes.
      const liar = new Int32Array(1);
      Object.defineProperty(liar, "byteLength", { value: 1 << 20 });
      Object.defineProperty(liar, "length", { value: 1 << 18 });
      assert.equal(fcntl.ioctl(r, fcntl.FIONREAD, liar), 0);
      assert.equal(liar[0], 3);
      const copied = fcntl.ioctl(r, fcntl.FIONREAD, liar, false) as Uint8Array;
      assert.equal(copied.byteLength, 4);
      // A view into the middle of a larger buffer: only its own 4 bytes change.
      const backing = new Uint8Array(12).fill(0xee);
      const middle = new Int32Array(backing.buffer, 4, 1);
      fcntl.ioctl(r, fcntl.FIONREAD, middle);
      assert.deepEqual([...backing.subarray(0, 4)], [0xee, 0xee, 0xee, 0xee]);
      assert.deepEqual([...backing.subarray(8)], [0xee, 0xee, 0xee, 0xee]);
      assert.equal(middle[0], 3);
    } finally {
      close(r);
      close(w);
    }
  });

  it("fails as CPython does", () => {
    const [r, w] = pipe();
    try {
      assert.throws(
        () => fcntl.ioctl(r, fcntl.TIOCGWINSZ, new Uint8Array(8)),
        (e) => e instanceof OSError && e.code === "ENOTTY",
      );
      assert.throws(() => fcntl.ioctl(r, fcntl.FIONREAD, "x".repeat(1025)), {
        name: "ValueError",
        message: "ioctl string arg too long",
      });
      assert.throws(() => fcntl.ioctl(r, fcntl.FIONREAD, new Uint8Array(2000), false), ValueError);
      assert.throws(() => fcntl.ioctl(r, fcntl.FIONREAD, {} as never), {
        name: "TypeError",
        message:
          "ioctl requires a file or file descriptor, an integer and optionally an integer or buffer argument",
      });
      assert.throws(() => fcntl.ioctl(r, fcntl.FIONREAD, 2 ** 31), RangeError);
    } finally {
      close(r);
      close(w);
    }
  });
});

describe("fcntl", () => {
  it("answers F_GETFL, F_GETFD and F_GETLK as python3 does", { skip: !python }, () => {
    const dir = mkdtempSync(join(tmpdir(), "iomux-fcntl-"));
    const path = join(dir, "locked");
    const [r, w] = pipe();
    const fd = open(path, O_CREAT | O_RDWR | O_APPEND, 0o600);
    try {
      // struct flock { short l_type, l_whence; off_t l_start, l_len; pid_t l_pid; } on
      // 64-bit Linux, asking about a write lock on the whole file.
      const theirs = py(
        `import fcntl, json, os, struct, sys
r, w = os.pipe()
fd = os.open(sys.argv[1], os.O_RDWR | os.O_APPEND)
query = struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, 0, 0, 0)
print(json.dumps([fcntl.fcntl(r, fcntl.F_GETFL), fcntl.fcntl(w, fcntl.F_GETFD),
                  fcntl.fcntl(fd, fcntl.F_GETFL), list(fcntl.fcntl(fd, fcntl.F_GETLK, query))]))`,
        path,
      ) as [number, number, number, number[]];
      const query = new Uint8Array(32);
      new DataView(query.buffer).setInt16(0, fcntl.F_WRLCK, true);
      const answer = fcntl.fcntl(fd, fcntl.F_GETLK, query) as Uint8Array;
      assert.deepEqual(
        [
          fcntl.fcntl(r, fcntl.F_GETFL),
          fcntl.fcntl(w, fcntl.F_GETFD),
          fcntl.fcntl(fd, fcntl.F_GETFL),
          [...answer],
        ],
        theirs,
      );
      assert.equal(new DataView(answer.buffer).getInt16(0, true), fcntl.F_UNLCK, "no lock held");
      assert.equal(query[0], fcntl.F_WRLCK, "the argument itself is left alone");
    } finally {
      close(fd);
      close(r);
      close(w);
      rmSync(dir, { recursive: true });
    }
  });

  it("duplicates with F_DUPFD_CLOEXEC, copies buffer arguments, checks sizes", () => {
    const [r, w] = pipe();
    try {
      const copy = fcntl.fcntl(r, fcntl.F_DUPFD_CLOEXEC, 100) as number;
      assert.ok(copy >= 100);
      assert.equal(getInheritable(copy), false);
      close(copy);
      // F_GETLK with a lock type that does not exist: the kernel's EINVAL.
      assert.throws(
        () => fcntl.fcntl(r, fcntl.F_GETLK, new Uint8Array(32).fill(0x7f)),
        (e) => e instanceof OSError && e.code === "EINVAL",
      );
      assert.throws(() => fcntl.fcntl(r, fcntl.F_GETFL, new Uint8Array(1025)), {
        name: "ValueError",
        message: "fcntl string arg too long",
      });
      assert.throws(() => fcntl.fcntl(-1, fcntl.F_GETFL), {
        name: "ValueError",
        message: "file descriptor cannot be a negative integer (-1)",
      });
      assert.throws(
        () => fcntl.fcntl(1 << 29, fcntl.F_GETFL),
        (e) => e instanceof OSError && e.code === "EBADF",
      );
    } finally {
      close(r);
      close(w);
    }
  });
});
