/**
 * {@linkcode DefaultSelector}: the best selector the platform supports, chosen as
 * CPython's `_can_use` does (reference §6.8).
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { Epoll } from "../select/epoll.ts";
import { kqueue, nativeKqueue } from "../select/kqueue.ts";
import { poll } from "../select/poll.ts";
import { EpollSelector } from "./epoll_selector.ts";
import type { BaseSelectorImpl } from "./impl.ts";
import { KqueueSelector } from "./kqueue_selector.ts";
import type { SelectorKey } from "./key.ts";
import { PollSelector } from "./poll_selector.ts";
import { SelectSelector } from "./select_selector.ts";

/** A mechanism `DefaultSelector` may pick, with the probe that proves it works here. */
interface Candidate {
  /** Makes and releases the primitive once; throws OSError when it does not work. */
  probe(): void;
  // deno-lint-ignore no-explicit-any
  selector: new () => BaseSelectorImpl<any>;
}

/**
 * CPython's order: kqueue, epoll, (devpoll,) poll; select when none works.
 * kqueue counts only where it is the kernel's: on Linux, a libkqueue loaded from
 * `IOMUX_KQUEUE_LIB` is an emulation over epoll, so epoll stays the default there.
 */
const CANDIDATES: readonly Candidate[] = [
  {
    probe: () => {
      if (!nativeKqueue) throw new OSError("kqueue is not the kernel's here");
      kqueue().close();
    },
    selector: KqueueSelector,
  },
  { probe: () => new Epoll().close(), selector: EpollSelector },
  { probe: () => void poll().poll(0), selector: PollSelector },
];

/** Failures that say "not now" rather than "not here". */
const OUT_OF_RESOURCES: ReadonlySet<string> = new Set(["EMFILE", "ENFILE", "ENOMEM"]);

// deno-lint-ignore no-explicit-any
let chosen: (new () => BaseSelectorImpl<any>) | undefined;

/** `_can_use` over the candidates, once: OSError means "not here" (but for EMFILE, ENFILE, ENOMEM), anything else propagates. */
// deno-lint-ignore no-explicit-any
function pick(): new () => BaseSelectorImpl<any> {
  if (chosen !== undefined) return chosen;
  for (const candidate of CANDIDATES) {
    try {
      candidate.probe();
    } catch (error) {
      // Lib/selectors.py's _can_use runs at import; iomux picks on first use, which
      // may come when the process is out of fds or memory: that is an error to
      // report, not a sign that the mechanism is missing (a silent, permanent
      // downgrade to poll or select).
      if (error instanceof OSError && !OUT_OF_RESOURCES.has(error.code ?? "")) continue;
      throw error;
    }
    return chosen = candidate.selector;
  }
  return chosen = SelectSelector;
}

/** The instance type of {@linkcode DefaultSelector}: the chosen class's. */
export interface DefaultSelector<T = unknown> extends BaseSelectorImpl<T> {
  /** Waits until some registered file objects are ready (see `BaseSelector.select`). */
  select(timeout?: number | null): [SelectorKey<T>, number][];
  /** The epoll or kqueue fd, on the selectors that have one. */
  fileno?(): number;
}

/** The type of the {@linkcode DefaultSelector} value: a class constructor. */
export interface DefaultSelectorConstructor {
  /** Makes a selector of the chosen class. */
  new <T = unknown>(): DefaultSelector<T>;
  /** The chosen class's prototype. */
  readonly prototype: DefaultSelector<unknown>;
}

/**
 * The most efficient selector that works here: `EpollSelector` on Linux,
 * `KqueueSelector` on macOS and the BSDs, else `PollSelector`, else
 * `SelectSelector`. Each mechanism is tried for real (as CPython's `_can_use`),
 * once, on the first `new DefaultSelector()` rather than at import, so that
 * importing makes no system call. `instanceof`, `name` and subclassing follow the
 * chosen class.
 *
 * @example
 * ```ts
 * import { DefaultSelector, EpollSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * using sel = new DefaultSelector<string>();
 * if (Deno.build.os === "linux") console.log(sel instanceof EpollSelector); // true
 * sel.register(r, EVENT_READ, "wake-up pipe");
 * write(w, new Uint8Array([1]));
 * for (const [key] of sel.select(1)) console.log(key.data); // "wake-up pipe"
 * close(r);
 * close(w);
 * ```
 */
export const DefaultSelector: DefaultSelectorConstructor = new Proxy(
  function DefaultSelector() {} as unknown as DefaultSelectorConstructor,
  {
    construct(_target, args, newTarget) {
      const cls = pick();
      return Reflect.construct(cls, args, newTarget === DefaultSelector ? cls : newTarget);
    },
    get(_target, property) {
      return Reflect.get(pick(), property);
    },
    has(_target, property) {
      return Reflect.has(pick(), property);
    },
  },
);
