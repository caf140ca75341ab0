/**
 * `poll()` objects: every error of Modules/selectmodule.c `select_poll_*_impl` and
 * `PyObject_AsFileDescriptor` (class and exact message), in CPython's order of checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  FileNotFoundError,
  KeyError,
  Poll,
  poll,
  POLLIN,
  POLLOUT,
  ValueError,
} from "../../select/mod.ts";
import { assertRaises } from "../_kit/errors.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

// deno-lint-ignore no-explicit-any
type Untyped = any;

describe("poll: every error of Modules/selectmodule.c select_poll_*", () => {
  it("cannot be instantiated; poll() takes no arguments", () => {
    assertRaises(() => new Poll(), TypeError, "cannot create 'select.poll' instances");
    assertRaises(
      () => (poll as Untyped)(1),
      TypeError,
      "select.poll() takes no arguments (1 given)",
    );
  });

  it("checks the arity of each method", () => {
    const p = poll() as Untyped;
    assertRaises(() => p.register(), TypeError, "register expected at least 1 argument, got 0");
    assertRaises(
      () => p.register(0, 1, 2),
      TypeError,
      "register expected at most 2 arguments, got 3",
    );
    assertRaises(() => p.modify(0), TypeError, "modify expected 2 arguments, got 1");
    assertRaises(() => p.modify(0, 1, 2), TypeError, "modify expected 2 arguments, got 3");
    assertRaises(
      () => p.unregister(),
      TypeError,
      "poll.unregister() takes exactly one argument (0 given)",
    );
    assertRaises(
      () => p.unregister(0, 1),
      TypeError,
      "poll.unregister() takes exactly one argument (2 given)",
    );
    assertRaises(() => p.poll(0, 1), TypeError, "poll expected at most 1 argument, got 2");
  });

  it("converts masks as unsigned short (3.13 messages)", () => {
    const p = poll();
    for (const bad of [1.5, "1", null, true, {}, NaN, Infinity]) {
      assertRaises(() => p.register(0, bad as Untyped), TypeError, "an integer is required");
    }
    assertRaises(() => p.register(0, -1), ValueError, "value must be positive");
    assertRaises(() => p.register(0, -(2 ** 70)), ValueError, "value must be positive");
    for (const big of [0x10000, 2 ** 32, 2 ** 64 - 2 ** 11]) {
      assertRaises(
        () => p.register(0, big),
        RangeError,
        "Python int too large for C unsigned short",
      );
    }
    for (const huge of [2 ** 64, 1n << 64n, 2 ** 80]) {
      assertRaises(
        () => p.register(0, huge as Untyped),
        RangeError,
        "Python int too large to convert to C unsigned long",
      );
    }
    p.register(0, 0xffff);
    p.register(0, 0);
  });

  it("modify: fd and mask are converted before the registration check", () => {
    const p = poll();
    assertRaises(() => p.modify(12345, -1), ValueError, "value must be positive");
    assertRaises(
      () => p.modify(-1, POLLIN),
      ValueError,
      "file descriptor cannot be a negative integer (-1)",
    );
    assert.throws(() => p.modify(12345, POLLIN), (e: unknown) => {
      assert.ok(e instanceof FileNotFoundError);
      assert.equal(e.message, "[Errno 2] No such file or directory");
      assert.equal(e.errno, 2);
      assert.equal(e.code, "ENOENT");
      return true;
    });
  });

  it("unregister of an unknown fd is KeyError(fd)", () => {
    assert.throws(() => poll().unregister(12345), (e: unknown) => {
      assert.ok(e instanceof KeyError);
      assert.equal(e.key, 12345);
      assert.equal(e.message, "12345");
      return true;
    });
  });

  it("rejects timeouts of the wrong type or out of the C int range", () => {
    const p = poll();
    for (const bad of ["x", "10", true, {}, [], Symbol("t")]) {
      assertRaises(
        () => p.poll(bad as Untyped),
        TypeError,
        "timeout must be an integer or None",
      );
    }
    assertRaises(() => p.poll(NaN), ValueError, "Invalid value NaN (not a number)");
    assertRaises(
      () => p.poll(Infinity),
      RangeError,
      "timestamp out of range for platform time_t",
    );
    assertRaises(
      () => p.poll(-Infinity),
      RangeError,
      "timestamp out of range for platform time_t",
    );
    assertRaises(
      () => p.poll(9223372036855),
      RangeError,
      "timestamp too large to convert to C PyTime_t",
    );
    for (const big of [2 ** 31, 2147483647.5, -(2 ** 31) - 1, 1e12]) {
      assertRaises(() => p.poll(big), RangeError, "timeout is too large");
    }
  });

  it(
    "accepts the ends of the C int range (a ready fd makes them return at once)",
    { skip: POSIX_FDS },
    leakFree(() =>
      withPipe((_r, w) => {
        const p = poll();
        p.register(w, POLLOUT);
        for (const edge of [2 ** 31 - 1, -(2 ** 31), 2147483646.5]) {
          assert.deepEqual(p.poll(edge), [[w, POLLOUT]]);
        }
      })
    ),
  );

  it("rejects bad fds as PyObject_AsFileDescriptor does", () => {
    const p = poll();
    assertRaises(
      () => p.register(-1),
      ValueError,
      "file descriptor cannot be a negative integer (-1)",
    );
    assertRaises(
      () => p.register(2 ** 31),
      RangeError,
      "Python int too large to convert to C int",
    );
    assertRaises(
      () => p.unregister({ fileno: () => 1.5 } as Untyped),
      TypeError,
      "fileno() returned a non-integer",
    );
  });
});
