/**
 * Waiting for finalizers: whether an fd is open, and forced garbage collections
 * (with a turn of the event loop after each, where FinalizationRegistry callbacks
 * run) until a condition holds.
 *
 * @module
 */
import { getBlocking } from "../../os/mod.ts";
import { collectGarbage } from "./resources.ts";

/** Whether `fd` is open in this process (fcntl succeeds on it). */
export function isOpen(fd: number): boolean {
  try {
    getBlocking(fd);
    return true;
  } catch {
    return false;
  }
}

/** Collects garbage until `done()` holds; `false` if it still does not after 200 rounds. */
export async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let round = 0; round < 200; round++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (done()) return true;
  }
  return false;
}
