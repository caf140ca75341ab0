// The one struct pollfd codec: this platform's layout round-trips through the real
// poll(2), and a 16-byte layout with a 64-bit fd (Windows' WSAPOLLFD) is laid out
// byte for byte as its ABI table says.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi, ABI_TABLES } from "../../ffi/abi.ts";
import { libc, toNfds } from "../../ffi/libc.ts";
import { POLLFD_SIZE, Pollfds, pollfdsFor } from "../../ffi/pollfd.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

const { POLLIN, POLLOUT, POLLNVAL } = abi.poll;

describe("struct pollfd", () => {
  it("every ABI table lays out {int fd; short events; short revents;} in 8 bytes", () => {
    for (const [key, t] of Object.entries(ABI_TABLES)) {
      // Windows' WSAPOLLFD has a 64-bit SOCKET: tests/windows/abi_test.ts.
      if (t.os === "windows") continue;
      assert.deepEqual(t.pollfd, { size: 8, fd: 0, fdBytes: 4, events: 4, revents: 6 }, key);
    }
    assert.equal(POLLFD_SIZE, abi.pollfd.size);
  });

  it(
    "round-trips fds, events and the kernel's revents through poll(2)",
    { skip: POSIX_FDS },
    () => {
      const [r, w] = pipe();
      const [closedR, closedW] = pipe();
      close(closedR);
      close(closedW);
      try {
        const set = new Pollfds(4);
        assert.equal(set.bytes.byteLength, 4 * POLLFD_SIZE);
        set.set(0, r, POLLIN);
        set.set(1, w, POLLOUT);
        set.set(2, closedR, POLLIN);
        set.set(3, -1, POLLIN); // a negative fd is skipped by the kernel
        // Premise: nothing is readable yet, the write end is writable, the closed fd is NVAL.
        assert.equal(libc().poll(set.bytes, toNfds(4), 0), 2);
        assert.deepEqual([0, 1, 2, 3].map((i) => set.revents(i)), [0, POLLOUT, POLLNVAL, 0]);
        write(w, new Uint8Array([1]));
        set.set(0, r, POLLIN); // set clears revents
        assert.equal(libc().poll(set.bytes, toNfds(1), 0), 1);
        assert.equal(set.revents(0), POLLIN);
        assert.deepEqual([0, 1, 2, 3].map((i) => set.fd(i)), [r, w, closedR, -1]);
      } finally {
        close(r);
        close(w);
      }
    },
  );

  it("writes a 64-bit-fd layout (WSAPOLLFD) where its table puts each field", () => {
    const WsaPollfds = pollfdsFor({ size: 16, fd: 0, fdBytes: 8, events: 8, revents: 10 });
    const set = new WsaPollfds(2);
    assert.equal(set.bytes.byteLength, 32);
    set.bytes.fill(0xee);
    set.set(0, 0x1234, 0x0300);
    set.set(1, -1, 0x0001); // INVALID_SOCKET: all ones
    const view = new DataView(set.bytes.buffer);
    assert.equal(view.getBigInt64(0, true), 0x1234n);
    assert.equal(view.getUint16(8, true), 0x0300);
    assert.equal(view.getUint16(10, true), 0);
    assert.equal(view.getBigInt64(16, true), -1n);
    assert.equal(view.getUint16(24, true), 0x0001);
    // Padding is not written.
    assert.deepEqual([...set.bytes.subarray(12, 16)], [0xee, 0xee, 0xee, 0xee]);
    view.setUint16(26, 0x0010, true); // what WSAPoll would write into revents
    assert.equal(set.revents(1), 0x0010);
    assert.deepEqual([set.fd(0), set.fd(1)], [0x1234, -1]);
  });
});
