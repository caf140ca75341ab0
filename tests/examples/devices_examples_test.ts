// The device-toolkit examples, run as their headers say (Deno only: they are
// scripts). The pty relay runs on a pty of the test's own, which the test types
// into like a user; the serial example talks to the test over two ptys linked by
// socat; the inotify watcher sees the files the test makes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSerial } from "../../examples/serial_port.ts";
import {
  close,
  OSError,
  read,
  spawnPty,
  waitpid,
  waitstatusToExitcode,
  write,
} from "../../os/mod.ts";
import { poll, POLLIN, select } from "../../select/mod.ts";
import { B115200, tcsetwinsize } from "../../termios/mod.ts";

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
      // foreground job (a SIGINT from the shell's pty), not the relay. The sleep's
      // odd length names it for pgrep, so that ^C is typed once it runs.
      screen.type("sleep 300.25; echo after-sleep\r");
      const deadline = Date.now() + 60_000;
      while (spawnSync("pgrep", ["-f", "sleep 300.25"]).status !== 0) {
        assert.ok(Date.now() < deadline, "sleep never started");
      }
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

const socat = spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
const python = spawnSync("python3", ["-c", "import termios"], { stdio: "ignore" }).status === 0;

/** Two linked ptys made by socat, each end given as a path; resolves once both exist. */
async function linkedPtys(dir: string): Promise<{ a: string; b: string; stop: () => void }> {
  const a = join(dir, "ttyA");
  const b = join(dir, "ttyB");
  const child = spawn("socat", [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: "ignore",
  });
  const deadline = Date.now() + 30_000;
  while (!(existsSync(a) && existsSync(b))) {
    assert.ok(Date.now() < deadline, "socat made no ptys");
    await new Promise((r) => setTimeout(r, 20));
  }
  return { a, b, stop: () => child.kill() };
}

/** Reads the non-blocking `fd` until `text` has arrived, waiting with pollAsync. */
async function readUntil(fd: number, text: string): Promise<string> {
  const p = poll();
  p.register(fd, POLLIN);
  let got = "";
  while (!got.includes(text)) {
    assert.ok((await p.pollAsync(30_000)).length > 0, `no ${JSON.stringify(text)}; got ${got}`);
    got += decoder.decode(read(fd, 4096));
  }
  return got;
}

describe("serial example", {
  skip: !deno
    ? "the examples are Deno scripts"
    : !socat && "socat is not installed (apt-get install socat)",
}, () => {
  it("serial_port.ts sets raw 115200 baud and speaks a line protocol", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iomux-serial-"));
    const link = await linkedPtys(dir);
    const far = openSerial(link.b, 9600);
    try {
      const run = new Promise<string>((resolve, reject) => {
        execFile(
          deno!.execPath(),
          ["run", "--allow-ffi", example("serial_port.ts"), link.a, "115200", "PING 1"],
          { timeout: 60_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      assert.equal(await readUntil(far, "\n"), "PING 1\n");
      write(far, encoder.encode("PONG 1\r\nOK\r\n"));
      const stdout = await run;
      assert.ok(
        stdout.includes(`${link.a}: raw, 115200 baud (speed codes ${B115200}/${B115200})`),
        stdout,
      );
      assert.match(stdout, /< PONG 1\n< OK\n/);
      if (python) {
        // The line keeps the example's settings: python3 reads them back.
        const theirs = spawnSync("python3", [
          "-c",
          `import os, sys, termios, json
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
a = termios.tcgetattr(fd)
print(json.dumps([a[4], a[5], a[3] & (termios.ICANON | termios.ECHO | termios.ISIG), a[1] & termios.OPOST, a[2] & termios.CSIZE == termios.CS8]))`,
          link.a,
        ], { encoding: "utf8" });
        assert.equal(theirs.status, 0, theirs.stderr);
        assert.deepEqual(JSON.parse(theirs.stdout), [B115200, B115200, 0, 0, true]);
      }
    } finally {
      close(far);
      link.stop();
      rmSync(dir, { recursive: true });
    }
  });
});

describe("inotify example", { skip: !deno && "the examples are Deno scripts" }, () => {
  it("inotify_watch.ts prints the files made, written and removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iomux-inotify-"));
    try {
      const child = spawn(
        deno!.execPath(),
        ["run", "--allow-ffi", example("inotify_watch.ts"), dir, "60"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      let errors = "";
      let acted = false;
      child.stderr!.on("data", (chunk: Buffer) => errors += chunk);
      const exited = new Promise((resolve) => child.on("close", resolve));
      // Once it watches, make, write, rename and remove a file; stop it when it saw all.
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk;
        if (out.includes("watching") && !acted) {
          acted = true;
          writeFileSync(join(dir, "notes.txt"), "hello");
          renameSync(join(dir, "notes.txt"), join(dir, "kept.txt"));
          rmSync(join(dir, "kept.txt"));
        }
        if (out.includes("delete kept.txt")) child.kill("SIGTERM");
      });
      await exited;
      assert.ok(acted, `the watcher never started: ${errors}`);
      for (
        const line of [
          "create notes.txt",
          "close_write notes.txt",
          "moved_to kept.txt",
          "delete kept.txt",
        ]
      ) {
        assert.ok(out.includes(line), `missing ${line} in:\n${out}\n${errors}`);
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
