/**
 * `recv`/`recvFrom` read into one reused buffer and hand back copies: every result
 * is its own array of exactly the bytes received, untouched by later reads.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AF_UNIX, SOCK_DGRAM, socketpair } from "../../socket/mod.ts";
import { UNIX_SOCKETS } from "../_kit/platform.ts";

describe("recv results are independent copies", () => {
  it("stream: a later recv does not change an earlier result", () => {
    const [a, b] = socketpair();
    try {
      a.sendAll(new Uint8Array([1, 2, 3]));
      const first = b.recv(3);
      a.sendAll(new Uint8Array([9, 9, 9]));
      const second = b.recv(65536);
      assert.deepEqual([...first], [1, 2, 3]);
      assert.deepEqual([...second], [9, 9, 9]);
      assert.equal(first.buffer.byteLength, 3);
      assert.notEqual(first.buffer, second.buffer);
    } finally {
      a.close();
      b.close();
    }
  });

  it("a result that fills the requested size is still a copy", () => {
    const [a, b] = socketpair();
    try {
      a.sendAll(new Uint8Array([4, 5]));
      const whole = b.recv(2);
      a.sendAll(new Uint8Array([6, 7]));
      b.recv(2);
      assert.deepEqual([...whole], [4, 5]);
    } finally {
      a.close();
      b.close();
    }
  });

  it("datagrams: recvFrom copies too", { skip: UNIX_SOCKETS }, () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    try {
      a.send(new Uint8Array([1]));
      a.send(new Uint8Array([2, 2]));
      const [first] = b.recvFrom(100);
      const [second] = b.recvFrom(100);
      assert.deepEqual([...first], [1]);
      assert.deepEqual([...second], [2, 2]);
    } finally {
      a.close();
      b.close();
    }
  });

  it("more than 64 KiB still arrives whole", () => {
    const [a, b] = socketpair();
    try {
      const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
      a.setBlocking(false);
      let sent = 0;
      const got: number[] = [];
      while (got.length < big.length) {
        if (sent < big.length) {
          try {
            sent += a.send(big.subarray(sent));
          } catch (e) {
            if ((e as Error).name !== "BlockingIOError") throw e;
          }
        }
        if (got.length < sent) got.push(...b.recv(200_000));
      }
      assert.deepEqual(got, [...big]);
    } finally {
      a.close();
      b.close();
    }
  });
});
