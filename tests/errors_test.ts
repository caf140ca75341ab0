/**
 * `OSError` construction as CPython's `Objects/exceptions.c` `OSError_new` does it:
 * `OSError(errno, strerror)` becomes the errnomap's subclass, `code` comes from the
 * errno, a filename (and filename2) is quoted into the message with `repr()`. Every
 * errno this platform names is checked against `python3`'s own answer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionError,
  error,
  FileNotFoundError,
  InterruptedError,
  OSError,
  PermissionError,
} from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { haveCommand } from "./_kit/child.ts";

/** This platform's number for an errno name (EPIPE is 32 on Linux, 32 on the BSDs). */
function errnoOf(name: string): number {
  const found = Object.entries(abi.errnoNames).find(([, n]) => n === name);
  assert.ok(found, `${name} is in the platform's errno table`);
  return Number(found[0]);
}

const python = haveCommand("python3", "-c", "import errno");

/** What Python says of each construction: class, str(), errno, strerror, filename(s), errno name. */
type Seen = [string, string, unknown, unknown, unknown, unknown, string | null];

const PYTHON = `
import errno, json, sys
out = []
for args in json.loads(sys.argv[1]):
    e = OSError(*args)
    out.append([type(e).__name__, str(e), e.errno, e.strerror, e.filename, e.filename2,
                errno.errorcode.get(e.errno) if isinstance(e.errno, int) else None])
print(json.dumps(out))
`;

function pythonSays(cases: unknown[][]): Seen[] {
  const r = spawnSync("python3", ["-c", PYTHON, JSON.stringify(cases)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Seen[];
}

function weSay(args: unknown[]): Seen {
  const [errno, strerror, filename, , filename2] = args as [
    number,
    string,
    string?,
    null?,
    string?,
  ];
  const e = filename2 === undefined
    ? new OSError(errno, strerror, filename)
    : new OSError(errno, strerror, filename, { filename2 });
  return [e.name, e.message, e.errno, e.strerror, e.filename, e.filename2, e.code];
}

describe("OSError construction", () => {
  it("picks the subclass and code for every errno as python3 does", {
    skip: !python && "python3 is not installed",
  }, () => {
    const errnos = Object.keys(abi.errnoNames).map(Number);
    assert.ok(errnos.length > 100, "the platform table names its errnos");
    // 0 and a few numbers no platform names, beside every named one.
    const cases = [0, ...errnos, 200, 4095].map((n) => [n, "some text"]);
    const expected = pythonSays(cases);
    const got = cases.map(weSay);
    assert.deepEqual(got, expected);
    const subclassed = got.filter(([name]) => name !== "OSError").length;
    assert.ok(subclassed >= 17, `${subclassed} errnos map to a subclass`);
  });

  it("quotes filename and filename2 with repr(), as python3 does", {
    skip: !python && "python3 is not installed",
  }, () => {
    const names = ["f", "it's", 'say "hi"', `both ' and "`, "tab\there", "nl\n", "\x85", "ü"];
    const cases = [
      ...names.map((n) => [2, "No such file or directory", n]),
      [21, "Is a directory", "a", null, "b"],
      [1, "Operation not permitted", "it's", null, "x\\y"],
    ];
    assert.deepEqual(cases.map(weSay), pythonSays(cases));
  });

  it("returns the subclass instance itself, usable as that class", () => {
    const e = new OSError(abi.errno.EAGAIN, "Resource temporarily unavailable");
    assert.ok(e instanceof BlockingIOError);
    assert.ok(e instanceof OSError);
    assert.equal(e.constructor, BlockingIOError);
    assert.equal(e.name, "BlockingIOError");
    assert.equal(e.code, "EAGAIN");
    assert.ok(new error(abi.errno.EINTR, "Interrupted system call") instanceof InterruptedError);
    const cause = new Error("underneath");
    const EPIPE = errnoOf("EPIPE");
    const withCause = new OSError(EPIPE, "Broken pipe", undefined, { cause });
    assert.ok(withCause instanceof BrokenPipeError && withCause instanceof ConnectionError);
    assert.equal(withCause.cause, cause);
    assert.equal(withCause.message, `[Errno ${EPIPE}] Broken pipe`);
  });

  it("keeps a subclass asked for by name, and a user's own subclass, unchanged", () => {
    // OSError_new swaps the type only when it is OSError itself.
    const named = new PermissionError(abi.errno.ENOENT, "No such file or directory");
    assert.equal(named.constructor, PermissionError);
    assert.equal(named.code, "ENOENT");
    class AppError extends OSError {}
    const mine = new AppError(abi.errno.ENOENT, "No such file or directory", "x");
    assert.equal(mine.constructor, AppError);
    assert.equal(mine.name, "AppError");
    assert.equal(mine.message, `[Errno ${abi.errno.ENOENT}] No such file or directory: 'x'`);
    assert.ok(!(mine instanceof FileNotFoundError));
  });

  it("has no errno, code or strerror when built from a message or a number alone", () => {
    for (const e of [new OSError("invalid flags"), new OSError(abi.errno.EAGAIN)]) {
      assert.equal(e.constructor, OSError);
      assert.deepEqual([e.errno, e.code, e.strerror, e.filename, e.filename2], [
        null,
        null,
        null,
        null,
        null,
      ]);
    }
    // Python: str(OSError(11)) == "11", str(OSError("invalid flags")) == "invalid flags".
    assert.equal(new OSError(abi.errno.EAGAIN).message, String(abi.errno.EAGAIN));
    assert.equal(new OSError("invalid flags").message, "invalid flags");
  });
});
