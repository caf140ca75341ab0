/**
 * A selector written on `BaseSelectorImpl` as an application would: a few hooks
 * over `select.poll`, no call to the async machinery. `select`, and `selectAsync`
 * with registrations and `close()` during a pending wait, work because the base
 * class runs the bookkeeping around the hooks (`Lib/selectors.py` shares it the
 * same way through `_BaseSelectorImpl` and `_PollLikeSelector`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe, write } from "../../os/mod.ts";
import { type Poll, poll, POLLIN, POLLOUT } from "../../select/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import {
  BaseSelectorImpl,
  EVENT_READ,
  EVENT_WRITE,
  type SelectorKey,
} from "../../selectors/mod.ts";
import { POSIX_FDS } from "../_kit/platform.ts";

/** A selector on `select.poll`, written only with the protected hooks. */
class HookedPollSelector<T = unknown> extends BaseSelectorImpl<T> {
  readonly #poll: Poll = poll();
  /** Which hooks ran, in order. */
  readonly calls: string[] = [];

  constructor() {
    super(POLLIN, POLLOUT);
  }

  select(timeout?: number | null): [SelectorKey<T>, number][] {
    return this.collect(timeout);
  }

  protected override watch(key: SelectorKey<T>): void {
    this.calls.push(`watch ${key.events}`);
    const mask = (key.events & EVENT_READ ? POLLIN : 0) | (key.events & EVENT_WRITE ? POLLOUT : 0);
    this.#poll.register(key.fd, mask);
  }

  protected override unwatch(key: SelectorKey<T>): void {
    this.calls.push(`unwatch ${key.events}`);
    this.#poll.unregister(key.fd);
  }

  protected override release(): void {
    this.calls.push("release");
  }

  protected override wait(timeout: number | null | undefined): void {
    const ms = timeout === undefined || timeout === null ? null : Math.ceil(timeout * 1000);
    for (const [fd, events] of this.#poll.poll(ms)) this.sink(fd, events);
  }
}

const ONE = new Uint8Array([1]);

/** Resolves once the waiting thread has its call out (the wait's fds are fixed). */
async function waiterCalling(): Promise<void> {
  while (!waiterState().calling) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe("a selector made of BaseSelectorImpl's hooks", () => {
  it("registers, modifies, selects and closes through the hooks", { skip: POSIX_FDS }, () => {
    const [r, w] = pipe();
    const sel = new HookedPollSelector<string>();
    try {
      const key = sel.register(r, EVENT_READ, "r");
      assert.deepEqual(sel.select(0), []);
      write(w, ONE);
      assert.deepEqual(sel.select(0), [[key, EVENT_READ]]);
      const both = sel.modify(r, EVENT_READ | EVENT_WRITE, "r");
      // The default changeEvents is CPython's: unregister, then register again.
      assert.deepEqual(sel.calls, ["watch 1", "unwatch 1", "watch 3"]);
      assert.deepEqual(sel.select(0), [[both, EVENT_READ]]);
      sel.close();
      assert.deepEqual(sel.calls.at(-1), "release");
      assert.equal(sel.getMap().size, 0);
    } finally {
      sel.close();
      close(r);
      close(w);
    }
  });

  it("a watch that throws leaves nothing registered", () => {
    const refusing = new (class extends HookedPollSelector {
      protected override watch(): void {
        throw new RangeError("refused");
      }
    })();
    try {
      assert.throws(() => refusing.register(0, EVENT_READ), RangeError);
      assert.equal(refusing.getMap().size, 0);
    } finally {
      refusing.close();
    }
  });

  it("selectAsync sees a register made while it waits, with no call from the subclass", {
    skip: POSIX_FDS,
  }, async () => {
    const [r, w] = pipe();
    const sel = new HookedPollSelector();
    try {
      // Nothing registered: once the waiting thread is in its call, it watches
      // no fd of this selector until the registration below makes the base class
      // refresh the wait. (Without that refresh the wait would end empty at its
      // time limit, a generous one so as not to fail on a slow machine.)
      const pending = sel.selectAsync(30);
      await waiterCalling();
      write(w, ONE);
      const key = sel.register(r, EVENT_READ);
      assert.deepEqual(await pending, [[key, EVENT_READ]]);
    } finally {
      sel.close();
      close(r);
      close(w);
    }
  });

  it("close() during a pending selectAsync ends it with []", { skip: POSIX_FDS }, async () => {
    const [r, w] = pipe();
    const sel = new HookedPollSelector();
    try {
      sel.register(r, EVENT_READ);
      const pending = sel.selectAsync(null);
      sel.close();
      assert.deepEqual(await pending, []);
    } finally {
      sel.close();
      close(r);
      close(w);
    }
  });
});
