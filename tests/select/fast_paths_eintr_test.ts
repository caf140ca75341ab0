/**
 * A signal that interrupts a fast wait with no timeout (`select()`, `poll(None)`,
 * `Epoll.poll(None)`, a selector's `select()`) hands the call to the full path, which
 * keeps waiting (PEP 475, `Modules/selectmodule.c`): the call returns only when data
 * comes, with the right answer, and the fallback is counted (`fastPaths`). Real
 * signals at the JS thread, as in tests/select/eintr_test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { Epoll, EPOLLIN, poll, POLLIN, select } from "../../select/mod.ts";
import { fastPaths } from "../../select/_internal.ts";
import { EpollSelector, EVENT_READ, PollSelector, SelectSelector } from "../../selectors/mod.ts";
import { leakFree, withPipe } from "../_kit/fds.ts";
import { canSignal, interrupted, signaller, useSignalTarget } from "../_kit/eintr.ts";

const SELECT = { waits: ["select"], counted: ["select"] } as const;
const POLL = { waits: ["poll"], counted: ["poll"] } as const;
const EPOLL = { waits: ["epoll"], counted: ["epoll_wait"] } as const;

describe("fast paths under EINTR: an infinite wait falls back and stays infinite", {
  skip: process.platform === "linux" ? false : "finds the JS thread through /proc",
}, () => {
  const target = useSignalTarget(43);

  /**
   * Runs `wait` while two signals come, then a byte on the pipe; checks its answer,
   * that it lasted past the signals, and that `counter` grew.
   */
  function blocking<T>(
    name: string,
    premise: typeof SELECT | typeof POLL | typeof EPOLL,
    counter: "selectFallback" | "pollPollFallback" | "epollPollFallback" | "selectorFallback",
    make: (r: number) => { wait: () => T; expected: (r: number) => unknown; close?: () => void },
    skip: string | false = false,
  ): void {
    it(name, { skip }, async (t) => {
      if (!canSignal(target, t)) return;
      await leakFree(() =>
        withPipe(async (r, w) => {
          const { wait, expected, close } = make(r);
          try {
            const before = fastPaths[counter];
            const child = signaller(target.tid, {
              count: 2,
              then: "sleep 0.3; echo x",
              stdoutFd: w,
            });
            const outcome = await interrupted(target, wait, premise, child);
            assert.deepEqual(outcome.result, expected(r));
            assert.ok(outcome.elapsed >= 600, `returned after ${outcome.elapsed} ms`);
            assert.ok(fastPaths[counter] > before, `${counter} did not grow`);
          } finally {
            close?.();
          }
        })
      )();
    });
  }

  blocking("select([r], [], [], null)", SELECT, "selectFallback", (r) => ({
    wait: () => select([r], [], [], null),
    expected: (r) => [[r], [], []],
  }));

  blocking("poll().poll(null)", POLL, "pollPollFallback", (r) => {
    const p = poll();
    p.register(r, POLLIN);
    return { wait: () => p.poll(null), expected: (r) => [[r, POLLIN]] };
  });

  const noEpoll = process.platform === "linux" ? false : "epoll is Linux's";
  blocking("Epoll.poll(null)", EPOLL, "epollPollFallback", (r) => {
    const ep = new Epoll();
    ep.register(r, EPOLLIN);
    return { wait: () => ep.poll(null), expected: (r) => [[r, EPOLLIN]], close: () => ep.close() };
  }, noEpoll);

  for (
    const [Selector, premise, skip] of [
      [SelectSelector, SELECT, false],
      [PollSelector, POLL, false],
      [EpollSelector, EPOLL, noEpoll],
    ] as const
  ) {
    blocking(`${Selector.name}.select()`, premise, "selectorFallback", (r) => {
      const sel = new Selector();
      const key = sel.register(r, EVENT_READ);
      return {
        wait: () => sel.select(),
        expected: () => [[key, EVENT_READ]],
        close: () => sel.close(),
      };
    }, skip);
  }
});
