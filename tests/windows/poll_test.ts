/**
 * `poll()` and `PollSelector` on `WSAPoll`, beyond CPython (which has no
 * `select.poll` on Windows), with WSAPoll's differences from `poll(2)` handled:
 * POLLPRI is refused by WSAPoll and so left out of `events`, an empty set sleeps
 * instead of failing with WSAEINVAL, a closed socket is `POLLNVAL` instead of a
 * failed call, and a peer's shutdown shows as POLLHUP alone. Runs under
 * scripts/wine.sh; skipped elsewhere.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { poll, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM } from "../../select/mod.ts";
import { EVENT_READ, PollSelector } from "../../selectors/mod.ts";
import { libc } from "../../ffi/libc.ts";
import { closeSocket, NOT_WINDOWS, sendBytes, tcpPair, tcpSocket } from "./_winsock.ts";

describe("poll() on WSAPoll", { skip: NOT_WINDOWS }, () => {
  it("the default mask (with POLLPRI) polls; a connected socket is POLLOUT", () => {
    const [c, s] = tcpPair();
    try {
      const p = poll();
      p.register(c);
      p.register(s, POLLIN | POLLPRI);
      assert.deepEqual(p.poll(0), [[c, POLLOUT]]);
      sendBytes(c);
      assert.deepEqual(p.poll(5000), [[c, POLLOUT], [s, POLLRDNORM]]);
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("with nothing registered it sleeps for the timeout", () => {
    const t0 = performance.now();
    assert.deepEqual(poll().poll(150), []);
    // The timeout is the behaviour under test; the sleep may overrun, never undershoot.
    assert.ok(performance.now() - t0 >= 145, `slept ${performance.now() - t0} ms`);
  });

  it("a closed socket is reported as POLLNVAL, beside the ready ones", () => {
    const [c, s] = tcpPair();
    const closed = tcpSocket();
    closeSocket(closed);
    try {
      const p = poll();
      p.register(closed, POLLIN);
      p.register(c, POLLOUT);
      const result = p.poll(0);
      assert.deepEqual(result.find(([fd]) => fd === closed), [closed, POLLNVAL]);
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });

  it("after the peer's shutdown: POLLHUP, which PollSelector reports as readable", () => {
    const [c, s] = tcpPair();
    try {
      assert.equal(libc().shutdown(c, 1 /* SD_SEND */), 0);
      const p = poll();
      p.register(s, POLLIN);
      const [[fd, revents]] = p.poll(5000) as [[number, number]];
      assert.equal(fd, s);
      assert.ok(revents & (POLLHUP | POLLIN), `revents ${revents}`);
      const sel = new PollSelector();
      try {
        sel.register(s, EVENT_READ);
        const ready = sel.select(5);
        assert.equal(ready.length, 1);
        assert.equal(ready[0]![1] & EVENT_READ, EVENT_READ);
      } finally {
        sel.close();
      }
    } finally {
      closeSocket(c);
      closeSocket(s);
    }
  });
});
