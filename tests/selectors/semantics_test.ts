// CPython selectors semantics beyond test_selectors.py (Lib/selectors.py), for every
// selector class: the validation order, _fileobj_to_fd's int(), the identity fallback,
// exact messages, modify's quirks, the event mapping and use after close. Each
// expectation was checked against python3. What holds for one class only is in
// selector_specifics_test.ts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { close, pipe } from "../../os/mod.ts";
import {
  EVENT_READ,
  EVENT_WRITE,
  KeyError,
  OSError,
  RuntimeError,
  SelectorKey,
  SelectSelector,
  ValueError,
} from "../../selectors/mod.ts";
import { SELECTORS, withCleanup } from "../_kit/selectors.ts";
import { POSIX_FDS } from "../_kit/platform.ts";
import { messageOf, withPipeAndCleanup } from "./_semantics_kit.ts";

/** An object with fileno(), like a Python file: fileno() throws ValueError once closed. */
class FileObj {
  #fd: number;
  constructor(fd: number) {
    this.#fd = fd;
  }
  fileno(): number {
    if (this.#fd < 0) throw new ValueError("I/O operation on closed file");
    return this.#fd;
  }
  close(): void {
    close(this.#fd);
    this.#fd = -1;
  }
  toString(): string {
    return `<FileObj fd=${this.#fd}>`;
  }
}

class Thing {}

for (const [name, make] of SELECTORS) {
  describe(`${name}: CPython semantics`, () => {
    it("checks events before the file object, with CPython's messages", () =>
      withPipeAndCleanup((r, _w, defer) => {
        const s = make();
        defer(() => s.close());
        const reg = (f: unknown, e: unknown) => s.register(f as number, e as number);
        assert.deepEqual(messageOf(() => reg(-10, 999999)), [
          "ValueError",
          "Invalid events: 999999",
        ]);
        assert.deepEqual(messageOf(() => reg(-10, 1)), [
          "ValueError",
          "Invalid file descriptor: -10",
        ]);
        assert.deepEqual(messageOf(() => reg(r, 0)), ["ValueError", "Invalid events: 0"]);
        assert.deepEqual(messageOf(() => reg(r, 4)), ["ValueError", "Invalid events: 4"]);
        assert.deepEqual(messageOf(() => reg(r, -1)), ["ValueError", "Invalid events: -1"]);
        assert.deepEqual(messageOf(() => reg(r, null)), ["ValueError", "Invalid events: None"]);
        assert.deepEqual(messageOf(() => reg(r, undefined)), [
          "ValueError",
          "Invalid events: None",
        ]);
        assert.deepEqual(messageOf(() => reg(r, 1.5)), [
          "TypeError",
          "unsupported operand type(s) for &: 'float' and 'int'",
        ]);
        assert.deepEqual(messageOf(() => reg(r, "1")), [
          "TypeError",
          "unsupported operand type(s) for &: 'str' and 'int'",
        ]);
        assert.equal(s.getMap().size, 0);
        assert.equal(reg(r, true).events, EVENT_READ);
      }));

    it("applies int() to fileno(): '7' and 7.9 mean fd 7", () =>
      withPipeAndCleanup((r, w, defer) => {
        const s = make();
        defer(() => s.close());
        const asString = { fileno: () => String(r) };
        const asFloat = { fileno: () => w + 0.9 };
        assert.equal(s.register(asString as never, EVENT_READ).fd, r);
        assert.equal(s.register(asFloat as never, EVENT_WRITE).fd, w);
        assert.equal(s.getKey(r).fileobj, asString);
        assert.equal(s.getKey(w).fileobj, asFloat);
      }));

    it("turns a bad file object into ValueError('Invalid file object: <repr>')", () => {
      const s = make();
      try {
        const bad = (f: unknown) => messageOf(() => s.register(f as number, EVENT_READ));
        assert.deepEqual(bad("abc"), ["ValueError", "Invalid file object: 'abc'"]);
        assert.deepEqual(bad("it's"), ["ValueError", `Invalid file object: "it's"`]);
        assert.deepEqual(bad(3.5), ["ValueError", "Invalid file object: 3.5"]);
        assert.deepEqual(bad(null), ["ValueError", "Invalid file object: None"]);
        assert.deepEqual(bad([1]), ["ValueError", "Invalid file object: [1]"]);
        assert.deepEqual(bad(new Thing()), ["ValueError", "Invalid file object: <Thing object>"]);
        const notANumber = { fileno: () => "abc", toString: () => "<not a number>" };
        assert.deepEqual(bad(notANumber), ["ValueError", "Invalid file object: <not a number>"]);
        const nan = new (class NaNFile {
          fileno() {
            return NaN;
          }
        })();
        assert.deepEqual(bad(nan), ["ValueError", "Invalid file object: <NaNFile object>"]);
        assert.deepEqual(bad({ fileno: () => -1 }), ["ValueError", "Invalid file descriptor: -1"]);
        // Only TypeError/ValueError become "Invalid file object"; other errors go through.
        const failing = {
          fileno: () => {
            throw new OSError(9, "Bad file descriptor");
          },
        };
        assert.throws(() => s.register(failing as never, EVENT_READ), OSError);
        // int(inf) is OverflowError in Python, which _fileobj_to_fd does not catch.
        assert.throws(() => s.register({ fileno: () => Infinity } as never, EVENT_READ), {
          name: "RangeError",
          message: "cannot convert float infinity to integer",
        });
        assert.equal(s.getMap().size, 0);
      } finally {
        s.close();
      }
    });

    it("finds a closed object by identity (fileno() now throws)", () =>
      withCleanup((defer) => {
        const s = make();
        defer(() => s.close());
        const [r, w] = pipe();
        defer(() => close(w));
        const file = new FileObj(r);
        const key = s.register(file, EVENT_READ, "data");
        file.close();
        assert.equal(s.getKey(file), key);
        assert.equal(s.getMap().get(file), key);
        assert.ok(s.getMap().has(file));
        // An equal-looking but different object is not found: ValueError, not KeyError.
        const other = new FileObj(-1);
        assert.deepEqual(messageOf(() => s.unregister(other)), [
          "ValueError",
          "Invalid file object: <FileObj fd=-1>",
        ]);
        assert.equal(s.unregister(file), key);
        assert.equal(s.getMap().size, 0);
      }));

    it("raises KeyError with CPython's texts (message and key are the text)", () =>
      withPipeAndCleanup((r, _w, defer) => {
        const s = make();
        defer(() => s.close());
        const file = new FileObj(r);
        s.register(file, EVENT_READ);
        const again = (() => {
          try {
            s.register(r, EVENT_READ);
          } catch (error) {
            return error as KeyError;
          }
          return undefined;
        })();
        assert.ok(again instanceof KeyError);
        assert.equal(again.message, `${r} (FD ${r}) is already registered`);
        assert.equal(again.key, again.message);
        assert.deepEqual(messageOf(() => s.register(file, EVENT_WRITE)), [
          "KeyError",
          `<FileObj fd=${r}> (FD ${r}) is already registered`,
        ]);
        for (
          const call of [
            () => s.unregister(999999),
            () => s.getKey(999999),
            () => s.modify(999999, EVENT_READ),
          ]
        ) {
          assert.deepEqual(messageOf(call), ["KeyError", "999999 is not registered"]);
        }
        assert.deepEqual(messageOf(() => s.getKey(-5)), [
          "ValueError",
          "Invalid file descriptor: -5",
        ]);
        assert.deepEqual(messageOf(() => s.getMap().get(-1)), [
          "ValueError",
          "Invalid file descriptor: -1",
        ]);
        assert.deepEqual(messageOf(() => s.getMap().has(-1)), [
          "ValueError",
          "Invalid file descriptor: -1",
        ]);
      }));

    it("modify: same key when nothing changes, data reset when omitted, !== for data", () =>
      withPipeAndCleanup((r, _w, defer) => {
        const s = make();
        defer(() => s.close());
        const data = { n: 1 };
        const key = s.register(r, EVENT_READ, data);
        assert.equal(s.modify(r, EVENT_READ, data), key);
        assert.equal(s.modify(r, true as unknown as number, data), key);
        // Python has one int type: modify(r, 1n) is modify(r, 1), the same key.
        assert.equal(s.modify(r, 1n as unknown as number, data), key);
        const equalButDistinct = { n: 1 };
        // Python compares data with ==; JS has no value equality: a distinct object replaces it.
        const replaced = s.modify(r, EVENT_READ, equalButDistinct);
        assert.notEqual(replaced, key);
        assert.equal(replaced.data, equalButDistinct);
        const reset = s.modify(r, EVENT_READ);
        assert.equal(reset.data, undefined);
        assert.equal(s.getKey(r), reset);
      }));

    it(
      "reports HUP/ERR as both directions, masked by the key's events",
      { skip: POSIX_FDS },
      () =>
        withCleanup((defer) => {
          const s = make();
          defer(() => s.close());
          const [r1, w1] = pipe();
          const [r2, w2] = pipe();
          defer(() => close(r1), () => close(w2));
          const readKey = s.register(r1, EVENT_READ | EVENT_WRITE);
          const writeKey = s.register(w2, EVENT_READ | EVENT_WRITE);
          close(w1); // r1: HUP
          close(r2); // w2: ERR
          // KqueueSelector reports READ and WRITE as separate entries: merge them.
          const ready = new Map<unknown, number>();
          for (const [key, events] of s.select(0)) ready.set(key, (ready.get(key) ?? 0) | events);
          // select(2) sets HUP in the read set only; poll/epoll map it to READ|WRITE,
          // and kqueue reports EOF on each filter (checked with libkqueue, not on a BSD).
          const hup = s instanceof SelectSelector ? EVENT_READ : EVENT_READ | EVENT_WRITE;
          assert.equal(ready.get(readKey), hup);
          assert.equal(ready.get(writeKey), EVENT_READ | EVENT_WRITE);
          s.modify(r1, EVENT_READ);
          assert.deepEqual(s.select(0).find(([key]) => key.fd === r1)?.[1], EVENT_READ);
        }),
    );

    it("SelectorKey is frozen and prints like the namedtuple", () =>
      withPipeAndCleanup((r, _w, defer) => {
        const s = make();
        defer(() => s.close());
        const key = s.register(r, EVENT_READ, "x");
        assert.ok(Object.isFrozen(key));
        assert.throws(() => {
          (key as { events: number }).events = 3;
        }, TypeError);
        assert.equal(String(key), `SelectorKey(fileobj=${r}, fd=${r}, events=1, data='x')`);
        assert.equal(
          String(new SelectorKey(5, 5, 1, undefined)),
          "SelectorKey(fileobj=5, fd=5, events=1, data=None)",
        );
      }));

    it("close: idempotent, getKey RuntimeError, unregister/modify KeyError", () =>
      withPipeAndCleanup((r, _w) => {
        const s = make();
        const map = s.getMap();
        s.register(r, EVENT_READ);
        s.close();
        s.close();
        assert.throws(() => s.getKey(r), RuntimeError);
        assert.throws(() => s.unregister(r), KeyError);
        assert.throws(() => s.modify(r, EVENT_WRITE), KeyError);
        assert.equal(s.getMap(), map);
        assert.equal(map.size, 0);
      }));
  });
}
