/**
 * The device toolkit of `./os` on real fds and processes: dup, inheritance, ttys,
 * ptys, posix_spawn with file actions and attributes, waitpid, and a child on a
 * pty, with python3's answers where Python has the same call.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  ChildProcessError,
  close,
  dup,
  dup2,
  FileNotFoundError,
  getInheritable,
  isatty,
  O_RDONLY,
  openpty,
  OSError,
  pipe,
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  POSIX_SPAWN_OPEN,
  posixSpawn,
  posixSpawnp,
  read,
  setInheritable,
  spawnPty,
  ttyname,
  ValueError,
  waitpid,
  waitstatusToExitcode,
  WNOHANG,
  write,
} from "../../os/mod.ts";
import { select } from "../../select/mod.ts";
import { haveCommand } from "../_kit/child.ts";

const python = haveCommand("python3", "-c", "import os; os.posix_spawn");
const decoder = new TextDecoder();

function py(code: string, ...args: string[]): unknown {
  const out = spawnSync("python3", ["-c", code, ...args], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

/** Everything `fd` yields until end of file (or EIO, a pty's end). */
function readAll(fd: number): string {
  let text = "";
  for (;;) {
    assert.equal(
      select([fd], [], [], 30)[0].length,
      1,
      `no output; so far ${JSON.stringify(text)}`,
    );
    let chunk: Uint8Array;
    try {
      chunk = read(fd, 4096);
    } catch (e) {
      if (e instanceof OSError && e.code === "EIO") return text;
      throw e;
    }
    if (chunk.length === 0) return text;
    text += decoder.decode(chunk);
  }
}

/** Runs `sh -c script` with stdout on a pipe; returns [output, exit code]. */
function shell(script: string, env: Record<string, string> | null = {}): [string, number] {
  const [r, w] = pipe();
  try {
    const pid = posixSpawn("/bin/sh", ["sh", "-c", script], env, {
      fileActions: [[POSIX_SPAWN_DUP2, w, 1]],
    });
    close(w);
    const out = readAll(r);
    return [out, waitstatusToExitcode(waitpid(pid, 0)[1])];
  } finally {
    close(r);
  }
}

describe("dup and inheritance", () => {
  it("dup makes a non-inheritable copy; dup2 an inheritable one unless asked", () => {
    const [r, w] = pipe();
    const copy = dup(w);
    const target = dup(w);
    try {
      assert.equal(getInheritable(copy), false);
      assert.equal(dup2(r, target), target);
      assert.equal(getInheritable(target), true);
      assert.equal(dup2(r, target, false), target);
      assert.equal(getInheritable(target), false);
      write(copy, new Uint8Array([1]));
      assert.deepEqual(read(target, 1), new Uint8Array([1]));
      setInheritable(copy, true);
      assert.equal(getInheritable(copy), true);
      assert.throws(() => dup(1 << 29), (e) => e instanceof OSError && e.code === "EBADF");
      assert.throws(
        () => getInheritable(1 << 29),
        (e) => e instanceof OSError && e.code === "EBADF",
      );
    } finally {
      for (const fd of [r, w, copy, target]) close(fd);
    }
  });

  it("an inheritable fd reaches a child, a non-inheritable one does not", () => {
    const [r, w] = pipe();
    try {
      const script = `test -e /proc/$$/fd/${w} && echo open || echo closed`;
      assert.deepEqual(shell(script), ["closed\n", 0]);
      setInheritable(w, true);
      assert.deepEqual(shell(script), ["open\n", 0]);
    } finally {
      close(r);
      close(w);
    }
  });
});

describe("dup2 errors", () => {
  it("fails as python3's dup2 does", { skip: !python }, () => {
    const theirs = py(`import json, os
r, w = os.pipe()
out = []
for args in [(r, r, False), (r, -1), (-1, 5), (r, 1 << 29)]:
    try:
        os.dup2(*args)
        out.append(None)
    except OSError as e:
        out.append([e.errno, str(e)])
print(json.dumps(out))`);
    const [r, w] = pipe();
    try {
      const ours = ([[r, r, false], [r, -1], [-1, 5], [r, 1 << 29]] as const).map((args) => {
        try {
          dup2(args[0], args[1], args[2]);
          return null;
        } catch (e) {
          assert.ok(e instanceof OSError);
          return [e.errno, e.message];
        }
      });
      assert.deepEqual(ours, theirs);
    } finally {
      close(r);
      close(w);
    }
  });
});

describe("ttys and ptys", () => {
  it("openpty gives two close-on-exec terminal fds; ttyname names the slave", () => {
    const [master, slave] = openpty();
    try {
      assert.equal(isatty(master), true);
      assert.equal(isatty(slave), true);
      assert.equal(getInheritable(master), false);
      assert.equal(getInheritable(slave), false);
      assert.match(ttyname(slave), /^\/dev\/pts\/\d+$/);
      write(master, new TextEncoder().encode("typed\n"));
      assert.equal(decoder.decode(read(slave, 100)), "typed\n");
    } finally {
      close(master);
      close(slave);
    }
  });

  it("isatty and ttyname on non-terminals answer as python3's", { skip: !python }, () => {
    const theirs = py(`import json, os
r, w = os.pipe()
try:
    os.ttyname(r)
except OSError as e:
    print(json.dumps([os.isatty(r), os.isatty(-1), e.errno, str(e)]))`);
    const [r, w] = pipe();
    try {
      let error: unknown;
      try {
        ttyname(r);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof OSError);
      assert.deepEqual([isatty(r), isatty(-1), error.errno, error.message], theirs);
    } finally {
      close(r);
      close(w);
    }
  });
});

describe("posixSpawn", () => {
  it("runs a program with argv, env and file actions in order", () => {
    assert.deepEqual(shell('printf "%s|%s" "$0" "$GREETING"', { GREETING: "hi" }), ["sh|hi", 0]);
    assert.deepEqual(shell("exit 7"), ["", 7]);
    // env null: this process's environment.
    const [path] = shell('printf %s "$PATH"', null);
    assert.ok(path.length > 0, "PATH came through");
    // OPEN then DUP2 then CLOSE, applied in the child only.
    const [r, w] = pipe();
    try {
      const pid = posixSpawn(
        "/bin/sh",
        ["sh", "-c", "read line; echo got $line; test -e /proc/$$/fd/2 || echo no-stderr"],
        {},
        {
          fileActions: [
            [POSIX_SPAWN_OPEN, 0, "/dev/null", O_RDONLY, 0],
            [POSIX_SPAWN_DUP2, w, 1],
            [POSIX_SPAWN_CLOSE, 2],
          ],
        },
      );
      close(w);
      assert.equal(readAll(r), "got\nno-stderr\n");
      assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
    } finally {
      close(r);
    }
  });

  it("posixSpawnp searches PATH", () => {
    const pid = posixSpawnp("true", ["true"], null);
    assert.deepEqual(waitpid(pid, 0), [pid, 0]);
  });

  it("sets up a session, a process group, signal defaults", { skip: !python }, () => {
    const [r, w] = pipe();
    try {
      const report =
        "import os, json; print(json.dumps([os.getpid(), os.getsid(0), os.getpgid(0)]))";
      const pid = posixSpawnp("python3", ["python3", "-c", report], null, {
        setsid: true,
        fileActions: [[POSIX_SPAWN_DUP2, w, 1]],
        setsigdef: [13],
        setsigmask: [],
      });
      close(w);
      const [child, sid, pgid] = JSON.parse(readAll(r));
      assert.deepEqual([child, sid, pgid], [pid, pid, pid]);
      waitpid(pid, 0);
    } finally {
      close(r);
    }
    const [r2, w2] = pipe();
    try {
      const pid = posixSpawnp(
        "python3",
        ["python3", "-c", "import os; print(os.getpgid(0))"],
        null,
        {
          setpgroup: 0,
          fileActions: [[POSIX_SPAWN_DUP2, w2, 1]],
        },
      );
      close(w2);
      assert.equal(Number(readAll(r2)), pid);
      waitpid(pid, 0);
    } finally {
      close(r2);
    }
  });

  it("fails as python3's posix_spawn does", { skip: !python }, () => {
    const theirs = py(`import json, os
out = []
for args in [("/bin/true", [], {}), ("/bin/true", "x", {}), ("/nonexistent", ["x"], {}),
             ("/bin/true", ["x"], {"A=B": "c"}), ("/bin/true", ["x\\0"], {})]:
    try:
        os.posix_spawn(*args)
    except Exception as e:
        out.append([type(e).__name__, str(e)])
for fa in [[()], [(99,)]]:
    try:
        os.posix_spawn("/bin/true", ["x"], {}, file_actions=fa)
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps(out))`) as [string, string][];
    const ours: [string, string][] = [];
    const attempts: (() => unknown)[] = [
      () => posixSpawn("/bin/true", [], {}),
      () => posixSpawn("/bin/true", "x" as never, {}),
      () => posixSpawn("/nonexistent", ["x"], {}),
      () => posixSpawn("/bin/true", ["x"], { "A=B": "c" }),
      () => posixSpawn("/bin/true", ["x\0"], {}),
      () => posixSpawn("/bin/true", ["x"], {}, { fileActions: [[] as never] }),
      () => posixSpawn("/bin/true", ["x"], {}, { fileActions: [[99] as never] }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
        ours.push(["none", ""]);
      } catch (e) {
        ours.push([(e as Error).name, (e as Error).message]);
      }
    }
    assert.deepEqual(ours, theirs);
    assert.throws(() => posixSpawn("/nonexistent", ["x"], {}), FileNotFoundError);
  });
});

describe("waitpid", () => {
  it("WNOHANG answers [0, 0] while the child runs, then its status", () => {
    const [r, w] = pipe();
    try {
      const pid = posixSpawn("/bin/sh", ["sh", "-c", "read x; kill -9 $$"], {}, {
        fileActions: [[POSIX_SPAWN_DUP2, r, 0]],
      });
      assert.deepEqual(waitpid(pid, WNOHANG), [0, 0]);
      write(w, new TextEncoder().encode("go\n"));
      const [reaped, status] = waitpid(pid, 0);
      assert.equal(reaped, pid);
      assert.equal(waitstatusToExitcode(status), -9);
      assert.throws(() => waitpid(pid, 0), ChildProcessError);
    } finally {
      close(r);
      close(w);
    }
  });

  it("waitstatusToExitcode agrees with python3's", { skip: !python }, () => {
    const statuses = [0, 0x0300, 9, 0x8b, 0x137f, 0xffff, 0x7f];
    const theirs = py(
      `import json, os, sys
out = []
for s in json.loads(sys.argv[1]):
    try:
        out.append(os.waitstatus_to_exitcode(s))
    except ValueError as e:
        out.append(str(e))
print(json.dumps(out))`,
      JSON.stringify(statuses),
    );
    const ours = statuses.map((s) => {
      try {
        return waitstatusToExitcode(s);
      } catch (e) {
        assert.ok(e instanceof ValueError);
        return e.message;
      }
    });
    assert.deepEqual(ours, theirs);
  });
});

describe("spawnPty", () => {
  it("runs a child on a pty of the given size, as its controlling terminal", () => {
    const [pid, master] = spawnPty(
      "/bin/sh",
      ["sh", "-c", "stty size; tty; test -t 0 && echo stdin-is-tty"],
      { TERM: "dumb" },
      { winsize: [33, 101] },
    );
    try {
      const out = readAll(master);
      assert.match(out, /^33 101\r\n\/dev\/pts\/\d+\r\nstdin-is-tty\r\n$/);
      assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
    } finally {
      close(master);
    }
  });

  it("Ctrl-C typed on the master interrupts the child (SIGINT via the tty)", () => {
    const [pid, master] = spawnPty(
      "/bin/sh",
      ["sh", "-c", "echo ready; exec sleep 30"],
      {},
      { setsigdef: [2] },
    );
    try {
      let seen = "";
      while (!seen.includes("ready")) {
        assert.equal(select([master], [], [], 30)[0].length, 1);
        seen += decoder.decode(read(master, 100));
      }
      // The shell execs sleep right after echoing; wait until sleep runs.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const comm = spawnSync("ps", ["-o", "comm=", "-p", String(pid)], { encoding: "utf8" });
        if (comm.stdout.trim() === "sleep") break;
        assert.ok(Date.now() < deadline, "sleep never started");
      }
      write(master, new Uint8Array([3]));
      assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), -2);
    } finally {
      close(master);
    }
  });
});
