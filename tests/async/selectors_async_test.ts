// BaseSelector.selectAsync on each selector class: the same results as select(),
// timers running while it waits, register/close/abort during the wait.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe, write } from "../../os/mod.ts";
import { EVENT_READ, EVENT_WRITE } from "../../selectors/mod.ts";
import { SELECTORS } from "../_kit/selectors.ts";

const ONE = new Uint8Array([1]);
const later = (ms: number, fn: () => void) => setTimeout(fn, ms);

for (const [name, make] of SELECTORS) {
  describe(`${name}.selectAsync`, () => {
    it("resolves at once with what select(0) sees", async () => {
      const s = make();
      const [r, w] = pipe();
      try {
        const key = s.register(w, EVENT_WRITE);
        assert.deepEqual(await s.selectAsync(), [[key, EVENT_WRITE]]);
      } finally {
        s.close();
        close(r);
        close(w);
      }
    });

    it("waits beside the event loop until an fd is ready", async () => {
      const s = make();
      const [r, w] = pipe();
      try {
        const key = s.register(r, EVENT_READ, "reader");
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 5);
        later(60, () => write(w, ONE));
        const ready = await s.selectAsync(10);
        clearInterval(ticker);
        assert.deepEqual(ready, [[key, EVENT_READ]]);
        assert.ok(ticks >= 2, `timers ran ${ticks} times meanwhile`);
      } finally {
        s.close();
        close(r);
        close(w);
      }
    });

    it("resolves [] after the timeout, never earlier", async () => {
      const s = make();
      const [r, w] = pipe();
      try {
        s.register(r, EVENT_READ);
        const t = performance.now();
        assert.deepEqual(await s.selectAsync(0.1), []);
        assert.ok(performance.now() - t >= 99);
        assert.deepEqual(await s.selectAsync(-1), []);
      } finally {
        s.close();
        close(r);
        close(w);
      }
    });

    it("sees a register made during the wait", async () => {
      const s = make();
      const [r, w] = pipe();
      try {
        s.register(r, EVENT_READ);
        let key;
        later(30, () => key = s.register(w, EVENT_WRITE));
        const ready = await s.selectAsync(10);
        assert.deepEqual(ready, [[key, EVENT_WRITE]]);
      } finally {
        s.close();
        close(r);
        close(w);
      }
    });

    it("ends with [] when the selector is closed during the wait", async () => {
      const s = make();
      const [r, w] = pipe();
      try {
        s.register(r, EVENT_READ);
        later(30, () => s.close());
        assert.deepEqual(await s.selectAsync(10), []);
      } finally {
        s.close();
        close(r);
        close(w);
      }
    });

    it("rejects with the signal's reason on abort", async () => {
      const s = make();
      const [r, w] = pipe();
      try {
        s.register(r, EVENT_READ);
        const controller = new AbortController();
        const reason = new Error("stop");
        later(30, () => controller.abort(reason));
        await assert.rejects(s.selectAsync(null, { signal: controller.signal }), reason);
      } finally {
        s.close();
        close(r);
        close(w);
      }
    });
  });
}
