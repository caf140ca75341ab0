/**
 * `select()` on Windows, as CPython runs it there (`Modules/selectmodule.c`
 * `select_select_impl` and `seq2set` under `MS_WINDOWS`/`_MSC_VER`): sockets only,
 * 512 entries per list and no range check on handle values, Winsock errors with
 * `winerror`, and three empty lists sleep for the timeout instead of failing with
 * WSAEINVAL. Runs under scripts/wine.sh; skipped elsewhere.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BlockingIOError, OSError, select, ValueError } from "../../select/mod.ts";
import { libc } from "../../ffi/libc.ts";
import { DefaultSelector } from "../../selectors/mod.ts";
import {
  closeSocket,
  nonBlocking,
  NOT_WINDOWS,
  refusedConnect,
  sendBytes,
  tcpPair,
  tcpSocket,
} from "./_winsock.ts";

describe("DefaultSelector on Windows", { skip: NOT_WINDOWS }, () => {
  it("is SelectSelector, as in CPython, before and after one is made", () => {
    assert.equal(DefaultSelector.name, "SelectSelector");
    const sel = new DefaultSelector();
    try {
      assert.equal(sel.constructor.name, "SelectSelector");
      assert.equal(DefaultSelector.name, "SelectSelector");
    } finally {
      sel.close();
    }
  });
});

describe("select() on Winsock", { skip: NOT_WINDOWS }, () => {
  it("a connected socket is writable, and readable once the peer sends", () => {
    const [c, s] = tcpPair();
    try {
      assert.deepEqual(select([s], [c], [], 0), [[], [c], []]);
      sendBytes(c);
      assert.deepEqual(select([s], [], [], 5), [[s], [], []]);
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("returns the caller's objects in input order, duplicates kept", () => {
    const [c, s] = tcpPair();
    try {
      sendBytes(c);
      const a = { fileno: () => s };
      const b = { fileno: () => s };
      assert.deepEqual(select([a, s, b], [], [], 5), [[a, s, b], [], []]);
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("takes 512 entries per list and refuses the 513th with CPython's message", () => {
    const [c, s] = tcpPair();
    try {
      const full = new Array<number>(512).fill(c);
      assert.equal(select([], full, [], 0)[1].length, 512);
      assert.throws(
        () => select([], [...full, c], [], 0),
        (e: unknown) =>
          e instanceof ValueError && e.message === "too many file descriptors in select()",
      );
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("three empty lists sleep for the timeout (Winsock alone fails with WSAEINVAL)", () => {
    const t0 = performance.now();
    assert.deepEqual(select([], [], [], 0.2), [[], [], []]);
    // The timeout is the behaviour under test; the sleep may overrun, never undershoot.
    assert.ok(performance.now() - t0 >= 195, `slept ${performance.now() - t0} ms`);
    assert.deepEqual(select([], [], [], 0), [[], [], []]);
  });

  it("an fd that is not a socket fails with WinError 10038, any value accepted", () => {
    const fds = new Int32Array(2);
    assert.equal(libc().pipe(fds), 0, "the C runtime's _pipe");
    // Closed last, so that the pipe's handles cannot take the socket's value.
    const closed = tcpSocket();
    closeSocket(closed);
    try {
      // A closed socket and a value past FD_SETSIZE: neither is a socket, neither is
      // refused before Winsock sees it (no range check on Windows).
      for (const fd of [closed, 100_001]) {
        assert.throws(() => select([fd], [], [], 0), (e: unknown) => {
          assert.ok(e instanceof OSError && !(e instanceof ValueError));
          assert.equal(e.winerror, 10038);
          assert.equal(e.errno, 10038);
          assert.equal(e.code, "ENOTSOCK");
          assert.equal(
            e.message,
            "[WinError 10038] An operation was attempted on something that is not a socket",
          );
          return true;
        });
      }
      // A C runtime fd is a small integer that may name some other kernel handle:
      // Wine answers WSAEOPNOTSUPP (10045) for it. Either way Winsock refuses it.
      assert.throws(() => select([fds[0]!], [], [], 0), (e: unknown) => {
        assert.ok(e instanceof OSError);
        assert.ok(e.winerror === 10038 || e.winerror === 10045, `winerror ${e.winerror}`);
        return true;
      });
    } finally {
      libc().close(fds[0]!);
      libc().close(fds[1]!);
    }
  });

  it("a refused non-blocking connect is exceptional, not writable", () => {
    const c = refusedConnect();
    try {
      const [r, w, x] = select([], [c], [c], 5);
      assert.deepEqual([r, w, x], [[], [], [c]]);
    } finally {
      closeSocket(c);
    }
  });

  it("a timeout beyond a 32-bit tv_sec raises RangeError (OverflowError)", () => {
    const [c, s] = tcpPair();
    try {
      assert.throws(() => select([s], [], [], 2 ** 31), RangeError);
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });
});

describe("Winsock errors as CPython raises them", { skip: NOT_WINDOWS }, () => {
  it("WSAEWOULDBLOCK is BlockingIOError with errno and winerror 10035", async () => {
    const { lastOsError } = await import("../../ffi/errno.ts");
    const [c, s] = tcpPair();
    try {
      nonBlocking(s);
      assert.equal(libc().recv(s, new Uint8Array(4), 4, 0), -1);
      const e = lastOsError();
      assert.ok(e instanceof BlockingIOError);
      assert.deepEqual([e.errno, e.winerror, e.code], [10035, 10035, "EWOULDBLOCK"]);
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("WSAEINVAL translates to errno 22 (PC/errmap.h winerror_to_errno)", async () => {
    const { osError } = await import("../../ffi/errno.ts");
    const e = osError(10022);
    assert.deepEqual([e.errno, e.winerror, e.code], [22, 10022, "EINVAL"]);
    assert.equal(e.message, "[WinError 10022] An invalid argument was supplied");
  });

  it("a C runtime failure keeps its plain errno, without winerror", async () => {
    const { lastOsError } = await import("../../ffi/errno.ts");
    assert.equal(libc().read(9999, new Uint8Array(1), 1), -1);
    const e = lastOsError();
    assert.deepEqual([e.errno, e.winerror, e.code], [9, null, "EBADF"]);
    assert.equal(e.message, "[Errno 9] Bad file descriptor");
  });

  it("fd -1 to the C runtime is EBADF, not the end of the process (CPython's SUPPRESS_IPH)", async () => {
    // Without a returning invalid-parameter handler, _close(-1) and _read(-1, …) end the
    // process with STATUS_INVALID_CRT_PARAMETER (0xc0000417).
    const { lastOsError } = await import("../../ffi/errno.ts");
    const { close, read, write } = await import("../../os/mod.ts");
    assert.equal(libc().close(-1), -1);
    assert.equal(lastOsError().code, "EBADF");
    for (const call of [() => read(-1, 1), () => write(-1, new Uint8Array(1)), () => close(-1)]) {
      assert.throws(call, (e: unknown) => e instanceof OSError && e.code === "EBADF");
    }
  });
});
