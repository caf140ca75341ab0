// The FFI backend of whichever runtime runs this file (Deno, Node with node:ffi or
// koffi, Bun): the table's types translate, errno is right under load, and the
// nonblocking calls resolve off the JS thread.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import { libc, toNfds } from "../../ffi/libc.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { sleep } from "../_kit/time.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

const { EBADF, ENOENT } = abi.errno;
const g = globalThis as { Deno?: unknown; Bun?: unknown };

describe("FFI backend", () => {
  it("is the one this runtime should pick", () => {
    const backend = libc().backend;
    if (g.Deno) assert.equal(backend, "deno");
    else if (g.Bun) assert.equal(backend, "bun:ffi");
    else assert.ok(backend === "node:ffi" || backend === "koffi", backend);
  });

  it("passes buffers, NULL and 64-bit counts as number or BigInt", { skip: POSIX_FDS }, () => {
    const [r, w] = pipe();
    try {
      const c = libc();
      assert.equal(c.write(w, new Uint8Array([1, 2, 3, 4]), 4), 4);
      const buf = new Uint8Array(6);
      // A subarray passes its own offset, not its buffer's start.
      assert.equal(c.read(r, buf.subarray(2), 3), 3);
      assert.deepEqual([...buf], [0, 0, 1, 2, 3, 0]);
      const pollfd = new Uint8Array(8);
      new DataView(pollfd.buffer).setInt32(0, r, true);
      new DataView(pollfd.buffer).setInt16(4, 1, true); // POLLIN
      assert.equal(c.poll(pollfd, toNfds(1), 0), 1);
      assert.equal(c.poll(pollfd, 1, 0), 1);
      assert.equal(c.poll(null, toNfds(0), 0), 0);
      assert.equal(typeof c.close(-1), "number");
    } finally {
      close(r);
      close(w);
    }
  });

  it("reads errno right after each failing call, under allocation pressure", () => {
    const c = libc();
    const missing = new TextEncoder().encode("/nonexistent/iomux\0");
    let wrong = 0;
    let garbage: unknown[] = [];
    for (let i = 0; i < 100_000; i++) {
      garbage.push({ i, s: `x${i}` }, new Uint8Array(64));
      if (garbage.length > 2_000) garbage = [];
      // Alternate two errors so that a stale errno cannot pass.
      if (i % 2 === 0) {
        if (c.close(-1) !== -1 || c.errno() !== EBADF) wrong++;
      } else if (c.open(missing, 0, 0) !== -1 || c.errno() !== ENOENT) {
        wrong++;
      }
    }
    assert.equal(wrong, 0);
  });

  it("reads C strings that libc returns", () => {
    assert.equal(libc().strerror(EBADF), "Bad file descriptor");
  });

  // On Windows poll_async is WSAPoll; tests/windows/async_test.ts waits with it on sockets.
  it("runs nonblocking poll off the JS thread until an fd is ready", {
    skip: POSIX_FDS,
  }, async (t) => {
    const c = libc();
    if (c.poll_async === null) {
      t.skip("this runtime's FFI cannot call off the JS thread");
      return;
    }
    const [r, w] = pipe();
    try {
      const pollfd = new Uint8Array(8);
      new DataView(pollfd.buffer).setInt32(0, r, true);
      new DataView(pollfd.buffer).setInt16(4, 1, true); // POLLIN
      const pending = c.poll_async(pollfd, toNfds(1), 30_000);
      // The JS thread is free while poll waits: a timer fires and makes r ready.
      await sleep(20);
      write(w, new Uint8Array([1]));
      assert.equal(await pending, 1);
      assert.equal(new DataView(pollfd.buffer).getInt16(6, true) & 1, 1); // revents
      // Two waits at once each get a thread: neither waits for the other.
      const both = [
        c.poll_async(pollfd, toNfds(1), 30_000),
        c.poll_async(pollfd.slice(), toNfds(1), 30_000),
      ];
      assert.deepEqual(await Promise.all(both), [1, 1]);
    } finally {
      close(r);
      close(w);
    }
  });
});
