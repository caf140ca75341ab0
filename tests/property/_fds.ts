/**
 * The fd set-up every property-test suite shares: a process fd table grown past
 * 1,023, and fds 1000–1023 kept closed, so that the suites can pass them as
 * "never opened" fds that are still below FD_SETSIZE.
 */
import { after, before } from "node:test";
import { close, O_RDONLY, open, pipe, write } from "../../os/mod.ts";
import { isOpen } from "../_kit/fds.ts";

/** The fds the suites rely on being closed. */
const GUARD_FDS: readonly number[] = Array.from({ length: 24 }, (_, i) => 1000 + i);

/** Throws unless every guard fd is closed. */
export function assertGuardsClosed(): void {
  assertClosed(GUARD_FDS, isOpen);
}

/**
 * Grows the fd table past 1,023 (so that Linux `select()` reports a closed fd as
 * EBADF, not as ready, whatever ran before) and checks the guard fds are closed.
 */
export function prepareFdTable(): void {
  growFdTable(() => open("/dev/null", O_RDONLY), close);
  assertGuardsClosed();
}

/** The two ends of the pipe a suite passes as its ready fds. */
export interface ReadyPipe {
  r: number;
  w: number;
}

/** A pipe's ends, -1 until {@linkcode useReadyPipe}'s `before` has run. */
export function readyPipe(): ReadyPipe {
  return { r: -1, w: -1 };
}

/**
 * For the suite `describe` it is called in: the fd table prepared, and `ends` set to
 * a pipe with one byte in it (its read end readable, its write end writable), closed
 * after the suite.
 */
export function useReadyPipe(ends: ReadyPipe): void {
  before(() => {
    prepareFdTable();
    [ends.r, ends.w] = pipe();
    write(ends.w, new Uint8Array([1]));
  });
  after(() => {
    close(ends.r);
    close(ends.w);
  });
}

/**
 * Grows this process's fd table past 1023 by opening fds up to that number and
 * closing them. Linux's select(2) ignores the bits of fds beyond the table and
 * hands them back as ready (CPython then reports a closed fd 1000 as ready);
 * with the table grown, such an fd fails with EBADF whatever ran before.
 */
export function growFdTable(openDevNull: () => number, closeFd: (fd: number) => void): void {
  const opened: number[] = [];
  try {
    for (;;) {
      const fd = openDevNull();
      opened.push(fd);
      if (fd >= 1023) break;
    }
  } finally {
    for (const fd of opened) closeFd(fd);
  }
}

/** Asserts that every fd in `fds` is closed here (so a test may use it as a "bad" fd). */
export function assertClosed(fds: Iterable<number>, isOpen: (fd: number) => boolean): void {
  for (const fd of fds) {
    if (isOpen(fd)) throw new Error(`fd ${fd} is open; the fuzz tests need it closed`);
  }
}
