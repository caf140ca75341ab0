/**
 * `readable()` and `writable()` over sockets on Windows, where they read with `recv`,
 * write with `send` and go non-blocking with `ioctlsocket(FIONBIO)` (tests/watch/
 * streams_test.ts runs the same streams over pipes elsewhere). Runs under
 * scripts/wine.sh; skipped elsewhere.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readable, writable } from "../../watch/mod.ts";
import { OSError } from "../../errors.ts";
import { libc } from "../../ffi/libc.ts";
import { closeSocket, NOT_WINDOWS, tcpPair } from "./_winsock.ts";

describe("fd streams over Winsock sockets", { skip: NOT_WINDOWS }, () => {
  it("1 MiB through writable() arrives whole through readable(), with backpressure", async () => {
    const [c, s] = tcpPair();
    const payload = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
    // closeFd: the writer's close() closes c, which the reader sees as the end.
    const sent = new Blob([payload]).stream().pipeTo(writable(c, { closeFd: true }));
    const received = new Uint8Array(
      await new Response(readable(s, { closeFd: true })).arrayBuffer(),
    );
    await sent;
    assert.equal(received.length, payload.length);
    assert.ok(received.every((byte, i) => byte === payload[i]), "every byte in order");
  });

  it("BYOB reads fill the reader's own buffer, at most its size", async () => {
    const [c, s] = tcpPair();
    try {
      assert.equal(libc().send(c, new Uint8Array([1, 2, 3, 4, 5]), 5, 0), 5);
      const reader = readable(s).getReader({ mode: "byob" });
      const { value } = await reader.read(new Uint8Array(3));
      assert.deepEqual(value, new Uint8Array([1, 2, 3]));
      reader.releaseLock();
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("a handle that is not a socket is refused with Winsock's error", () => {
    assert.throws(() => readable(123_456), (e) => e instanceof OSError && e.winerror === 10038);
  });
});
