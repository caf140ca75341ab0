/**
 * The `os` helpers on real fds: pipes, reads, writes, blocking mode, open, close.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BlockingIOError,
  BrokenPipeError,
  close,
  FileExistsError,
  FileNotFoundError,
  getBlocking,
  IsADirectoryError,
  O_CREAT,
  O_EXCL,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  open,
  OSError,
  pipe,
  read,
  setBlocking,
  ValueError,
  write,
} from "../../os/mod.ts";
import { PIPE_BUF } from "../../select/mod.ts";
import { assertErrno, assertRaises } from "../_kit/errors.ts";
import { closeQuietly, leakFree, withPipe } from "../_kit/fds.ts";
import { isCloseOnExec } from "../_kit/child.ts";

// deno-lint-ignore no-explicit-any
type Untyped = any;
const bytes = (text: string) => new TextEncoder().encode(text);

function assertBadFd(call: () => unknown): void {
  assert.throws(call, (e: unknown) => {
    assert.ok(e instanceof OSError);
    assert.equal(e.constructor, OSError);
    assert.equal(e.errno, 9);
    assert.equal(e.code, "EBADF");
    assert.equal(e.message, "[Errno 9] Bad file descriptor");
    return true;
  });
}

describe("os: pipe, read, write, close", () => {
  it(
    "pipe() gives two close-on-exec, blocking ends that carry bytes in order",
    leakFree(() =>
      withPipe((r, w) => {
        assert.notEqual(r, w);
        assert.equal(isCloseOnExec(r), true);
        assert.equal(isCloseOnExec(w), true);
        assert.equal(getBlocking(r), true);
        assert.equal(getBlocking(w), true);
        assert.equal(write(w, bytes("hello ")), 6);
        assert.equal(write(w, new Uint16Array([0x6877, 0x6f79])), 4);
        assert.equal(write(w, bytes("!").buffer), 1);
        assert.equal(write(w, new DataView(bytes("xyz!").buffer, 3)), 1);
        assert.equal(new TextDecoder().decode(read(r, 100)), "hello whyo!!");
      })
    ),
  );

  it(
    "read() returns at most n bytes, an exact-length array, and empty at EOF",
    leakFree(() => {
      const [r, w] = pipe();
      try {
        write(w, bytes("abcdef"));
        assert.deepEqual(read(r, 0), new Uint8Array(0));
        const first = read(r, 4);
        assert.equal(first.length, 4);
        assert.equal(first.buffer.byteLength, 4);
        assert.equal(new TextDecoder().decode(read(r, 100)), "ef");
        close(w);
        assert.deepEqual(read(r, 100), new Uint8Array(0));
        assert.deepEqual(read(r, 100), new Uint8Array(0));
      } finally {
        close(r);
        closeQuietly(w);
      }
    }),
  );

  it(
    "read() of a negative count is OSError EINVAL",
    leakFree(() =>
      withPipe((r) => {
        assert.throws(() => read(r, -1), (e: unknown) => {
          assert.ok(e instanceof OSError);
          assert.equal(e.constructor, OSError);
          assert.equal(e.code, "EINVAL");
          assert.equal(e.message, "[Errno 22] Invalid argument");
          return true;
        });
      })
    ),
  );

  it(
    "write() of something that is not bytes is a TypeError",
    leakFree(() =>
      withPipe((_r, w) => {
        assertRaises(
          () => write(w, "text" as Untyped),
          TypeError,
          "a bytes-like object is required, not 'str'",
        );
        assert.throws(() => write(w, 5 as Untyped), TypeError);
        assert.throws(() => write(w, null as Untyped), TypeError);
        assert.throws(() => write(w, [1, 2] as Untyped), TypeError);
      })
    ),
  );

  it(
    "non-blocking ends raise BlockingIOError instead of waiting",
    leakFree(() =>
      withPipe((r, w) => {
        setBlocking(r, false);
        assert.equal(getBlocking(r), false);
        assert.equal(getBlocking(w), true);
        assertErrno(() => read(r, 10), BlockingIOError, "EAGAIN");
        setBlocking(w, false);
        const chunk = new Uint8Array(65536);
        let total = 0;
        for (;;) {
          try {
            total += write(w, chunk);
          } catch (e) {
            assert.ok(e instanceof BlockingIOError, String(e));
            assert.equal(e.errno, 11);
            break;
          }
        }
        assert.ok(total >= PIPE_BUF, `only ${total} bytes fit`);
        let drained = 0;
        while (drained < total) drained += read(r, 65536).length;
        assert.equal(drained, total);
        assertErrno(() => read(r, 1), BlockingIOError, "EAGAIN");
        setBlocking(r, true);
        setBlocking(r, true);
        assert.equal(getBlocking(r), true);
      })
    ),
  );

  it(
    "write() to a pipe whose reader is gone is BrokenPipeError (EPIPE), not a signal",
    leakFree(() => {
      const [r, w] = pipe();
      close(r);
      try {
        assertErrno(() => write(w, bytes("x")), BrokenPipeError, "EPIPE");
      } finally {
        close(w);
      }
    }),
  );

  it(
    "close() twice, and every call on a closed fd, is OSError EBADF",
    leakFree(() => {
      const [r, w] = pipe();
      close(r);
      close(w);
      assertBadFd(() => close(r));
      assertBadFd(() => read(r, 1));
      assertBadFd(() => write(w, bytes("x")));
      assertBadFd(() => getBlocking(r));
      assertBadFd(() => setBlocking(w, false));
      assertBadFd(() => close(-1));
    }),
  );

  it("fds are C ints", () => {
    assertRaises(
      () => read("0" as Untyped, 1),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
    assertRaises(() => close(2 ** 31), RangeError, "Python int too large to convert to C int");
  });
});

describe("os: open", () => {
  it(
    "opens /dev/null close-on-exec; reads give EOF, writes are swallowed",
    leakFree(() => {
      const fd = open("/dev/null", O_RDWR);
      try {
        assert.ok(fd >= 0);
        assert.equal(isCloseOnExec(fd), true);
        assert.deepEqual(read(fd, 10), new Uint8Array(0));
        assert.equal(write(fd, bytes("gone")), 4);
        assert.equal(getBlocking(fd), true);
      } finally {
        close(fd);
      }
      const nb = open("/dev/null", O_RDONLY | O_NONBLOCK);
      try {
        assert.equal(getBlocking(nb), false);
      } finally {
        close(nb);
      }
    }),
  );

  it(
    "maps errno to Python's classes: ENOENT, EEXIST, EISDIR",
    leakFree(() => {
      assertErrno(() => open("/nonexistent/iomux/x", O_RDONLY), FileNotFoundError, "ENOENT");
      assertErrno(() => open("/dev/null", O_CREAT | O_EXCL | O_WRONLY), FileExistsError, "EEXIST");
      assertErrno(() => open("/", O_WRONLY), IsADirectoryError, "EISDIR");
    }),
  );

  it(
    "creates files with the given mode (less umask)",
    leakFree(() => {
      const dir = mkdtempSync(join(tmpdir(), "iomux-os-"));
      try {
        const path = join(dir, "créé.txt");
        const fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600);
        try {
          assert.equal(write(fd, bytes("data")), 4);
        } finally {
          close(fd);
        }
        const info = statSync(path);
        assert.equal(info.size, 4);
        assert.equal(info.mode & 0o777, 0o600);
      } finally {
        rmSync(dir, { recursive: true });
      }
    }),
  );

  it("rejects a path with a NUL byte", () => {
    assertRaises(() => open("/dev/null\0x", O_RDONLY), ValueError, "embedded null byte");
  });
});
