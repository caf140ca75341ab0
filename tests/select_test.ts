/**
 * `select()`: CPython's Lib/test/test_select.py ported to pipes, plus the behaviour
 * of reference §1 (argument order, result identity, fd and count limits).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe, read, write } from "../os/mod.ts";
import { type FileLike, OSError, select, ValueError } from "../select/mod.ts";
import {
  assertErrno,
  assertRaises,
  closeQuietly,
  leakFree,
  spawnShell,
  withPipe,
} from "./_select_helpers.ts";

const FD_SETSIZE = 1024;
const ONE = new Uint8Array([1]);
// deno-lint-ignore no-explicit-any
const untyped = select as any;

describe("select: CPython test_select.py", () => {
  it(
    "test_error_conditions",
    leakFree(() => {
      class Nope {}
      class Almost {
        fileno(): unknown {
          return "fileno";
        }
      }
      assertRaises(() => untyped(1, 2, 3), TypeError, "arguments 1-3 must be sequences");
      assertRaises(
        () => untyped([new Nope()], [], []),
        TypeError,
        "argument must be an int, or have a fileno() method.",
      );
      assertRaises(
        () => untyped([new Almost()], [], []),
        TypeError,
        "fileno() returned a non-integer",
      );
      assertRaises(
        () => untyped([], [], [], "not a number"),
        TypeError,
        "timeout must be a float or None",
      );
      assertRaises(() => select([], [], [], -1), ValueError, "timeout must be non-negative");
    }),
  );

  it(
    "test_errno: a closed fd is EBADF",
    leakFree(() => {
      const [r, w] = pipe();
      close(r);
      close(w);
      assertErrno(() => select([r], [], [], 0), OSError, "EBADF");
      assert.throws(() => select([r], [], [], 0), (e: unknown) => {
        assert.equal((e as OSError).errno, 9);
        assert.equal((e as OSError).message, "[Errno 9] Bad file descriptor");
        return true;
      });
    }),
  );

  it(
    "test_returned_list_identity",
    leakFree(() => {
      for (const timeout of [0, 0.01]) {
        const [r, w, x] = select([], [], [], timeout);
        assert.notEqual(r, w);
        assert.notEqual(r, x);
        assert.notEqual(w, x);
      }
    }),
  );

  it(
    "test_select: a child writes lines; select reports only the pipe object",
    leakFree(async () => {
      const [r, w] = pipe();
      const reader = { fileno: () => r };
      const child = spawnShell(
        "for i in 1 2 3 4 5 6 7 8 9 10; do echo testing...; sleep 0.05; done",
        w,
      );
      close(w);
      try {
        let text = "";
        const timeouts = [0, 1, 2, 4, 8, 16, ...new Array<null>(10).fill(null)];
        let eof = false;
        for (const timeout of timeouts) {
          const [rl, wl, xl] = select([reader], [], [], timeout);
          assert.deepEqual(wl, []);
          assert.deepEqual(xl, []);
          if (rl.length === 0) continue;
          assert.equal(rl.length, 1);
          assert.equal(rl[0], reader);
          const chunk = read(r, 4096);
          if (chunk.length === 0) {
            eof = true;
            break;
          }
          text += new TextDecoder().decode(chunk);
        }
        // A slow machine may hand over the lines in fewer, larger chunks; drain the rest.
        while (!eof) {
          const [rl] = select([reader], [], [], 16);
          assert.equal(rl[0], reader);
          const chunk = read(r, 4096);
          if (chunk.length === 0) eof = true;
          else text += new TextDecoder().decode(chunk);
        }
        assert.equal(text, "testing...\n".repeat(10));
        assert.equal(await child.exited, 0);
      } finally {
        close(r);
      }
    }),
  );

  it(
    "test_select_mutated: fileno() shrinks the list, only 5 of 10 items are seen",
    leakFree(() =>
      withPipe((_r, w) => {
        const a: { fileno(): number }[] = [];
        const item = {
          fileno(): number {
            a.pop();
            return w;
          },
        };
        for (let i = 0; i < 10; i++) a.push(item);
        const [r, wl, x] = select([], a, []);
        assert.deepEqual(r, []);
        assert.deepEqual(x, []);
        assert.equal(wl.length, 5);
        assert.deepEqual(wl, a.slice(0, 5));
      })
    ),
  );
});

describe("select: results", () => {
  it(
    "returns the caller's objects, in input order, duplicates kept, new arrays",
    leakFree(() =>
      withPipe((r, w) => {
        const wObj = { fileno: () => w };
        const rlist = [r];
        const wlist = [w, wObj, w];
        const [rl, wl, xl] = select(rlist, wlist, [], 0);
        assert.deepEqual(rl, []);
        assert.notEqual(wl, wlist);
        assert.equal(wl.length, 3);
        assert.equal(wl[0], w);
        assert.equal(wl[1], wObj);
        assert.equal(wl[2], w);
        assert.deepEqual(xl, []);
        write(w, ONE);
        const both = select<FileLike>([r, r], [wObj], [r], 0);
        assert.deepEqual(both, [[r, r], [wObj], []]);
        assert.notEqual(both[0], rlist);
      })
    ),
  );

  it(
    "accepts any iterable: Set, generator, Map keys; a string's items are rejected",
    leakFree(() =>
      withPipe((r, w) => {
        function* writers(): Generator<number> {
          yield w;
          yield w;
        }
        write(w, ONE);
        assert.deepEqual(select(new Set([r]), writers(), new Map().keys(), 0), [[r], [w, w], []]);
        assertRaises(
          () => untyped("ab", [], [], 0),
          TypeError,
          "argument must be an int, or have a fileno() method.",
        );
        for (const bad of [1, null, undefined, {}, true]) {
          assertRaises(() => untyped([], bad, [], 0), TypeError, "arguments 1-3 must be sequences");
        }
      })
    ),
  );

  it(
    "with three empty lists it sleeps for the timeout",
    leakFree(() => {
      const start = performance.now();
      assert.deepEqual(select([], [], [], 0.05), [[], [], []]);
      assert.ok(performance.now() - start >= 49, "returned before the timeout");
    }),
  );

  it(
    "waits for the timeout on an empty pipe, then returns nothing",
    leakFree(() =>
      withPipe((r) => {
        const start = performance.now();
        assert.deepEqual(select([r], [], [r], 0.1), [[], [], []]);
        const elapsed = performance.now() - start;
        assert.ok(elapsed >= 99, `returned after ${elapsed} ms`);
        assert.ok(elapsed < 5000);
      })
    ),
  );

  it(
    "reports the read end at EOF as readable",
    leakFree(() => {
      const [r, w] = pipe();
      close(w);
      try {
        assert.deepEqual(select([r], [], [], 1), [[r], [], []]);
      } finally {
        close(r);
      }
    }),
  );
});

describe("select: argument checks (reference §1, §7.2)", () => {
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

  it("processes rlist, wlist, xlist in order, items left to right", () => {
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

  it("rejects fds of FD_SETSIZE and above before touching any fd_set", () => {
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

  it("rejects bad items as fildes does (reference §0.1.1, §7.1)", () => {
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

  it("converts timeouts as CPython (reference §1, §0.1.2)", () => {
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
