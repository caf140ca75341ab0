/**
 * A terminal relay, like `script(1)` or an SSH server's session: an interactive
 * shell runs on a new pty, this program copies your keystrokes to it and its output
 * back, keeps its window size in step with yours, and exits with the shell's code.
 *
 *     deno run --allow-ffi --allow-env examples/pty_shell.ts [program args…]
 *
 * Your terminal goes into raw mode (so Ctrl-C, arrows and tab completion reach the
 * shell rather than this program) and is restored at the end. `Deno.Command` cannot
 * do this: it cannot put a child on a pty as its controlling terminal, nor give the
 * window size. Everything here is one `selectAsync` loop over two fds.
 *
 * @module
 */
import {
  close,
  isatty,
  OSError,
  read,
  spawnPty,
  waitpid,
  waitstatusToExitcode,
  write,
} from "../os/mod.ts";
import { DefaultSelector, EVENT_READ } from "../selectors/mod.ts";
import { setraw, tcgetwinsize, TCSAFLUSH, tcsetattr, tcsetwinsize } from "../termios/mod.ts";

const STDIN = 0;
const STDOUT = 1;

/** Writes all of `data` to a blocking fd. */
function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length;) done += write(fd, data.subarray(done));
}

/** Runs `argv` on a pty relayed to this process's stdin/stdout; resolves with its exit code. */
export async function relay(argv: readonly string[]): Promise<number> {
  const interactive = isatty(STDIN);
  const size = isatty(STDOUT) ? tcgetwinsize(STDOUT) : [24, 80] as const;
  const env = { ...Deno.env.toObject(), TERM: Deno.env.get("TERM") ?? "xterm" };
  const [pid, master] = spawnPty(argv[0]!, argv, env, { winsize: size, setsigdef: [2, 13] });
  const saved = interactive ? setraw(STDIN) : null;
  // A resize of our terminal becomes a resize of the child's (it gets SIGWINCH).
  const onResize = () => tcsetwinsize(master, tcgetwinsize(STDOUT));
  if (isatty(STDOUT)) Deno.addSignalListener("SIGWINCH", onResize);
  using sel = new DefaultSelector<"stdin" | "pty">();
  sel.register(STDIN, EVENT_READ, "stdin");
  sel.register(master, EVENT_READ, "pty");
  try {
    for (let open = true; open;) {
      for (const [key] of await sel.selectAsync()) {
        if (key.data === "stdin") {
          const typed = read(STDIN, 4096);
          if (typed.length === 0) sel.unregister(STDIN); // our input ended; the shell goes on
          else writeAll(master, typed);
          continue;
        }
        let output: Uint8Array;
        try {
          output = read(master, 65536);
        } catch (e) {
          // Linux reports the end of a pty whose other side is gone as EIO.
          if (e instanceof OSError && e.code === "EIO") output = new Uint8Array(0);
          else throw e;
        }
        if (output.length === 0) open = false;
        else writeAll(STDOUT, output);
      }
    }
  } finally {
    if (isatty(STDOUT)) Deno.removeSignalListener("SIGWINCH", onResize);
    if (saved !== null) tcsetattr(STDIN, TCSAFLUSH, saved);
    close(master);
  }
  return waitstatusToExitcode(waitpid(pid, 0)[1]);
}

if (import.meta.main) {
  const argv = Deno.args.length > 0 ? Deno.args : [Deno.env.get("SHELL") ?? "/bin/sh", "-i"];
  if (argv[0]!.startsWith("/") === false) {
    // posixSpawn takes a path: find the program the way a shell would.
    const found = (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")
      .map((dir) => `${dir}/${argv[0]}`)
      .find((path) => {
        try {
          return Deno.statSync(path).isFile;
        } catch {
          return false;
        }
      });
    if (found === undefined) throw new Error(`${argv[0]}: not found`);
    argv[0] = found;
  }
  Deno.exit(await relay(argv));
}
