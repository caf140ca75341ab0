/**
 * `select()`: CPython's Lib/test/test_select.py ported to pipes, plus the behaviour
 * of Modules/selectmodule.c `select_select_impl`, `seq2set` and `set2list` (argument
 * order, result identity, fd and count limits).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe, read, write } from "../../os/mod.ts";
import { type FileLike, OSError, select, ValueError } from "../../select/mod.ts";
import { assertErrno, assertRaises } from "../_kit/errors.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { spawnShell } from "../_kit/child.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

const ONE = new Uint8Array([1]);
// deno-lint-ignore no-explicit-any
const untyped = select as any;

describe("select: CPython test_select.py", { skip: POSIX_FDS }, () => {
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

describe("select: results", { skip: POSIX_FDS }, () => {
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
