/**
 * `os.write` sizes what it hands to `write(2)` from the view's real extent, as
 * CPython's buffer protocol does, whatever the view's getters claim: each lying view
 * is an 8-byte window of a larger arena, and exactly those 8 bytes must come out of
 * the pipe.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BlockingIOError, pipe, read, setBlocking, ValueError, write } from "../../os/mod.ts";
import { closeQuietly, leakFree, withPipe } from "../_kit/fds.ts";
import {
  arena,
  detachedView,
  LongUint8Array,
  LYING_CASES,
  proxiedView,
  WINDOW,
  WINDOW_AT,
  WINDOW_PATTERN,
  withTamperedPrototype,
} from "../_kit/lying_views.ts";

/** Everything the pipe holds now, read without blocking. */
function drain(r: number): number[] {
  setBlocking(r, false);
  const out: number[] = [];
  for (;;) {
    try {
      const chunk = read(r, 65536);
      if (chunk.length === 0) return out;
      out.push(...chunk);
    } catch (e) {
      if (e instanceof BlockingIOError) return out;
      throw e;
    }
  }
}

describe("os.write: the byte count comes from the view's real extent", () => {
  for (const lying of LYING_CASES) {
    it(
      `${lying.name}: exactly its 8 bytes are written`,
      leakFree(() =>
        withPipe((r, w) => {
          const view = lying.make(arena(0xee, true), arena(0xdd));
          assert.equal(write(w, view), WINDOW);
          assert.deepEqual(drain(r), WINDOW_PATTERN);
        })
      ),
    );
  }

  it(
    "the reported case: write(w, an 8-byte array claiming 4096) writes 8 bytes",
    leakFree(() =>
      withPipe((r, w) => {
        const liar = new LongUint8Array(WINDOW).fill(7);
        assert.equal(write(w, liar), WINDOW);
        assert.deepEqual(drain(r), new Array(WINDOW).fill(7));
      })
    ),
  );

  it(
    "a Proxy around a Uint8Array is not bytes-like: TypeError, nothing written",
    leakFree(() =>
      withPipe((r, w) => {
        assert.throws(() => write(w, proxiedView(arena(0xee, true))), (e: unknown) => {
          assert.ok(e instanceof TypeError);
          assert.match((e as Error).message, /^a bytes-like object is required, not /);
          return true;
        });
        assert.deepEqual(drain(r), []);
      })
    ),
  );

  it(
    "a view of a detached buffer raises ValueError, nothing written",
    leakFree(() =>
      withPipe((r, w) => {
        assert.throws(() => write(w, detachedView()), ValueError);
        const buffer = new ArrayBuffer(16);
        const dataView = new DataView(buffer, 4, WINDOW);
        structuredClone(buffer, { transfer: [buffer] });
        assert.equal(buffer.byteLength, 0, "premise: the buffer is detached");
        assert.throws(() => write(w, dataView), ValueError);
        assert.deepEqual(drain(r), []);
      })
    ),
  );

  it(
    "a detached ArrayBuffer raises ValueError",
    leakFree(() =>
      withPipe((_r, w) => {
        const buffer = new ArrayBuffer(8);
        structuredClone(buffer, { transfer: [buffer] });
        assert.equal(buffer.byteLength, 0, "premise: the buffer is detached");
        // CPython: a released memoryview gives "operation forbidden on released
        // memoryview object".
        assert.throws(() => write(w, buffer), ValueError);
      })
    ),
  );

  it(
    "lying getters on %TypedArray%.prototype itself change nothing",
    leakFree(() =>
      withPipe((r, w) => {
        const view = new Uint8Array(arena(0xee, true), WINDOW_AT, WINDOW);
        const written = withTamperedPrototype(() => write(w, view));
        assert.equal(written, WINDOW);
        assert.deepEqual(drain(r), WINDOW_PATTERN);
      })
    ),
  );

  it(
    "every honest bytes-like kind still writes its whole extent",
    leakFree(() => {
      const [r, w] = pipe();
      try {
        const source = arena(0xee, true);
        const honest: [string, ArrayBufferView | ArrayBuffer][] = [
          ["Uint8Array window", new Uint8Array(source, WINDOW_AT, WINDOW)],
          ["Uint16Array window", new Uint16Array(source, WINDOW_AT, WINDOW / 2)],
          ["DataView window", new DataView(source, WINDOW_AT, WINDOW)],
          ["ArrayBuffer", new Uint8Array(WINDOW_PATTERN).buffer],
        ];
        if (typeof SharedArrayBuffer === "function") {
          const shared = new SharedArrayBuffer(WINDOW);
          new Uint8Array(shared).set(WINDOW_PATTERN);
          honest.push(["SharedArrayBuffer", shared as unknown as ArrayBuffer]);
          honest.push(["view of a SharedArrayBuffer", new Uint8Array(shared)]);
        }
        for (const [name, data] of honest) {
          assert.equal(write(w, data), WINDOW, name);
          assert.deepEqual(drain(r), WINDOW_PATTERN, name);
        }
      } finally {
        closeQuietly(r);
        closeQuietly(w);
      }
    }),
  );
});
