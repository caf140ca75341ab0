/**
 * Helpers of the CPython-semantics suites of the selectors (semantics_test.ts and
 * selector_specifics_test.ts): an error's class name and message, and a pipe around a
 * test body with deferred cleanups.
 *
 * @module
 */
import { close, pipe } from "../../os/mod.ts";
import { withCleanup } from "../_kit/selectors.ts";

/** The class name and message of what `fn` throws; throws if it does not. */
export function messageOf(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    return [(error as Error).name, (error as Error).message];
  }
  throw new Error("did not throw");
}

/** Runs `body` on a fresh pipe, closed after, with `defer` as {@linkcode withCleanup}'s. */
export function withPipeAndCleanup(
  body: (r: number, w: number, defer: (...fns: (() => void)[]) => void) => void,
): void {
  withCleanup((defer) => {
    const [r, w] = pipe();
    defer(() => close(r), () => close(w));
    body(r, w, (...fns) => defer(...fns));
  });
}
