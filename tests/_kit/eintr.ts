/**
 * Real signals for the PEP 475 suites (the idea of CPython's Lib/test/_test_eintr.py:
 * a child process signals this one while it blocks), and the evidence that a signal
 * really interrupted the wait under test, so that no EINTR test can pass without
 * exercising the retry.
 *
 * SIGWINCH, because its default action is to ignore it, so a late one harms nothing:
 * SIGUSR1 starts the inspector of Deno and Node, and Node 26's test runner writes a
 * diagnostic report per SIGUSR2. A JS listener must be installed, or the ignored
 * signal interrupts nothing: the runtime's C handler interrupts the system call, the
 * JS listener runs later, once the thread is free.
 *
 * The signal is aimed at the thread that runs JS. Under `deno test` that is not the
 * process's main thread, and a signal sent to the pid interrupts the main thread only
 * (measured: 3 EINTR in 800 short polls, against 8,445 in 10,478 when aimed at the JS
 * thread). `kill(tid)` still makes a process-wide signal, but the kernel offers it to
 * that thread first.
 *
 * Two kinds of evidence, both read by the test: a count of the libc calls that came
 * back with EINTR (the real call, counted on its way back), and the system call the
 * thread was blocked in at each signal, read from /proc/<pid>/task/<tid>/syscall by
 * the signalling child just before it sends the signal. The second one is what a
 * restartable call needs (`read`, `recv`, `accept`: a runtime that installs its handler
 * with SA_RESTART has the kernel restart them without EINTR reaching libc).
 *
 * Finding the JS thread and the system call numbers are in `js_thread.ts`, the EINTR
 * count and each selector's premise in `eintr_evidence.ts`; this file signals and
 * judges.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before } from "node:test";
import { type Child, spawnShell } from "./child.ts";
import { countEintr, type Premise } from "./eintr_evidence.ts";
import { findJsThread, procShowsNative, syscallNumbers } from "./js_thread.ts";
import { sleep } from "./time.ts";

/** The thread a suite signals, and the signals its listener has seen. */
export interface SignalTarget {
  /** The JS thread's id; the pid until `before` has run, or where it was not found. */
  tid: number;
  /** Whether the JS thread was found (so the premise checks can hold). */
  found: boolean;
  /**
   * Whether /proc shows this architecture's system call numbers, so that a signaller's
   * `states` say which call the thread was in (not so under qemu-user emulation).
   */
  readableStates: boolean;
  /** SIGWINCH signals the JS listener has handled. */
  delivered: number;
}

/**
 * Installs the suite's SIGWINCH listener and finds the JS thread (in `before`), and
 * removes the listener (in `after`). Call it inside a `describe`.
 *
 * @param marker The `nfds` marker for {@linkcode findJsThread}, one per suite.
 */
export function useSignalTarget(marker: number): SignalTarget {
  const target: SignalTarget = {
    tid: process.pid,
    found: false,
    readableStates: false,
    delivered: 0,
  };
  const onSignal = () => {
    target.delivered++;
  };
  before(async () => {
    process.on("SIGWINCH", onSignal);
    const tid = await findJsThread(marker);
    target.found = tid !== null;
    target.tid = tid ?? process.pid;
    target.readableStates = procShowsNative();
  });
  after(() => {
    process.off("SIGWINCH", onSignal);
    if (reports !== undefined) rmSync(reports, { recursive: true, force: true });
    reports = undefined;
  });
  return target;
}

let reports: string | undefined;
let reportCount = 0;

/** A signalling child, and what the thread was doing at each of its signals. */
export interface Signaller extends Child {
  /**
   * After the child exits: per signal, the system call number the thread was blocked
   * in just before it, or "running" / "?" (no /proc).
   */
  states(): Promise<string[]>;
}

/**
 * A child that sends SIGWINCH to `tid` `count` times, `gapMs` apart (later while the
 * thread is still running code, up to 1 s), reading the thread's /proc syscall line
 * before each one, then runs `then` (a shell command, its stdout on `stdoutFd`: e.g.
 * `echo x` into the pipe the test reads).
 */
export function signaller(
  tid: number,
  options: { count?: number; gapMs?: number; then?: string; stdoutFd?: number } = {},
): Signaller {
  const { count = 3, gapMs = 200, then = "", stdoutFd } = options;
  reports ??= mkdtempSync(join(tmpdir(), "iomux-eintr-"));
  const report = join(reports, `signals-${reportCount++}`);
  // Each signal waits (up to 1 s more) while the thread is still running code rather
  // than blocked in a call: under emulation, or on a loaded machine, code that runs
  // for the first time can take longer than the gap to reach the wait under test.
  const child = spawnShell(
    `i=0; while [ $i -lt ${count} ]; do sleep ${gapMs / 1000}; s='?'; j=0; ` +
      `while read -r s rest < /proc/$0/task/$1/syscall 2>/dev/null && ` +
      `[ "$s" = running ] && [ $j -lt 50 ]; do sleep 0.02; j=$((j + 1)); done; ` +
      `kill -WINCH $1 || exit 1; echo "$s" >> "$2"; i=$((i + 1)); done; ${then}`,
    stdoutFd ?? "ignore",
    String(process.pid),
    String(tid),
    report,
  );
  return {
    ...child,
    async states() {
      await child.exited;
      try {
        return readFileSync(report, "utf8").trim().split("\n");
      } finally {
        rmSync(report, { force: true });
      }
    },
  };
}

/** What the signals did to one blocking call. */
export interface Interrupted<T> {
  /** What the call returned, or the error it threw. */
  result: T | unknown;
  /** How long it took, ms. */
  elapsed: number;
  /** Calls of the counted libc functions that came back with EINTR. */
  eintr: number;
  /** The system call the thread was in at each signal (see {@linkcode Signaller}). */
  states: string[];
}

/**
 * Runs the blocking `call` while `signaller` signals `target`; asserts that the
 * signals reached the process, and tells whether the premise held: the wait really
 * was interrupted (a counted libc function returned EINTR, or, `blockedSuffices`, the
 * thread was blocked in one of `waits` when a signal came). For a test that retries
 * an attempt whose single signal missed; {@linkcode interrupted} asserts the premise.
 */
export async function observe<T>(
  target: SignalTarget,
  call: () => T,
  premise: Premise,
  signals: Signaller = signaller(target.tid),
): Promise<Interrupted<T> & { premiseHeld: boolean; why: string }> {
  const before = target.delivered;
  const spy = countEintr(...premise.counted);
  let result: T | unknown;
  const start = performance.now();
  try {
    result = call();
  } catch (error) {
    result = error;
  } finally {
    spy.restore();
  }
  const elapsed = performance.now() - start;
  assert.equal(await signals.exited, 0, "the signalling child failed");
  const states = await signals.states();
  // The runtime hands the signals to the JS listener once the thread is free.
  for (let i = 0; i < 100 && target.delivered === before; i++) await sleep(10);
  assert.ok(target.delivered > before, "no signal reached the process");
  const numbers = premise.waits.flatMap(syscallNumbers).map(String);
  const inWait = states.some((s) => numbers.includes(s));
  const eintr = spy.count();
  const premiseHeld = eintr > 0 || (premise.blockedSuffices === true && inWait);
  const why = `premise: the wait was not interrupted (EINTR returns: ${eintr}; errno of each ` +
    `-1: ${spy.failures().join(", ") || "none"}; syscall at each signal: ${states.join(", ")}; ` +
    `expected one of ${numbers.join(", ")}; the call gave ${String(result)}` +
    `${target.readableStates ? "" : "; /proc shows another architecture's numbers here"})`;
  return { result, elapsed, eintr, states, premiseHeld, why };
}

/**
 * Runs the blocking `call` while `signaller` signals `target`, and asserts the premise:
 * the signals reached the process, and the wait really was interrupted (see
 * {@linkcode observe}). Returns what happened for the test's own checks.
 */
export async function interrupted<T>(
  target: SignalTarget,
  call: () => T,
  premise: Premise,
  signals: Signaller = signaller(target.tid),
): Promise<Interrupted<T>> {
  const { premiseHeld, why, ...outcome } = await observe(target, call, premise, signals);
  assert.ok(premiseHeld, why);
  return outcome;
}

/**
 * Whether `target` can be signalled as the tests need; else marks the test skipped
 * (where no child can find the JS thread, the pid's signals may miss it, and the
 * test could not exercise the retry). With a `blockedSuffices` premise, also whether the
 * signaller's states can be read: under qemu-user /proc shows the host's system call
 * numbers, so which call the thread was blocked in cannot be told there.
 */
export function canSignal(
  target: SignalTarget,
  t: { skip(message?: string): void },
  premise?: Premise,
): boolean {
  if (!target.found) {
    t.skip("the JS thread cannot be found here (no /proc), and the pid's signals may miss it");
    return false;
  }
  if (premise?.blockedSuffices === true && !target.readableStates) {
    t.skip(
      "/proc shows another architecture's system call numbers (user-mode emulation): " +
        "the premise of a restartable wait cannot be read",
    );
    return false;
  }
  return true;
}

/**
 * Asserts that a wait of `timeoutMs` under {@linkcode signaller}'s three signals kept
 * its deadline (PEP 475, CPython's Modules/selectmodule.c retry loops): no shorter,
 * and not restarted with its whole timeout, which would last past the bound (the
 * last signal comes at 0.6 s: a restart of a 1 s wait would end at 1.6 s).
 */
export function assertKeptDeadline(outcome: Interrupted<unknown>, timeoutMs: number): void {
  const { elapsed, result } = outcome;
  assert.ok(elapsed >= timeoutMs - 5, `returned early, after ${elapsed} ms: ${String(result)}`);
  assert.ok(elapsed < timeoutMs + 500, `deadline extended: ${elapsed} ms`);
}
