/**
 * A pty relay on web streams: a program runs on a new pseudo-terminal and two
 * `pipeTo()` calls copy the bytes, your input to its terminal and its terminal's
 * output back, each with backpressure (`readable`/`writable` from `./watch`). The
 * relay ends once the program has exited and its output is drained (the master's
 * EIO ends its stream), and exits with the program's code. The same file runs on
 * Deno, Node and Bun.
 *
 *     deno run --allow-ffi --allow-env examples/pty_relay.ts /bin/sh -i
 *     node examples/pty_relay.js /bin/sh -i      (from the npm build)
 *
 * The program is given by its full path (`/bin/sh`, not `sh`); without one it is
 * `$SHELL`, or `/bin/sh`. On a terminal, yours goes into raw mode while the relay
 * runs (so Ctrl-C reaches the program) and is restored at the end.
 * `examples/pty_shell.ts` does the same on one `selectAsync` loop, and also follows
 * window size changes.
 *
 * @module
 */
import process from "node:process";
import {
  close,
  getBlocking,
  isatty,
  setBlocking,
  spawnPty,
  waitpid,
  waitstatusToExitcode,
} from "../os/mod.ts";
import { setraw, tcgetwinsize, TCSAFLUSH, tcsetattr } from "../termios/mod.ts";
import { readable, writable } from "../watch/mod.ts";

/** Signals the program gets back at their default action (Node ignores SIGPIPE). */
const SIGINT = 2;
const SIGPIPE = 13;

/**
 * Runs `argv` (`argv[0]` a full path) on a new pty, relays `input` to it and its
 * output to `output` until it has exited and its output is drained, and resolves
 * with its exit code. `input` and `output` are left open, blocking as they were.
 */
export async function relayPty(
  argv: readonly string[],
  input: number,
  output: number,
): Promise<number> {
  const winsize = isatty(output) ? tcgetwinsize(output) : undefined;
  const [pid, master] = spawnPty(argv[0]!, argv, null, {
    ...(winsize === undefined ? {} : { winsize }),
    setsigdef: [SIGINT, SIGPIPE],
  });
  const blocking = [getBlocking(input), getBlocking(output)] as const;
  const saved = isatty(input) ? setraw(input) : null;
  const stopTyping = new AbortController();
  try {
    // Your input to the program. The end of your input does not end the program
    // (preventClose); the relay stops reading it when the program is gone.
    const typed = readable(input)
      .pipeTo(writable(master), { preventClose: true, signal: stopTyping.signal })
      .catch((error) => {
        if (!stopTyping.signal.aborted) throw error;
      });
    // The program's output to yours, to its end: EIO, once it has exited.
    await readable(master).pipeTo(writable(output), { preventClose: true });
    stopTyping.abort();
    await typed;
  } finally {
    stopTyping.abort();
    if (saved !== null) tcsetattr(input, TCSAFLUSH, saved);
    setBlocking(input, blocking[0]);
    setBlocking(output, blocking[1]);
    close(master);
  }
  return waitstatusToExitcode(waitpid(pid, 0)[1]);
}

if (import.meta.main || process.argv[1]?.endsWith("pty_relay.js")) {
  const args = "Deno" in globalThis ? Deno.args : process.argv.slice(2);
  const argv = args.length > 0 ? [...args] : [process.env.SHELL ?? "/bin/sh", "-i"];
  if (!argv[0]!.startsWith("/")) {
    console.error(`usage: pty_relay.ts /full/path/to/program [args...] (not ${argv[0]})`);
    process.exit(2);
  }
  process.exit(await relayPty(argv, 0, 1));
}
