// The device-toolkit examples, run as their headers say (Deno only: they are
// scripts). The pty relay runs on a pty of the test's own, which the test types
// into like a user; the serial example talks to the test over two ptys linked by
// socat; the inotify watcher sees the files the test makes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  close,
  OSError,
  read,
  spawnPty,
  waitpid,
  waitstatusToExitcode,
  write,
} from "../../os/mod.ts";
import { select } from "../../select/mod.ts";
import { tcsetwinsize } from "../../termios/mod.ts";

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

function example(name: string): string {
  return fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
}

/** A pty master and what has come out of it so far. */
class Screen {
  text = "";
  constructor(readonly master: number) {}

  /** Reads until `pattern` has appeared after `from`; returns the match. */
  waitFor(pattern: RegExp, from = 0, seconds = 60): RegExpMatchArray {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const found = this.text.slice(from).match(pattern);
      if (found) return found;
      const left = (deadline - Date.now()) / 1000;
      assert.ok(left > 0, `timed out waiting for ${pattern}; screen: ${JSON.stringify(this.text)}`);
      if (select([this.master], [], [], left)[0].length === 0) continue;
      try {
        this.text += decoder.decode(read(this.master, 65536));
      } catch (e) {
        if (e instanceof OSError && e.code === "EIO") {
          assert.fail(`the pty closed; screen: ${JSON.stringify(this.text)}`);
        }
        throw e;
      }
    }
  }

  type(keys: string): void {
    write(this.master, encoder.encode(keys));
  }

  /** Reads everything until the pty closes (EIO). */
  drain(): void {
    for (;;) {
      assert.equal(select([this.master], [], [], 60)[0].length, 1, "the pty never closed");
      try {
        const chunk = read(this.master, 65536);
        if (chunk.length === 0) return;
        this.text += decoder.decode(chunk);
      } catch (e) {
        if (e instanceof OSError && e.code === "EIO") return;
        throw e;
      }
    }
  }
}

describe("device examples", { skip: !deno && "the examples are Deno scripts" }, () => {
  it("pty_shell.ts relays an interactive shell, its window size and its exit code", () => {
    const [pid, master] = spawnPty(
      deno!.execPath(),
      ["deno", "run", "--allow-ffi", "--allow-env", example("pty_shell.ts"), "/bin/sh", "-i"],
      null,
      { winsize: [24, 80] },
    );
    const screen = new Screen(master);
    try {
      // Type only once the shell prompts: the relay's setraw (TCSAFLUSH) drops
      // whatever was typed before it.
      screen.waitFor(/[#$] $/);
      screen.type("stty size; echo marker-$((6 * 7))\r");
      screen.waitFor(/24 80\r\n[^]*marker-42/);
      // Our terminal is resized: the relay hears SIGWINCH and resizes the shell's.
      let mark = screen.text.length;
      tcsetwinsize(master, [40, 100]);
      let size = "";
      for (let attempt = 0; size !== "40 100"; attempt++) {
        assert.ok(attempt < 50, `the shell's size never followed; screen: ${screen.text}`);
        screen.type(`stty size; echo done-${attempt}\r`);
        const m = screen.waitFor(
          new RegExp(`(\\d+ \\d+)\\r\\n(?:[^]*?)done-${attempt}\\r\\n`),
          mark,
        );
        size = m[1]!;
        mark = screen.text.length;
      }
      // The relay put its own terminal in raw mode: Ctrl-C reaches the shell's
      // foreground job (a SIGINT from the shell's pty), not the relay.
      screen.type("sleep 30; echo after-sleep\r");
      screen.waitFor(/sleep 30; echo after-sleep\r\n/, mark);
      screen.type("\x03");
      // The interrupt flushes typed-ahead input (no NOFLSH): wait for the new prompt.
      screen.waitFor(/\^C[^]*[#$] $/, mark);
      screen.type("echo still-here\r");
      screen.waitFor(/still-here\r\n[^]*still-here\r\n/, mark);
      assert.doesNotMatch(screen.text, /\nafter-sleep\r\n/, "sleep was interrupted");
      screen.type("exit 3\r");
      screen.drain();
      assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 3);
    } finally {
      close(master);
    }
  });
});
