/**
 * Sockets size every buffer that reaches the kernel from the view's real extent, as
 * CPython's buffer protocol does. Each lying view is an 8-byte window of a 16 KiB
 * arena: after a receive the bytes around the window must be untouched (canaries),
 * and after a send the peer must get exactly the window's 8 bytes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BlockingIOError } from "../../errors.ts";
import { ValueError } from "../../_plain_errors.ts";
import { abi } from "../../ffi/abi.ts";
import { select } from "../../select/mod.ts";
import {
  AF_INET,
  AF_UNIX,
  CMSG_SPACE,
  IPPROTO_IP,
  SCM_RIGHTS,
  SOCK_DGRAM,
  SOCK_STREAM,
  Socket,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { closeQuietly, leakFree } from "../_kit/fds.ts";
import { withSocketPair as withPair } from "../_kit/sockets.ts";
import {
  arena,
  CLAIM,
  detachedView,
  firstStrayWrite,
  LongUint8Array,
  LYING_CASES,
  proxiedView,
  WINDOW,
  WINDOW_AT,
  WINDOW_PATTERN,
  withTamperedPrototype,
} from "../_kit/lying_views.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";

const CANARY = 0xaa;
const PAYLOAD = 0x55;
const DECOY = 0xdd;
const SENT = 4000;

/** Everything `sock` holds now, read without blocking. */
function drain(sock: Socket): number[] {
  sock.setBlocking(false);
  const out: number[] = [];
  for (;;) {
    try {
      const chunk = sock.recv(65536);
      if (chunk.length === 0) return out;
      out.push(...chunk);
    } catch (e) {
      if (e instanceof BlockingIOError) return out;
      throw e;
    }
  }
}

function awaitReadable(sock: Socket): void {
  assert.equal(select([sock], [], [], 10)[0].length, 1, "premise: the peer's bytes arrived");
}

/** Runs `body` with a UDP receiver bound to loopback and a sender. */
function withUdp(body: (rx: Socket, tx: Socket) => void): () => Promise<void> {
  return leakFree(() => {
    const rx = new Socket(AF_INET, SOCK_DGRAM);
    const tx = new Socket(AF_INET, SOCK_DGRAM);
    try {
      rx.bind(["127.0.0.1", 0]);
      body(rx, tx);
    } finally {
      rx.close();
      tx.close();
    }
  });
}

/** Each send path: sends `data` and asserts the peer got exactly the window. */
const SENDS: readonly [string, (data: ArrayBufferView) => () => Promise<void>][] = [
  ["send", (data) =>
    withPair(SOCK_STREAM, (a, b) => {
      assert.equal(a.send(data), WINDOW);
      assert.deepEqual(drain(b), WINDOW_PATTERN);
    })],
  ["sendAll", (data) =>
    withPair(SOCK_STREAM, (a, b) => {
      a.sendAll(data);
      assert.deepEqual(drain(b), WINDOW_PATTERN);
    })],
  ["sendmsg", (data) =>
    withPair(SOCK_STREAM, (a, b) => {
      assert.equal(a.sendmsg([data]), WINDOW);
      assert.deepEqual(drain(b), WINDOW_PATTERN);
    })],
  ["sendTo", (data) =>
    withUdp((rx, tx) => {
      assert.equal(tx.sendTo(data, rx.getsockname()), WINDOW);
      awaitReadable(rx);
      assert.deepEqual([...rx.recv(65536)], WINDOW_PATTERN);
    })],
];

/** Each receive path: fills `view` from a peer that sent 4000 bytes; the count. */
const RECEIVES: readonly [string, (b: Socket, view: ArrayBufferView) => number, number][] = [
  ["recvInto", (b, view) => b.recvInto(view), SOCK_STREAM],
  ["recvFromInto", (b, view) => b.recvFromInto(view)[0], SOCK_DGRAM],
  ["recvmsgInto", (b, view) => b.recvmsgInto([view])[0], SOCK_STREAM],
];

function receiving(
  type: number,
  body: (b: Socket) => void,
): () => Promise<void> {
  return withPair(type, (a, b) => {
    a.send(new Uint8Array(SENT).fill(PAYLOAD));
    awaitReadable(b);
    body(b);
  });
}

describe(
  "socket sends: the byte count comes from the view's real extent",
  { skip: POSIX_HARNESS },
  () => {
    for (const [method, check] of SENDS) {
      for (const lying of LYING_CASES) {
        it(`${method}: ${lying.name}`, check(lying.make(arena(0xee, true), arena(DECOY))));
      }
      it(`${method}: a Proxy around a Uint8Array raises TypeError`, async () => {
        await assert.rejects(check(proxiedView(arena(0xee, true))), (e: unknown) => {
          assert.ok(e instanceof TypeError);
          assert.match((e as Error).message, /^a bytes-like object is required, not /);
          return true;
        });
      });
      it(`${method}: a view of a detached buffer raises ValueError`, async () => {
        await assert.rejects(check(detachedView()), ValueError);
      });
    }

    it(
      "sendmsg: ancillary data is sized from the real extent (a 2-fd view claiming 4096 bytes)",
      withPair(SOCK_STREAM, (a, b) => {
        const [r, w] = [a.fileno(), b.fileno()];
        const liar = new LongUint8Array(WINDOW);
        new DataView(liar.buffer).setInt32(0, r, true);
        new DataView(liar.buffer).setInt32(4, w, true);
        assert.equal((liar as Uint8Array).length, CLAIM, "premise: the view lies");
        assert.equal(a.sendmsg([new Uint8Array(1)], [[SOL_SOCKET, SCM_RIGHTS, liar]]), 1);
        const [, ancdata, flags] = b.recvmsg(1, CMSG_SPACE(4096));
        assert.equal(flags, 0);
        assert.equal(ancdata.length, 1);
        const data = ancdata[0]![2];
        assert.equal(data.byteLength, WINDOW, "exactly two fds reached the peer");
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        closeQuietly(view.getInt32(0, true));
        closeQuietly(view.getInt32(4, true));
      }),
    );

    it(
      "sendTo under lying %TypedArray%.prototype getters sends the 8 real bytes",
      withUdp((rx, tx) => {
        const view = new Uint8Array(arena(0xee, true), WINDOW_AT, WINDOW);
        const address = rx.getsockname();
        assert.equal(withTamperedPrototype(() => tx.sendTo(view, address)), WINDOW);
        awaitReadable(rx);
        assert.deepEqual([...rx.recv(65536)], WINDOW_PATTERN);
      }),
    );

    it(
      "sendTo takes the extent after the address's getters ran (they detach the buffer)",
      withUdp((rx, tx) => {
        const buffer = arena(0xee, true);
        const view = new Uint8Array(buffer, WINDOW_AT, WINDOW);
        const [host, port] = rx.getsockname() as [string, number];
        const address = [host, 0] as [string, number];
        Object.defineProperty(address, 1, {
          get() {
            structuredClone(buffer, { transfer: [buffer] });
            return port;
          },
        });
        assert.throws(() => tx.sendTo(view, address), ValueError);
        assert.equal(buffer.byteLength, 0, "premise: the getter detached the buffer");
        assert.deepEqual(drain(rx), []);
      }),
    );
  },
);

describe("socket receives: the kernel writes only inside the view", { skip: POSIX_HARNESS }, () => {
  for (const [method, receive, type] of RECEIVES) {
    for (const lying of LYING_CASES) {
      it(
        `${method}: ${lying.name}`,
        receiving(type, (b) => {
          const space = arena(CANARY), decoy = arena(DECOY);
          assert.equal(receive(b, lying.make(space, decoy)), WINDOW);
          assert.deepEqual(
            [...new Uint8Array(space, WINDOW_AT, WINDOW)],
            new Array(WINDOW).fill(PAYLOAD),
            "the bytes land in the real window",
          );
          assert.equal(firstStrayWrite(space, CANARY), -1, "a canary around the window changed");
          assert.equal(firstStrayWrite(decoy, DECOY), -1, "the decoy buffer was written");
        }),
      );
    }
    it(
      `${method}: a Proxy around a Uint8Array raises TypeError, nothing is read`,
      receiving(type, (b) => {
        const space = arena(CANARY);
        assert.throws(() => receive(b, proxiedView(space)), (e: unknown) => {
          assert.ok(e instanceof TypeError);
          // The "w*" format's words (Python/getargs.c converterr).
          assert.match(
            (e as Error).message,
            /^recv(from|msg)?_into\(\) argument 1 must be (read-write bytes-like object, not |an iterable of single-segment read-write buffers)/,
          );
          return true;
        });
        assert.equal(firstStrayWrite(space, CANARY), -1);
        assert.equal(new Uint8Array(space)[WINDOW_AT], CANARY);
      }),
    );
    it(
      `${method}: a view of a detached buffer raises ValueError`,
      receiving(type, (b) => {
        assert.throws(() => receive(b, detachedView()), ValueError);
      }),
    );
    it(
      `${method}: under lying %TypedArray%.prototype getters only the window is written`,
      receiving(type, (b) => {
        const space = arena(CANARY);
        const view = new Uint8Array(space, WINDOW_AT, WINDOW);
        assert.equal(withTamperedPrototype(() => receive(b, view)), WINDOW);
        assert.equal(firstStrayWrite(space, CANARY), -1);
      }),
    );
  }

  it(
    "the reported case: recvInto(an 8-byte array claiming 4096) after 4000 bytes sent",
    receiving(SOCK_STREAM, (b) => {
      const liar = new LongUint8Array(WINDOW);
      assert.equal(b.recvInto(liar), WINDOW);
      assert.deepEqual([...new Uint8Array(liar.buffer)], new Array(WINDOW).fill(PAYLOAD));
      assert.equal(b.recvInto(new Uint8Array(SENT)), SENT - WINDOW, "the rest is still queued");
    }),
  );

  it(
    "recvInto: nbytes beyond the real size is refused even when length claims more",
    receiving(SOCK_STREAM, (b) => {
      const space = arena(CANARY);
      const view = LYING_CASES[0]!.make(space, arena(DECOY));
      assert.equal((view as Uint8Array).length, CLAIM, "premise: the view lies");
      assert.throws(() => b.recvInto(view, 100), {
        name: "ValueError",
        message: "buffer too small for requested bytes",
      });
      assert.equal(firstStrayWrite(space, CANARY), -1);
    }),
  );

  it(
    "recvFromInto: nbytes beyond the real size is refused even when length claims more",
    receiving(SOCK_DGRAM, (b) => {
      const space = arena(CANARY);
      const view = LYING_CASES[0]!.make(space, arena(DECOY));
      assert.throws(() => b.recvFromInto(view, 100), {
        name: "ValueError",
        message: "nbytes is greater than the length of the buffer",
      });
      assert.equal(firstStrayWrite(space, CANARY), -1);
    }),
  );

  it(
    "recvInto: a view whose length claims 0 is filled to its real size (nbytes 0)",
    receiving(SOCK_STREAM, (b) => {
      const space = arena(CANARY);
      const view = new Uint8Array(space, WINDOW_AT, WINDOW);
      Object.defineProperty(view, "length", { value: 0 });
      Object.defineProperty(view, "byteLength", { value: 0 });
      assert.equal(b.recvInto(view), WINDOW);
      assert.equal(firstStrayWrite(space, CANARY), -1);
    }),
  );
});

/** Linux's `IP_OPTIONS`: the kernel keeps the option bytes it was given, length and all. */
const IP_OPTIONS = 4;
const IPOPT_NOP = 1;

describe(
  "socket options and addresses: sized from the real extent",
  { skip: POSIX_HARNESS },
  () => {
    const linux = abi.os === "linux";
    for (const lying of LYING_CASES) {
      it(
        `setsockopt(IP_OPTIONS, ${lying.name}) gives the kernel its 8 bytes`,
        { skip: linux ? false : "IP_OPTIONS numbering is Linux's" },
        leakFree(() => {
          using s = new Socket(AF_INET, SOCK_DGRAM);
          // Every arena byte is a valid option (NOP): a longer read would be accepted
          // and reported back by getsockopt, not refused.
          const value = lying.make(arena(IPOPT_NOP), arena(0)) as Uint8Array;
          s.setsockopt(IPPROTO_IP, IP_OPTIONS, value);
          const stored = s.getsockopt(IPPROTO_IP, IP_OPTIONS, 40) as Uint8Array;
          assert.deepEqual([...stored], new Array(WINDOW).fill(IPOPT_NOP));
        }),
      );
    }

    it(
      "bind(AF_UNIX path whose length claims more) binds the real name",
      { skip: abi.os === "linux" ? false : "abstract names are Linux's" },
      leakFree(() => {
        const name = `\0iomux-bytes-${Date.now()}-${Math.random().toString(36).slice(2)}`;
        const encoded = new TextEncoder().encode(name);
        const space = new Uint8Array(256).fill(0x78);
        space.set(encoded, 16);
        class LongPath extends Uint8Array {
          override get length(): number {
            return encoded.length + 12;
          }
          override get byteLength(): number {
            return encoded.length + 12;
          }
        }
        using s = new Socket(AF_UNIX, SOCK_DGRAM);
        s.bind(new LongPath(space.buffer, 16, encoded.length));
        assert.equal(s.getsockname(), name);
      }),
    );

    it("bind(AF_UNIX path of a detached buffer) raises ValueError", () => {
      using s = new Socket(AF_UNIX, SOCK_DGRAM);
      assert.throws(() => s.bind(detachedView()), ValueError);
      assert.throws(() => s.bind(proxiedView(arena(0x78)) as Uint8Array), TypeError);
    });
  },
);
