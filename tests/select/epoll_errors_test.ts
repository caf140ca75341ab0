/**
 * `epoll` objects: every error of Modules/selectmodule.c `select_epoll_*_impl` and
 * `PyObject_AsFileDescriptor` (class and exact message), in CPython's order of checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { close, O_RDONLY, open, pipe } from "../../os/mod.ts";
import {
  Epoll,
  epoll,
  EPOLLOUT,
  FileExistsError,
  FileNotFoundError,
  OSError,
  PermissionError,
  ValueError,
} from "../../select/mod.ts";
import { assertErrno, assertRaises } from "../_kit/errors.ts";
import { closeQuietly, leakFree } from "../_kit/fds.ts";

// deno-lint-ignore no-explicit-any
type Untyped = any;
const CLOSED = "I/O operation on closed epoll object";
const linux = process.platform === "linux";

describe("epoll: every error of Modules/selectmodule.c pyepoll_*", { skip: !linux }, () => {
  it(
    "register twice, unknown fds, closed fds, regular files",
    leakFree(() => {
      const [r, w] = pipe();
      const file = open(fileURLToPath(import.meta.url), O_RDONLY);
      try {
        using ep = epoll();
        ep.register(r);
        assertErrno(() => ep.register(r), FileExistsError, "EEXIST");
        for (const call of [() => ep.modify(w, EPOLLOUT), () => ep.unregister(w)]) {
          assert.throws(call, (e: unknown) => {
            assert.ok(e instanceof FileNotFoundError);
            assert.equal(e.message, "[Errno 2] No such file or directory");
            return true;
          });
        }
        assert.throws(() => ep.register(file), (e: unknown) => {
          assert.ok(e instanceof PermissionError);
          assert.equal(e.message, "[Errno 1] Operation not permitted");
          assert.equal(e.code, "EPERM");
          return true;
        });
        close(w);
        assert.throws(() => ep.register(w), (e: unknown) => {
          assert.ok(e instanceof OSError);
          assert.equal(e.constructor, OSError);
          assert.equal(e.message, "[Errno 9] Bad file descriptor");
          return true;
        });
      } finally {
        close(r);
        close(file);
        closeQuietly(w);
      }
    }),
  );

  it("arity of the methods", () => {
    using ep = epoll() as Untyped;
    assertRaises(
      () => ep.register(),
      TypeError,
      "register() missing required argument 'fd' (pos 1)",
    );
    assertRaises(
      () => ep.register(0, 1, 2),
      TypeError,
      "register() takes at most 2 arguments (3 given)",
    );
    assertRaises(() => ep.modify(), TypeError, "modify() missing required argument 'fd' (pos 1)");
    assertRaises(
      () => ep.modify(0),
      TypeError,
      "modify() missing required argument 'eventmask' (pos 2)",
    );
    assertRaises(
      () => ep.modify(0, 1, 2),
      TypeError,
      "modify() takes at most 2 arguments (3 given)",
    );
    assertRaises(
      () => ep.unregister(),
      TypeError,
      "unregister() missing required argument 'fd' (pos 1)",
    );
    assertRaises(
      () => ep.unregister(0, 1),
      TypeError,
      "unregister() takes at most 1 argument (2 given)",
    );
    assertRaises(() => ep.poll(1, 2, 3), TypeError, "poll() takes at most 2 arguments (3 given)");
    assertRaises(
      () => (Epoll as Untyped).fromFd(),
      TypeError,
      "epoll.fromfd() takes exactly one argument (0 given)",
    );
  });

  it(
    "poll: closed check, then timeout, then maxevents; maxevents' type first of all",
    leakFree(() => {
      const ep = epoll();
      for (const bad of ["x", true, {}, [], Symbol("t")]) {
        assertRaises(
          () => ep.poll(bad as Untyped),
          TypeError,
          "timeout must be an integer or None",
        );
      }
      assertRaises(() => ep.poll(NaN), ValueError, "Invalid value NaN (not a number)");
      assertRaises(
        () => ep.poll(Infinity),
        RangeError,
        "timestamp out of range for platform time_t",
      );
      assertRaises(
        () => ep.poll(9223372037),
        RangeError,
        "timestamp too large to convert to C PyTime_t",
      );
      for (const big of [2 ** 31, 2147484, -2147484, -2147483.649]) {
        assertRaises(() => ep.poll(big), RangeError, "timeout is too large");
      }
      for (const max of [0, -2, -(2 ** 31)]) {
        assertRaises(
          () => ep.poll(0, max),
          ValueError,
          `maxevents must be greater than 0, got ${max}`,
        );
      }
      assertRaises(
        () => ep.poll(0, 1.5),
        TypeError,
        "'float' object cannot be interpreted as an integer",
      );
      assertRaises(
        () => ep.poll(0, null as Untyped),
        TypeError,
        "'NoneType' object cannot be interpreted as an integer",
      );
      assertRaises(
        () => ep.poll(0, 2 ** 31),
        RangeError,
        "Python int too large to convert to C int",
      );
      // A bad timeout beats a bad maxevents.
      assertRaises(
        () => ep.poll("x" as Untyped, 0),
        TypeError,
        "timeout must be an integer or None",
      );
      assertRaises(() => ep.poll(2 ** 31, 0), RangeError, "timeout is too large");
      ep.close();
      // Closed beats the timeout; maxevents' conversion beats closed.
      assertRaises(() => ep.poll("x" as Untyped), ValueError, CLOSED);
      assertRaises(() => ep.poll(0, 0), ValueError, CLOSED);
      assertRaises(
        () => ep.poll(0, 1.5),
        TypeError,
        "'float' object cannot be interpreted as an integer",
      );
    }),
  );

  it(
    "register/modify/unregister convert their arguments before the closed check",
    leakFree(() => {
      const ep = epoll();
      ep.close();
      assertRaises(
        () => ep.register(-1),
        ValueError,
        "file descriptor cannot be a negative integer (-1)",
      );
      assertRaises(
        () => ep.register({} as Untyped),
        TypeError,
        "argument must be an int, or have a fileno() method.",
      );
      assertRaises(
        () => ep.register(0, 1.5),
        TypeError,
        "'float' object cannot be interpreted as an integer",
      );
      assertRaises(
        () => ep.modify(0, "x" as Untyped),
        TypeError,
        "'str' object cannot be interpreted as an integer",
      );
      assertRaises(
        () => ep.unregister(-1),
        ValueError,
        "file descriptor cannot be a negative integer (-1)",
      );
      assertRaises(
        () => ep.unregister({ fileno: () => 2 ** 31 }),
        RangeError,
        "Python int too large to convert to C int",
      );
      assertRaises(() => ep.register(0), ValueError, CLOSED);
      assertRaises(() => ep.modify(0, 0), ValueError, CLOSED);
      assertRaises(() => ep.unregister(0), ValueError, CLOSED);
    }),
  );

  it(
    "fromFd: -1 makes a new instance, other negatives are EBADF",
    leakFree(() => {
      using made = Epoll.fromFd(-1);
      assert.ok(made.fileno() >= 0);
      assertErrno(() => Epoll.fromFd(-2), OSError, "EBADF");
      assertRaises(
        () => Epoll.fromFd(1.5),
        TypeError,
        "'float' object cannot be interpreted as an integer",
      );
    }),
  );
});
