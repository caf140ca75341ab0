/**
 * {@linkcode DefaultSelector}: the best selector the platform supports, chosen as
 * CPython's `Lib/selectors.py` does (kqueue, epoll, poll, select), by what the
 * platform has rather than by whether one attempt happened to work.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { nativeKqueue } from "../select/kqueue.ts";
import { poll } from "../select/poll.ts";
import { WINDOWS } from "../select/_internal.ts";
import { abi } from "../ffi/abi.ts";
import { EpollSelector } from "./epoll_selector.ts";
import { BaseSelectorImpl } from "./impl.ts";
import { KqueueSelector } from "./kqueue_selector.ts";
import type { SelectorKey } from "./key.ts";
import { PollSelector } from "./poll_selector.ts";
import { SelectSelector } from "./select_selector.ts";

const LINUX = abi.os === "linux";

// deno-lint-ignore no-explicit-any
type SelectorClass = new () => BaseSelectorImpl<any>;

/** A mechanism `DefaultSelector` may pick. */
interface Mechanism {
  readonly selector: SelectorClass;
  /** Whether the platform has it at all, known without a system call. */
  readonly present: boolean;
  /** Proves it works where making the selector would not (`_can_use('poll')`). */
  readonly probe?: () => void;
}

/**
 * CPython's order: kqueue, epoll, (devpoll,) poll, and select, which every
 * platform has. kqueue counts only where it is the kernel's: on Linux, a
 * libkqueue loaded from `IOMUX_KQUEUE_LIB` is an emulation over epoll, so epoll
 * stays the default there.
 */
const MECHANISMS: readonly Mechanism[] = [
  { selector: KqueueSelector, present: nativeKqueue },
  // epoll exists only on Linux (`select/epoll.ts` refuses elsewhere with ENOSYS).
  { selector: EpollSelector, present: LINUX },
  // Windows Python has no select.poll, so CPython's _can_use('poll') is False there;
  // iomux's WSAPoll-based PollSelector exists but is never the default.
  { selector: PollSelector, present: !WINDOWS, probe: () => void poll().poll(0) },
  { selector: SelectSelector, present: true },
];

/** The class that made a selector here: the choice, final once made. */
let chosen: SelectorClass | undefined;
/** Mechanisms that answered "not implemented": the kernel or libc lacks them for good. */
const missing = new Set<SelectorClass>();

/**
 * Whether `error` says the mechanism does not exist here, rather than that it
 * failed this once. ENOSYS is what a kernel says of a system call it lacks (and
 * what iomux says of a mechanism libc lacks); EPERM is what a seccomp sandbox
 * says of one it forbids: neither `epoll_create1(2)` nor `kqueue(2)` gives either
 * for a passing reason. EMFILE, ENFILE, ENOMEM and the rest pass and are raised,
 * as `EpollSelector()` raises them in CPython.
 */
function isAbsent(error: unknown): boolean {
  return error instanceof OSError && (error.code === "ENOSYS" || error.code === "EPERM");
}

/** The mechanism to try next: the chosen one, else the first not known to be missing. */
function candidate(): SelectorClass {
  if (chosen !== undefined) return chosen;
  for (const mechanism of MECHANISMS) {
    if (mechanism.present && !missing.has(mechanism.selector)) return mechanism.selector;
  }
  return SelectSelector;
}

/**
 * Points `DefaultSelector`'s prototype and statics at `selector`, so that a
 * subclass of `DefaultSelector` inherits the methods of the mechanism.
 */
function adopt(selector: SelectorClass): void {
  if (Object.getPrototypeOf(DefaultSelector.prototype) !== selector.prototype) {
    Object.setPrototypeOf(DefaultSelector.prototype, selector.prototype);
    Object.setPrototypeOf(DefaultSelector, selector);
  }
}

/**
 * Makes a selector of the best mechanism for `newTarget` (`DefaultSelector`
 * itself, or a subclass of it). Mechanisms that turn out to be missing are
 * skipped for good; any other error propagates and decides nothing.
 */
function construct(newTarget: SelectorClass): BaseSelectorImpl<unknown> {
  // deno-lint-ignore no-explicit-any
  const own = newTarget === (DefaultSelector as any);
  if (chosen !== undefined) return Reflect.construct(chosen, [], own ? chosen : newTarget);
  for (const mechanism of MECHANISMS) {
    const selector = mechanism.selector;
    if (!mechanism.present || missing.has(selector)) continue;
    adopt(selector);
    try {
      mechanism.probe?.();
      const made = Reflect.construct(selector, [], own ? selector : newTarget);
      chosen = selector;
      return made;
    } catch (error) {
      if (!isAbsent(error)) throw error;
      missing.add(selector);
    }
  }
  throw new Error("unreachable: SelectSelector is always present");
}

/** The members of {@linkcode DefaultSelector} instances: those of the chosen class. */
export interface DefaultSelector<T = unknown> extends BaseSelectorImpl<T> {
  /** Waits until some registered file objects are ready (see `BaseSelector.select`). */
  select(timeout?: number | null): [SelectorKey<T>, number][];
  /** The epoll or kqueue fd, on the selectors that have one. */
  fileno?(): number;
}

/**
 * The most efficient selector that works here: `EpollSelector` on Linux,
 * `KqueueSelector` on macOS and the BSDs, else `PollSelector`, else
 * `SelectSelector`. `new DefaultSelector()` makes an instance of that class
 * (Python's `DefaultSelector` is that class); `instanceof`, `name` and
 * subclassing follow it.
 *
 * The class is picked on the first `new DefaultSelector()`, not at import (so
 * importing makes no system call), by what the platform has: a mechanism the
 * kernel or libc lacks (ENOSYS, or EPERM from a sandbox that forbids it) is
 * skipped for good, but a failure that passes, such as EMFILE when the fd table
 * is full, is thrown as the `OSError` it is and decides nothing: the next
 * `new DefaultSelector()` tries the best mechanism again.
 *
 * @typeParam T The type of the data attached to each key.
 *
 * @example The best selector of the platform
 * ```ts
 * import assert from "node:assert/strict";
 * import { DefaultSelector, EpollSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new DefaultSelector<string>();
 * if (Deno.build.os === "linux") assert.ok(sel instanceof EpollSelector);
 * sel.register(r, EVENT_READ, "wake-up pipe");
 * write(w, new Uint8Array([1]));
 * assert.deepEqual(sel.select(1).map(([key]) => key.data), ["wake-up pipe"]);
 * close(r);
 * close(w);
 * ```
 */
export class DefaultSelector<T = unknown> {
  /**
   * Makes a selector of the chosen class.
   *
   * @throws {OSError} The mechanism failed (EMFILE: the fd table is full).
   */
  constructor() {
    return construct(new.target) as DefaultSelector<T>;
  }

  /**
   * `x instanceof DefaultSelector` is `x instanceof` the chosen class (for a
   * subclass of `DefaultSelector`, the ordinary prototype test).
   *
   * @param value Anything.
   * @returns Whether `value` is an instance.
   *
   * @example What DefaultSelector makes is a DefaultSelector
   * ```ts
   * import { DefaultSelector } from "@iomux/iomux/selectors";
   * using sel = new DefaultSelector();
   * console.log(sel instanceof DefaultSelector); // true
   * ```
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DefaultSelector) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value instanceof BaseSelectorImpl && value instanceof candidate();
  }
}

Object.defineProperty(DefaultSelector, "name", { get: () => candidate().name });
// What the platform has is known without a system call, so the prototype chain
// (`DefaultSelector.prototype.selectAsync`, a subclass's methods) is complete
// before the first selector is made.
adopt(candidate());

/**
 * The type of the {@linkcode DefaultSelector} value, a class constructor (kept
 * from when `DefaultSelector` was not a class declaration).
 */
export type DefaultSelectorConstructor = typeof DefaultSelector;
