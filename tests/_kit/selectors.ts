// Shared by the selectors tests: the classes under test, a throwaway instance, fd limits,
// cleanup.
import { execFileSync } from "node:child_process";
import process from "node:process";
import {
  type BaseSelectorImpl,
  DefaultSelector,
  EpollSelector,
  KqueueSelector,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import { kqueueUnavailable } from "./kqueue.ts";

/** Makes a fresh selector. */
export type Factory = () => BaseSelectorImpl<unknown>;

/** [name, factory, scalable (beyond FD_SETSIZE)] for each selector class here. */
export const SELECTORS: [string, Factory, boolean][] = [
  ["SelectSelector", () => new SelectSelector(), false],
  ["PollSelector", () => new PollSelector(), true],
  ...(process.platform === "linux"
    ? [["EpollSelector", () => new EpollSelector(), true] as [string, Factory, boolean]]
    : []),
  // Native on macOS/FreeBSD; on Linux only when IOMUX_KQUEUE_LIB names libkqueue.
  ...(kqueueUnavailable === false
    ? [["KqueueSelector", () => new KqueueSelector(), true] as [string, Factory, boolean]]
    : []),
  ["DefaultSelector", () => new DefaultSelector(), true],
];

/** One throwaway instance, to decide skips by class. */
export function s0(make: Factory): BaseSelectorImpl {
  const s = make();
  s.close();
  return s;
}

/** This process's RLIMIT_NOFILE, as a child shell inherits it. */
export function fdLimits(): { soft: number; hard: number } {
  const out = execFileSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" });
  const [soft, hard] = out.trim().split("\n").map((line) =>
    line === "unlimited" ? 2 ** 20 : Number(line)
  );
  return { soft: soft!, hard: hard! };
}

/**
 * Raises the soft RLIMIT_NOFILE to the hard one, as test_above_fd_setsize does
 * (an unprivileged change, made with util-linux's `prlimit` on this process since
 * iomux has no setrlimit). Returns the function that restores the old limit; both
 * do nothing where `prlimit` is missing or refuses.
 */
export function raiseFdLimit(): () => void {
  const { soft, hard } = fdLimits();
  const set = (value: number) => {
    try {
      execFileSync("prlimit", ["--pid", String(process.pid), `--nofile=${value}:${hard}`], {
        stdio: "ignore",
      });
    } catch {
      // no prlimit here: the test uses the soft limit as it is
    }
  };
  if (soft >= hard) return () => {};
  set(Math.min(hard, 2 ** 20));
  return () => set(soft);
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
