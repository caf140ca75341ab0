/**
 * `./termios` on real ptys, compared with python3's `termios` and `tty` on the same
 * terminal (python3 opens the pty's slave by name).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { close, openpty, OSError, pipe, read, ttyname, write } from "../../os/mod.ts";
import { select } from "../../select/mod.ts";
import * as termios from "../../termios/mod.ts";
import { haveCommand } from "../_kit/child.ts";

const python = haveCommand("python3", "-c", "import termios, tty");

/** Runs python3 with `code`; `sys.argv[1:]` are `args`; returns its JSON output. */
function py(code: string, ...args: string[]): unknown {
  const out = spawnSync("python3", ["-c", code, ...args], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

const PY_ATTR = `
import json, os, sys, termios
def plain(attrs):
    return attrs[:6] + [[c if isinstance(c, int) else list(c) for c in attrs[6]]]
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
`;

/** Our attribute list in the JSON shape PY_ATTR's `plain` prints. */
function plain(attrs: termios.TermiosAttributes): unknown {
  return [...attrs.slice(0, 6), attrs[6].map((c) => typeof c === "number" ? c : [...c])];
}

function withPty(body: (master: number, slave: number) => void): void {
  const [master, slave] = openpty();
  try {
    body(master, slave);
  } finally {
    close(master);
    close(slave);
  }
}

describe("termios constants", () => {
  it("has every name python3's termios has, with the same value", { skip: !python }, () => {
    const theirs = py(
      "import json, termios; print(json.dumps({n: getattr(termios, n) for n in dir(termios) if n.isupper()}))",
    ) as Record<string, number>;
    const ours = termios as unknown as Record<string, unknown>;
    assert.ok(Object.keys(theirs).length > 200, "python3's termios has its constants");
    for (const [name, value] of Object.entries(theirs)) {
      assert.equal(ours[name], value, name);
    }
  });
});

describe("tcgetattr", () => {
  it("returns what python3's tcgetattr returns on the same pty", { skip: !python }, () => {
    withPty((_, slave) => {
      const theirs = py(
        PY_ATTR + "print(json.dumps(plain(termios.tcgetattr(fd))))",
        ttyname(slave),
      );
      assert.deepEqual(plain(termios.tcgetattr(slave)), theirs);
      // VMIN/VTIME become numbers once ICANON is off, as in CPython.
      termios.setcbreak(slave);
      const after = termios.tcgetattr(slave);
      assert.equal(typeof after[6][termios.VMIN], "number");
      assert.ok(after[6][termios.VINTR] instanceof Uint8Array);
      const theirsAfter = py(
        PY_ATTR + "print(json.dumps(plain(termios.tcgetattr(fd))))",
        ttyname(slave),
      );
      assert.deepEqual(plain(after), theirsAfter);
    });
  });

  it("raises termios.error with python3's errno and text on a pipe", { skip: !python }, () => {
    const [r, w] = pipe();
    try {
      const theirs = py(`
import json, os, termios
r, w = os.pipe()
try:
    termios.tcgetattr(r)
except termios.error as e:
    print(json.dumps(list(e.args)))`);
      assert.throws(
        () => termios.tcgetattr(r),
        (e) =>
          e instanceof termios.error && !(e instanceof OSError) &&
          isDeepStrictEqual(e.args, theirs),
      );
      assert.throws(
        () => termios.tcgetattr({ fileno: () => 0.5 } as never),
        { name: "TypeError", message: "fileno() returned a non-integer" },
      );
    } finally {
      close(r);
      close(w);
    }
  });
});

describe("tcsetattr", () => {
  it("sets modes python3 then reads, speeds included", { skip: !python }, () => {
    withPty((_, slave) => {
      const attrs = termios.tcgetattr(slave);
      attrs[3] &= ~termios.ECHO;
      attrs[4] = attrs[5] = termios.B115200;
      attrs[6][termios.VINTR] = new Uint8Array([7]);
      termios.tcsetattr(slave, termios.TCSANOW, attrs);
      const theirs = py(
        PY_ATTR + "print(json.dumps(plain(termios.tcgetattr(fd))))",
        ttyname(slave),
      ) as unknown[];
      assert.deepEqual(theirs, plain(termios.tcgetattr(slave)));
      assert.equal((theirs[3] as number) & termios.ECHO, 0);
      assert.deepEqual([theirs[4], theirs[5]], [termios.B115200, termios.B115200]);
      assert.deepEqual((theirs[6] as unknown[])[termios.VINTR], [7]);
    });
  });

  it("reads what python3's tcsetattr set", { skip: !python }, () => {
    withPty((_, slave) => {
      py(
        PY_ATTR + `
a = termios.tcgetattr(fd)
a[3] &= ~termios.ICANON
a[4] = a[5] = termios.B9600
a[6][termios.VMIN] = 3
a[6][termios.VTIME] = 4
termios.tcsetattr(fd, termios.TCSANOW, a)
print(json.dumps(plain(termios.tcgetattr(fd))))`,
        ttyname(slave),
      );
      const ours = termios.tcgetattr(slave);
      assert.equal(ours[3] & termios.ICANON, 0);
      assert.deepEqual([ours[4], ours[5]], [termios.B9600, termios.B9600]);
      assert.equal(ours[6][termios.VMIN], 3);
      assert.equal(ours[6][termios.VTIME], 4);
    });
  });

  it("checks its arguments with CPython's messages", () => {
    withPty((_, slave) => {
      const attrs = termios.tcgetattr(slave);
      assert.throws(
        () => termios.tcsetattr(slave, termios.TCSANOW, attrs.slice(0, 6) as never),
        { name: "TypeError", message: "tcsetattr, arg 3: must be 7 element list" },
      );
      const shortCc = [...attrs.slice(0, 6), attrs[6].slice(1)] as termios.TermiosAttributes;
      assert.throws(
        () => termios.tcsetattr(slave, termios.TCSANOW, shortCc),
        {
          name: "TypeError",
          message: `tcsetattr: attributes[6] must be ${termios.NCCS} element list`,
        },
      );
      const badCc = [...attrs.slice(0, 6), attrs[6].map(() => "x")] as never;
      assert.throws(
        () => termios.tcsetattr(slave, termios.TCSANOW, badCc),
        {
          name: "TypeError",
          message: "tcsetattr: elements of attributes must be characters or integers",
        },
      );
      const badFlag = [1.5, ...attrs.slice(1)] as termios.TermiosAttributes;
      assert.throws(() => termios.tcsetattr(slave, termios.TCSANOW, badFlag), {
        name: "TypeError",
        message: "'float' object cannot be interpreted as an integer",
      });
      // An unknown `when` is the kernel's EINVAL, as a termios.error.
      assert.throws(
        () => termios.tcsetattr(slave, 12345, attrs),
        (e) => e instanceof termios.error && e.args[0] === 22 && e.errno === 22,
      );
    });
  });
});

describe("tty", () => {
  it("setraw makes the modes Python 3.13's tty.setraw makes", { skip: !python }, () => {
    withPty((_, slave) => {
      const before = termios.tcgetattr(slave);
      assert.ok(before[3] & termios.ICANON, "premise: the pty starts canonical");
      // Lib/tty.py cfmakeraw of 3.13, run by python3 on the fresh modes.
      const expected = py(
        PY_ATTR + `
from termios import *
mode = termios.tcgetattr(fd)
mode[0] &= ~(IGNBRK | BRKINT | IGNPAR | PARMRK | INPCK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY | IXOFF)
mode[1] &= ~OPOST
mode[2] &= ~(PARENB | CSIZE)
mode[2] |= CS8
mode[3] &= ~(ECHO | ECHOE | ECHOK | ECHONL | ICANON | IEXTEN | ISIG | NOFLSH | TOSTOP)
mode[6][VMIN] = 1
mode[6][VTIME] = 0
termios.tcsetattr(fd, TCSAFLUSH, mode)
print(json.dumps(plain(termios.tcgetattr(fd))))`,
        ttyname(slave),
      );
      termios.tcsetattr(slave, termios.TCSANOW, before);
      assert.deepEqual(plain(termios.tcgetattr(slave)), plain(before));
      const returned = termios.setraw(slave);
      assert.deepEqual(plain(returned), plain(before), "setraw returns the old modes");
      assert.deepEqual(plain(termios.tcgetattr(slave)), expected);
    });
  });

  it("setraw passes bytes through untouched; setcbreak keeps ISIG", () => {
    withPty((master, slave) => {
      const fresh = termios.setraw(slave);
      write(master, new Uint8Array([13, 3, 255]));
      assert.equal(select([slave], [], [], 5)[0].length, 1);
      let got = new Uint8Array(0);
      while (got.length < 3) got = new Uint8Array([...got, ...read(slave, 16)]);
      assert.deepEqual(got, new Uint8Array([13, 3, 255]), "no CR/LF mapping, no signal");
      termios.setcbreak(slave);
      const mode = termios.tcgetattr(slave);
      assert.equal(mode[3] & (termios.ECHO | termios.ICANON), 0);
      assert.equal(mode[3] & termios.ISIG, 0, "setcbreak after setraw leaves ISIG as it was");
      termios.tcsetattr(slave, termios.TCSANOW, fresh);
      termios.setcbreak(slave);
      assert.ok(termios.tcgetattr(slave)[3] & termios.ISIG, "setcbreak keeps ISIG");
    });
  });
});

describe("control calls", () => {
  it("tcdrain, tcflush, tcflow, tcsendbreak succeed on a pty", () => {
    withPty((master, slave) => {
      termios.setraw(slave);
      write(master, new Uint8Array([1, 2, 3]));
      assert.equal(select([slave], [], [], 5)[0].length, 1, "input is queued");
      termios.tcflush(slave, termios.TCIFLUSH);
      assert.deepEqual(select([slave], [], [], 0)[0], [], "tcflush dropped it");
      termios.tcdrain(slave);
      termios.tcflow(slave, termios.TCOOFF);
      termios.tcflow(slave, termios.TCOON);
      termios.tcsendbreak(slave, 0);
      assert.throws(() => termios.tcflush(slave, 999), termios.error);
    });
  });

  it("tcgetwinsize and tcsetwinsize agree with python3's", { skip: !python }, () => {
    withPty((master, slave) => {
      termios.tcsetwinsize(master, [33, 101]);
      const theirs = py(
        PY_ATTR + "print(json.dumps(list(termios.tcgetwinsize(fd))))",
        ttyname(slave),
      );
      assert.deepEqual(theirs, [33, 101]);
      py(PY_ATTR + "termios.tcsetwinsize(fd, (12, 34)); print(1)", ttyname(slave));
      assert.deepEqual(termios.tcgetwinsize(slave), [12, 34]);
      assert.throws(() => termios.tcsetwinsize(slave, [1] as never), {
        name: "TypeError",
        message: "tcsetwinsize, arg 2: must be a two-item sequence",
      });
      assert.throws(() => termios.tcsetwinsize(slave, [70000, 1]), {
        name: "RangeError",
        message: "winsize value(s) out of range.",
      });
    });
  });
});
