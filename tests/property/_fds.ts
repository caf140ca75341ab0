/**
 * The fd set-up every property-test suite shares: a process fd table grown past
 * 1,023, and fds 1000–1023 kept closed, so that the suites can pass them as
 * "never opened" fds that are still below FD_SETSIZE.
 */
import { close, O_RDONLY, open } from "../../os/mod.ts";
import { isOpen } from "../_kit/fds.ts";
import { assertClosed, growFdTable } from "./_parity.ts";

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
