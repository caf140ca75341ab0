// Shared by the selectors tests: the classes under test, fd limits, cleanup.
import { execFileSync } from "node:child_process";
import {
  type BaseSelectorImpl,
  DefaultSelector,
  EpollSelector,
  PollSelector,
  SelectSelector,
} from "../selectors/mod.ts";

/** Makes a fresh selector. */
export type Factory = () => BaseSelectorImpl<unknown>;

/** [name, factory, scalable (beyond FD_SETSIZE)] for each selector class here. */
export const SELECTORS: [string, Factory, boolean][] = [
  ["SelectSelector", () => new SelectSelector(), false],
  ["PollSelector", () => new PollSelector(), true],
  ...(process.platform === "linux"
    ? [["EpollSelector", () => new EpollSelector(), true] as [string, Factory, boolean]]
    : []),
  ["DefaultSelector", () => new DefaultSelector(), true],
];

/** This process's RLIMIT_NOFILE, as a child shell inherits it. */
export function fdLimits(): { soft: number; hard: number } {
  const out = execFileSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" });
  const [soft, hard] = out.trim().split("\n").map((line) =>
    line === "unlimited" ? 2 ** 20 : Number(line)
  );
  return { soft: soft!, hard: hard! };
}

/**
 * Runs `body` with a `defer` that queues cleanups, run in reverse order even when
 * the body throws (the tests run on runtimes without `using`).
 */
export function withCleanup(body: (defer: (...fns: (() => void)[]) => void) => void): void {
  const cleanups: (() => void)[] = [];
  try {
    body((...fns) => cleanups.push(...fns));
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        fn();
      } catch {
        // one failed cleanup must not keep the others from running
      }
    }
  }
}
