/**
 * Exact error assertions: the class (by `instanceof` and by name) and the message or
 * errno code, as CPython's tests check them.
 *
 * @module
 */
import assert from "node:assert/strict";

/** A class of error, checked by `instanceof` and by name. */
// deno-lint-ignore no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/** Asserts that `fn` throws exactly `Class` (by `instanceof` and `name`) with `message`. */
export function assertRaises(fn: () => unknown, Class: ErrorClass, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).name, Class.name);
    assert.equal((e as Error).message, message);
    return true;
  });
}

/** Asserts that `fn` throws an OSError-like error with `errno` and `code`. */
export function assertErrno(fn: () => unknown, Class: ErrorClass, code: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).name, Class.name);
    assert.equal((e as unknown as { code: string }).code, code);
    return true;
  });
}
