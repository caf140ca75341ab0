/**
 * Python's exceptions that carry no errno: {@linkcode KeyError}, {@linkcode ValueError}
 * and {@linkcode RuntimeError}, raised for a bad argument or a bad state rather than
 * for a failed system call. A file of their own beside `errors.ts`, which holds
 * `OSError` and the subclasses its errno picks, and which re-exports these three so
 * that every entry point exports every exception.
 *
 * @module
 */

/**
 * A file descriptor or file object that is not registered (or, in `selectors`,
 * one that already is). `key` holds what Python's `KeyError` holds in `args[0]`:
 * the fd itself for `Poll.unregister`, the message for `selectors`.
 *
 * @example Unregistering an fd that `poll` does not watch
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeyError } from "@iomux/iomux";
 * import { poll } from "@iomux/iomux/select";
 *
 * assert.throws(() => poll().unregister(12345), (e) => e instanceof KeyError && e.key === 12345);
 * ```
 */
export class KeyError extends Error {
  /** The missing key (Python's `args[0]`). */
  readonly key: unknown;
  /**
   * Builds the error for a missing (or duplicate) key.
   *
   * @param key The missing key, or a message naming it.
   * @param options Standard error options (`cause`).
   */
  constructor(key: unknown, options?: ErrorOptions) {
    super(String(key), options);
    this.key = key;
    this.name = "KeyError";
  }
}

/**
 * A bad value: a negative fd, an fd out of range for `select`, a bad event mask, a
 * NaN timeout, an operation on a closed `Epoll` or `Kqueue`.
 *
 * @example A negative timeout for `select`
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValueError } from "@iomux/iomux";
 * import { select } from "@iomux/iomux/select";
 *
 * assert.throws(() => select([], [], [], -1), new ValueError("timeout must be non-negative"));
 * ```
 */
export class ValueError extends Error {
  /**
   * Builds the error from a message.
   *
   * @param message What was wrong with the value.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ValueError";
  }
}

/**
 * `getKey` on a closed selector, or a second concurrent `Poll.poll`.
 *
 * @example `getKey` on a closed selector
 * ```ts
 * import assert from "node:assert/strict";
 * import { RuntimeError } from "@iomux/iomux";
 * import { DefaultSelector } from "@iomux/iomux/selectors";
 *
 * const sel = new DefaultSelector();
 * sel.close();
 * assert.throws(() => sel.getKey(0), new RuntimeError("Selector is closed"));
 * ```
 */
export class RuntimeError extends Error {
  /**
   * Builds the error from a message.
   *
   * @param message What went wrong.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeError";
  }
}
