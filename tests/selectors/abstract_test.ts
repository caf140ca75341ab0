/**
 * `BaseSelector` is abstract at run time too, as Python's ABC is:
 * `selectors.BaseSelector()` raises TypeError naming the missing methods (3.13's
 * wording, Objects/typeobject.c `object_new`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import {
  BaseSelector,
  BaseSelectorImpl,
  EpollSelector,
  PollSelector,
  type SelectorKey,
  SelectSelector,
} from "../../selectors/mod.ts";

type Constructor = new () => unknown;

describe("abstract selectors cannot be instantiated", () => {
  it("BaseSelector names all four abstract methods", () => {
    assert.throws(() => new (BaseSelector as unknown as Constructor)(), {
      name: "TypeError",
      message: "Can't instantiate abstract class BaseSelector without an implementation " +
        "for abstract methods 'get_map', 'register', 'select', 'unregister'",
    });
  });

  it("BaseSelectorImpl lacks only select", () => {
    assert.throws(() => new (BaseSelectorImpl as unknown as Constructor)(), {
      name: "TypeError",
      message: "Can't instantiate abstract class BaseSelectorImpl without an implementation " +
        "for abstract method 'select'",
    });
  });

  it("a subclass that implements some methods is told which are missing", () => {
    class Partial extends (BaseSelector as unknown as new () => { register(): unknown }) {
      override register(): SelectorKey<unknown> {
        throw new Error("unused");
      }
    }
    assert.throws(() => new Partial(), {
      name: "TypeError",
      message: "Can't instantiate abstract class Partial without an implementation " +
        "for abstract methods 'get_map', 'select', 'unregister'",
    });
  });

  it("concrete selectors construct", () => {
    // epoll is not there on Windows (ENOSYS), as in CPython.
    const epoll = process.platform === "win32" ? [] : [EpollSelector];
    for (const Selector of [SelectSelector, PollSelector, ...epoll]) {
      const sel = new Selector();
      assert.ok(sel instanceof BaseSelector);
      sel.close();
    }
  });
});
