/**
 * `select()`: argument checks in CPython's order and every error of Modules/selectmodule.c
 * `select_select_impl` and `seq2set` (class and exact message).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe } from "../../os/mod.ts";
import { type FileLike, OSError, select, ValueError } from "../../select/mod.ts";
import { assertErrno, assertRaises } from "../_kit/errors.ts";
import { closeQuietly, leakFree, withPipe } from "../_kit/fds.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

const FD_SETSIZE = 1024;
// deno-lint-ignore no-explicit-any
const untyped = select as any;

describe("select: argument checks (Modules/selectmodule.c select_select_impl)", () => {
  it("checks the arity", () => {
    assertRaises(() => untyped(), TypeError, "select expected at least 3 arguments, got 0");
    assertRaises(() => untyped([], []), TypeError, "select expected at least 3 arguments, got 2");
    assertRaises(
      () => untyped([], [], [], 0, 0),
      TypeError,
      "select expected at most 4 arguments, got 5",
    );
  });

  it("checks the timeout before the lists", () => {
    assertRaises(() => untyped(1, [-1], [], "x"), TypeError, "timeout must be a float or None");
    assertRaises(() => untyped(1, [-1], [], -1), ValueError, "timeout must be non-negative");
    assertRaises(
      () => untyped([-1], 1, [], NaN),
      ValueError,
      "Invalid value NaN (not a number)",
    );
  });

  it("processes rlist, wlist, xlist in order, items left to right", { skip: POSIX_FDS }, () => {
    const calls: string[] = [];
    const tracer = (name: string, fd: number) => ({
      fileno: () => {
        calls.push(name);
        return fd;
      },
    });
    assertRaises(
      () => select([tracer("r0", 0), tracer("r1", -3)], [tracer("w0", -4)], [], 0),
      ValueError,
      "file descriptor cannot be a negative integer (-3)",
    );
    assert.deepEqual(calls, ["r0", "r1"]);
    calls.length = 0;
    assertRaises(
      () => select([tracer("r0", 0)], [tracer("w0", 5000)], [tracer("x0", -1)], 0),
      ValueError,
      "filedescriptor out of range in select()",
    );
    assert.deepEqual(calls, ["r0", "w0"]);
  });

  it("rejects fds of FD_SETSIZE and above before touching any fd_set", { skip: POSIX_FDS }, () => {
    for (const fd of [FD_SETSIZE, FD_SETSIZE + 7, 2 ** 31 - 1]) {
      assertRaises(
        () => select([], [], [fd], 0),
        ValueError,
        "filedescriptor out of range in select()",
      );
    }
  });

  it(
    "accepts 1024 entries in one list and rejects 1025",
    { skip: POSIX_FDS },
    leakFree(() =>
      withPipe((_r, w) => {
        const many = new Array<number>(FD_SETSIZE).fill(w);
        const [, wl] = select([], many, [], 0);
        assert.equal(wl.length, FD_SETSIZE);
        many.push(w);
        assertRaises(
          () => select([], many, [], 0),
          ValueError,
          "too many file descriptors in select()",
        );
        // The limit is per list: 1024 in each of the three lists is fine.
        const full = many.slice(1);
        assert.equal(select(full, full, full, 0)[1].length, FD_SETSIZE);
      })
    ),
  );

  it("rejects bad items as PyObject_AsFileDescriptor does", () => {
    assertRaises(
      () => select([-1], [], [], 0),
      ValueError,
      "file descriptor cannot be a negative integer (-1)",
    );
    assertRaises(
      () => select([2 ** 31], [], [], 0),
      RangeError,
      "Python int too large to convert to C int",
    );
    assertRaises(
      () => select([{ fileno: () => -(2 ** 31) - 1 }], [], [], 0),
      RangeError,
      "Python int too large to convert to C int",
    );
    for (const bad of [1.5, "3", null, undefined, true, {}, [3]]) {
      assertRaises(
        () => untyped([bad], [], [], 0),
        TypeError,
        "argument must be an int, or have a fileno() method.",
      );
    }
    for (const result of [3.5, "3", null, true, NaN]) {
      assertRaises(
        () => untyped([{ fileno: () => result }], [], [], 0),
        TypeError,
        "fileno() returned a non-integer",
      );
    }
    assertRaises(
      () => untyped([{ fileno: 3 }], [], [], 0),
      TypeError,
      "'int' object is not callable",
    );
    const boom = new Error("boom");
    assert.throws(() =>
      select(
        [{
          fileno: () => {
            throw boom;
          },
        }],
        [],
        [],
        0,
      ), (e) => e === boom);
  });

  it("converts timeouts as CPython (Python/pytime.c _PyTime_FromSecondsObject)", () => {
    for (const bad of ["1", true, {}, [], Symbol("t")]) {
      assertRaises(() => untyped([], [], [], bad), TypeError, "timeout must be a float or None");
    }
    for (const negative of [-1, -0.5, -1e-10, -1e-300, -1n]) {
      assertRaises(
        () => untyped([], [], [], negative),
        ValueError,
        "timeout must be non-negative",
      );
    }
    for (const huge of [Infinity, -Infinity, 1e300, 2 ** 63]) {
      assertRaises(
        () => select([], [], [], huge),
        RangeError,
        "timestamp out of range for platform time_t",
      );
    }
    for (const huge of [1e10, 9223372037, 2n ** 63n, -(10n ** 12n)]) {
      assertRaises(
        () => untyped([], [], [], huge),
        RangeError,
        "timestamp too large to convert to C PyTime_t",
      );
    }
    assert.deepEqual(select([], [], [], -0), [[], [], []]);
    assert.deepEqual(untyped([], [], [], 0n), [[], [], []]);
    assert.deepEqual(select([], [], [], 1e-10), [[], [], []]);
  });

  it(
    "is re-entrant: a fileno() may itself call select()",
    { skip: POSIX_FDS },
    leakFree(() =>
      withPipe((r, w) => {
        const nested = {
          fileno(): number {
            assert.deepEqual(select([r], [w], [], 0), [[], [w], []]);
            return w;
          },
        };
        assert.deepEqual(select<FileLike>([r], [nested], [], 0), [[], [nested], []]);
      })
    ),
  );

  it(
    "a closed fd anywhere in the lists is EBADF, after the argument checks",
    { skip: POSIX_FDS },
    leakFree(() => {
      const [r, w] = pipe();
      close(r);
      try {
        assertErrno(() => select([], [w], [r], 0), OSError, "EBADF");
        assertRaises(
          () => select([r], [w], [FD_SETSIZE], 0),
          ValueError,
          "filedescriptor out of range in select()",
        );
      } finally {
        closeQuietly(w);
      }
    }),
  );
});
