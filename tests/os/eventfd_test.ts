// os.eventfd, eventfd_read and eventfd_write, case by case as python3 answers them
// (Python 3.10+, Linux). Each expected value below was printed by python3 on Linux.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BlockingIOError,
  close,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EFD_SEMAPHORE,
  eventfd,
  eventfdRead,
  eventfdWrite,
  getBlocking,
  OSError,
} from "../../os/mod.ts";
import { select } from "../../select/mod.ts";
import { isCloseOnExec } from "../_kit/child.ts";
import { leakFree } from "../_kit/fds.ts";

const linux = (globalThis.Deno?.build.os ?? (await import("node:process")).platform) === "linux";

describe("eventfd", { skip: !linux && "eventfd is Linux's" }, () => {
  it("has Linux's constants", () => {
    // python3 -c "import os; print(os.EFD_CLOEXEC, os.EFD_NONBLOCK, os.EFD_SEMAPHORE)"
    assert.deepEqual([EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE], [524288, 2048, 1]);
  });

  it(
    "is close-on-exec and blocking by default",
    leakFree(() => {
      const fd = eventfd(0);
      try {
        assert.equal(isCloseOnExec(fd), true);
        assert.equal(getBlocking(fd), true);
      } finally {
        close(fd);
      }
      const open = eventfd(0, 0);
      try {
        assert.equal(isCloseOnExec(open), false);
      } finally {
        close(open);
      }
    }),
  );

  it(
    "reads the whole counter, or 1 with EFD_SEMAPHORE",
    leakFree(() => {
      const fd = eventfd(5, EFD_NONBLOCK);
      eventfdWrite(fd, 2n);
      assert.equal(eventfdRead(fd), 7n);
      assert.throws(() => eventfdRead(fd), BlockingIOError);
      close(fd);
      const sem = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
      assert.deepEqual([eventfdRead(sem), eventfdRead(sem), eventfdRead(sem)], [1n, 1n, 1n]);
      assert.throws(() => eventfdRead(sem), (e) => e instanceof BlockingIOError && e.errno === 11);
      close(sem);
    }),
  );

  it(
    "is readable while the counter is non-zero",
    leakFree(() => {
      const fd = eventfd(0, EFD_NONBLOCK);
      assert.deepEqual(select([fd], [], [], 0)[0], []);
      eventfdWrite(fd, 1);
      assert.deepEqual(select([fd], [], [], 0)[0], [fd]);
      eventfdRead(fd);
      assert.deepEqual(select([fd], [], [], 0)[0], []);
      close(fd);
    }),
  );

  it(
    "holds up to 2**64 - 2, as the kernel does",
    leakFree(() => {
      const fd = eventfd(0, EFD_NONBLOCK);
      // os.eventfd_write(fd, 2**64-1) -> OSError [Errno 22]
      assert.throws(
        () => eventfdWrite(fd, 2n ** 64n - 1n),
        (e) => e instanceof OSError && e.errno === 22,
      );
      eventfdWrite(fd, 2n ** 64n - 2n);
      assert.throws(() => eventfdWrite(fd, 1), BlockingIOError);
      assert.equal(eventfdRead(fd), 2n ** 64n - 2n);
      close(fd);
    }),
  );

  it("checks its arguments as Python does", () => {
    // python3: os.eventfd(-1) ValueError; os.eventfd(2**32) OverflowError; os.eventfd(1.5) TypeError
    assert.throws(() => eventfd(-1), { name: "ValueError", message: "value must be positive" });
    assert.throws(() => eventfd(2 ** 32), {
      name: "RangeError",
      message: "Python int too large for C unsigned int",
    });
    assert.throws(() => eventfd(1.5), { name: "TypeError", message: "an integer is required" });
    // os.eventfd(0, 12345678) -> OSError [Errno 22]
    assert.throws(() => eventfd(0, 12345678), (e) => e instanceof OSError && e.errno === 22);
    const fd = eventfd(0, EFD_NONBLOCK);
    try {
      assert.throws(() => eventfdWrite(fd, -5), {
        name: "ValueError",
        message: "value must be positive",
      });
      assert.throws(() => eventfdWrite(fd, 2n ** 64n), {
        name: "RangeError",
        message: "int too big to convert",
      });
      assert.throws(() => eventfdWrite(fd, "x" as unknown as number), {
        name: "TypeError",
        message: "an integer is required",
      });
    } finally {
      close(fd);
    }
    assert.throws(() => eventfdRead(-1), {
      name: "ValueError",
      message: "file descriptor cannot be a negative integer (-1)",
    });
  });

  it(
    "takes an object with fileno()",
    leakFree(() => {
      const fd = eventfd(0, EFD_NONBLOCK);
      const file = { fileno: () => fd };
      eventfdWrite(file, 9);
      assert.equal(eventfdRead(file), 9n);
      close(fd);
    }),
  );
});
