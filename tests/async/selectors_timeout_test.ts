/**
 * `selectAsync(timeout)` makes the checks its blocking twin makes, in the same order,
 * and fails with the same error: each selector class converts timeouts its own way
 * (reference §6.5–§6.9), then its primitive applies its own rules.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EpollSelector, PollSelector, SelectSelector } from "../../selectors/mod.ts";

const CLASSES = [SelectSelector, PollSelector, EpollSelector] as const;

/** Timeouts that fail, or return at once with nothing registered. */
const TIMEOUTS: unknown[] = [
  "x",
  {},
  [],
  Infinity,
  -Infinity,
  NaN,
  2 ** 31 * 1e3,
  1e12,
  2n ** 100n,
  -(2n ** 100n),
  -1,
  -0,
  0,
  0.0001,
];

function outcome(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

async function asyncOutcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe("selectAsync timeouts fail as select() does", () => {
  for (const Selector of CLASSES) {
    it(Selector.name, async () => {
      for (const timeout of TIMEOUTS) {
        const sel = new Selector();
        try {
          const blocking = outcome(() => sel.select(timeout as number));
          const waiting = await asyncOutcome(() => sel.selectAsync(timeout as number));
          assert.equal(waiting, blocking, `${Selector.name}.selectAsync(${String(timeout)})`);
        } finally {
          sel.close();
        }
      }
    });
  }

  it("a closed EpollSelector reports the closed epoll before a huge timeout", async () => {
    const sel = new EpollSelector();
    sel.close();
    await assert.rejects(sel.selectAsync(1e12), {
      name: "ValueError",
      message: "I/O operation on closed epoll object",
    });
  });
});
