/**
 * A changelist is encoded from the fields a `KEvent` stores (CPython copies the C
 * struct), never from getters a subclass or a Proxy can redefine, and the encoder
 * refuses more events than its buffer holds. These run without a kqueue: they
 * drive the same encoder `Kqueue.control` uses.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FREEBSD_X86_64 } from "../../ffi/abi/freebsd.ts";
import { LIBKQUEUE_KEVENT } from "../../ffi/abi/linux.ts";
import { decodeKevent, encodeKevents } from "../../ffi/kevent.ts";
import { keventFields } from "../../select/kevent.ts";
import { KEvent, KQ_EV_ADD, KQ_FILTER_WRITE } from "../../select/mod.ts";

class LyingKEvent extends KEvent {
  override get ident(): number | bigint {
    return 2n ** 70n;
  }
  override get filter(): number {
    return 99999;
  }
  override get udata(): number | bigint {
    return -1;
  }
}

describe("kevent changelists: the stored fields, not the getters", () => {
  for (const layout of [LIBKQUEUE_KEVENT, FREEBSD_X86_64.kevent!]) {
    it(`a subclass's lying getters do not reach the ${layout.size}-byte struct`, () => {
      const event = new LyingKEvent(7, KQ_FILTER_WRITE, KQ_EV_ADD, 0, 5, 9);
      assert.equal(event.filter, 99999, "premise: the getters lie");
      const fields = keventFields(event);
      assert.ok(fields !== undefined);
      const buffer = new Uint8Array(layout.size).fill(0xff);
      encodeKevents(buffer, layout, [fields]);
      assert.deepEqual(decodeKevent(buffer, layout, 0), {
        ident: 7,
        filter: KQ_FILTER_WRITE,
        flags: KQ_EV_ADD,
        fflags: 0,
        data: 5,
        udata: 9,
      });
    });
  }

  it("a Proxy around a KEvent, or an object with its prototype, is not a KEvent", () => {
    const real = new KEvent(3);
    assert.equal(keventFields(new Proxy(real, {})), undefined);
    assert.equal(keventFields(Object.create(KEvent.prototype)), undefined);
    assert.equal(
      keventFields({ ident: 3, filter: -1, flags: 1, fflags: 0, data: 0, udata: 0 }),
      undefined,
    );
    assert.equal(keventFields(null), undefined);
    assert.deepEqual(keventFields(real), {
      ident: 3,
      filter: real.filter,
      flags: real.flags,
      fflags: 0,
      data: 0,
      udata: 0,
    });
  });

  it("the encoder refuses more events than the buffer holds", () => {
    const layout = LIBKQUEUE_KEVENT;
    const fields = keventFields(new KEvent(1))!;
    const buffer = new Uint8Array(layout.size);
    assert.throws(() => encodeKevents(buffer, layout, [fields, fields]), RangeError);
  });
});
