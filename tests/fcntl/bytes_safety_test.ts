/**
 * `fcntl.ioctl` and `fcntl.fcntl` size the memory they hand to the kernel, and what
 * they copy back, from a buffer's real extent (`ffi/bytes.ts`), whatever its getters
 * claim: each lying view is an 8-byte window of a larger arena, and FIONREAD may
 * write only the window.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { F_GETFL, fcntl, FIONREAD, ioctl } from "../../fcntl/mod.ts";
import { ValueError, write } from "../../os/mod.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import {
  arena,
  detachedView,
  firstStrayWrite,
  LYING_CASES,
  proxiedView,
  WINDOW,
  WINDOW_AT,
  withTamperedPrototype,
} from "../_kit/lying_views.ts";

const PENDING = 3;
/** What FIONREAD leaves in the window: the pending count as a C int, then the rest. */
function expectedWindow(fill: number): number[] {
  const count = new Uint8Array(Int32Array.of(PENDING).buffer);
  return [...count, ...new Array(WINDOW - count.length).fill(fill)];
}

function windowOf(buffer: ArrayBuffer): number[] {
  return [...new Uint8Array(buffer, WINDOW_AT, WINDOW)];
}

describe("fcntl.ioctl: buffers are sized from their real extent", () => {
  for (const lying of LYING_CASES) {
    it(
      `${lying.name}: FIONREAD writes only the window`,
      leakFree(() =>
        withPipe((r, w) => {
          write(w, new Uint8Array(PENDING));
          const memory = arena(0xee);
          const decoy = arena(0xdd);
          assert.equal(ioctl(r, FIONREAD, lying.make(memory, decoy)), 0);
          assert.deepEqual(windowOf(memory), expectedWindow(0xee));
          assert.equal(firstStrayWrite(memory, 0xee), -1);
          assert.equal(firstStrayWrite(decoy, 0xdd), -1);
          assert.deepEqual(windowOf(decoy), new Array(WINDOW).fill(0xdd));
        })
      ),
    );

    it(
      `${lying.name}: copied (mutateFlag false), the answer is as long as the window`,
      leakFree(() =>
        withPipe((r, w) => {
          write(w, new Uint8Array(PENDING));
          const memory = arena(0xee);
          const copy = ioctl(r, FIONREAD, lying.make(memory, arena(0xdd)), false);
          assert.ok(copy instanceof Uint8Array);
          assert.deepEqual([...copy], expectedWindow(0xee));
          assert.deepEqual(windowOf(memory), new Array(WINDOW).fill(0xee), "left alone");
        })
      ),
    );
  }

  it(
    "a tampered %TypedArray%.prototype changes nothing",
    leakFree(() =>
      withPipe((r, w) => {
        write(w, new Uint8Array(PENDING));
        const memory = arena(0xee);
        const view = new Uint8Array(memory, WINDOW_AT, WINDOW);
        assert.equal(withTamperedPrototype(() => ioctl(r, FIONREAD, view)), 0);
        assert.deepEqual(windowOf(memory), expectedWindow(0xee));
        assert.equal(firstStrayWrite(memory, 0xee), -1);
      })
    ),
  );

  it(
    "a detached buffer is a ValueError, a Proxy is no buffer (TypeError)",
    leakFree(() =>
      withPipe((r) => {
        assert.throws(() => ioctl(r, FIONREAD, detachedView()), {
          name: "ValueError",
          message: "operation forbidden on a detached ArrayBuffer",
        });
        assert.throws(() => ioctl(r, FIONREAD, detachedView()), ValueError);
        assert.throws(() => ioctl(r, FIONREAD, proxiedView(arena(0xee))), TypeError);
      })
    ),
  );
});

describe("fcntl.fcntl: a buffer argument is copied for its real extent", () => {
  for (const lying of LYING_CASES) {
    it(
      `${lying.name}: F_GETFL gives back a copy as long as the window`,
      leakFree(() =>
        withPipe((r) => {
          const memory = arena(0xee, true);
          const copy = fcntl(r, F_GETFL, lying.make(memory, arena(0xdd)));
          assert.ok(copy instanceof Uint8Array);
          assert.equal(copy.byteLength, WINDOW);
          assert.deepEqual(windowOf(memory), [1, 2, 3, 4, 5, 6, 7, 8], "left alone");
        })
      ),
    );
  }
});
