// Every async wait settles: a fast-path answer deferred by a turn of the event loop (to
// let timers run) is still the answer of the call that was made, whatever happens to
// the owner during that turn. A close() meanwhile must not leave a wait pending on an
// empty set, and an edge-triggered epoll's events must not be asked for twice.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllReleased, byte, isLinux, openFdCount } from "../_kit/async.ts";
import { PROMPT_MS, sleep } from "../_kit/time.ts";
import { Epoll, EPOLLET, EPOLLIN, EPOLLOUT } from "../../select/mod.ts";
import { EpollSelector, EVENT_WRITE, PollSelector, SelectSelector } from "../../selectors/mod.ts";
import { close, pipe, read, write } from "../../os/mod.ts";
import { closePair, openPair } from "../_kit/pairs.ts";

/** Resolves with the settled values, or rejects naming how many are still pending. */
async function allSettleWithin<T>(waits: Promise<T>[], ms: number): Promise<T[]> {
  let settled = 0;
  for (const wait of waits) void wait.then(() => settled++, () => settled++);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${waits.length - settled} of ${waits.length} waits never settled`)),
      ms,
    );
  });
  try {
    return await Promise.race([Promise.all(waits), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** More than the fast path's budget of answers without a turn of the event loop. */
const TURN_BUDGET_MS = 15;

const selectors = [
  ["SelectSelector", () => new SelectSelector()],
  ["PollSelector", () => new PollSelector()],
  ...(isLinux ? [["EpollSelector", () => new EpollSelector()] as const] : []),
] as const;

describe("close() during fast-path answers", () => {
  for (const [name, make] of selectors) {
    it(`${name}: 32 selectAsync on a ready fd, then close(): every wait settles`, async () => {
      const baseline = openFdCount();
      const [r, w] = openPair();
      try {
        const sel = make();
        const key = sel.register(w, EVENT_WRITE);
        // Premise: the fd is ready, so every call answers on the fast path.
        assert.deepEqual(sel.select(0), [[key, EVENT_WRITE]]);
        await sleep(TURN_BUDGET_MS); // fast-path answers now yield a turn before they settle
        const waits = Array.from({ length: 32 }, () => sel.selectAsync());
        sel.close();
        const results = await allSettleWithin(waits, PROMPT_MS);
        for (const result of results) assert.deepEqual(result, [[key, EVENT_WRITE]]);
      } finally {
        closePair(r, w);
      }
      await assertAllReleased(baseline);
    });
  }

  it("Epoll: 32 pollAsync on a ready fd, then close(): every wait settles", {
    skip: !isLinux,
  }, async () => {
    const [r, w] = pipe();
    try {
      const ep = new Epoll();
      ep.register(w, EPOLLOUT);
      await sleep(TURN_BUDGET_MS);
      const waits = Array.from({ length: 32 }, () => ep.pollAsync());
      ep.close();
      const results = await allSettleWithin(waits, PROMPT_MS);
      for (const result of results) assert.deepEqual(result, [[w, EPOLLOUT]]);
    } finally {
      close(r);
      close(w);
    }
  });
});

describe("edge-triggered epoll through pollAsync", () => {
  it("each edge is reported once, by the call that consumed it", { skip: !isLinux }, async () => {
    const [r, w] = pipe();
    try {
      using ep = new Epoll();
      ep.register(r, EPOLLIN | EPOLLET);
      for (let i = 0; i < 40; i++) {
        write(w, byte);
        assert.deepEqual(await ep.pollAsync(PROMPT_MS / 1000), [[r, EPOLLIN]], `edge ${i}`);
        read(r, 1);
        await sleep(1); // the event loop turns: some answers are handed over after a turn
      }
    } finally {
      close(r);
      close(w);
    }
  });
});
