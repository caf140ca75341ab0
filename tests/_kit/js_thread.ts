/**
 * Finds the thread that runs JS, so that signals can be aimed at it. Under
 * `deno test` JS does not run on the process's main thread, and a signal sent to
 * the pid interrupts the main thread only (see tests/select/eintr_test.ts). The JS thread
 * is the one blocked in `poll(…, markerMs)` while a child scans
 * /proc/<pid>/task/<tid>/syscall (poll is syscall 7 on x86_64; aarch64 has only
 * ppoll, 73).
 */
import process from "node:process";
import { close, pipe, read } from "../../os/mod.ts";
import { poll, POLLIN } from "../../select/mod.ts";
import { spawnShell } from "./select.ts";

/**
 * The JS thread's id, or `null` when the child could not tell (no /proc, or the
 * thread was not seen blocked).
 *
 * @param markerMs A poll timeout no other thread is likely to be waiting with.
 */
export async function findJsThread(markerMs: number): Promise<number | null> {
  const pid = process.pid;
  const marker = `0x${markerMs.toString(16)}`;
  const [r, w] = pipe();
  const child = spawnShell(
    `sleep 0.1; for t in /proc/${pid}/task/*; do ` +
      `read -r nr a b c rest < "$t/syscall" 2>/dev/null || continue; ` +
      `case "$nr $c" in "7 ${marker}"|"73 ${marker}") echo "\${t##*/}";; esac; done`,
    w,
  );
  close(w);
  try {
    const p = poll();
    p.register(r, POLLIN);
    p.poll(markerMs);
    const tid = Number(new TextDecoder().decode(read(r, 64)).trim());
    await child.exited;
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } finally {
    close(r);
  }
}
