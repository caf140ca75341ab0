/**
 * `sendmsg`/`recvmsg`/`sendFds`/`recvFds` against python3: CPython's argument checks,
 * messages and errnos case by case (`Modules/socketmodule.c` `sock_sendmsg`,
 * `sock_recvmsg`, `socket_CMSG_LEN`; `Lib/socket.py` `send_fds`/`recv_fds`), and fds
 * passed between an iomux process and a python3 one, both ways.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OSError } from "../../errors.ts";
import { close, pipe, read, write } from "../../os/mod.ts";
import {
  AF_UNIX,
  CMSG_LEN,
  CMSG_SPACE,
  recvFds,
  sendFds,
  Socket,
  socketpair,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { leakFree } from "../_kit/fds.ts";
import { UNIX_SOCKETS } from "../_kit/platform.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (s: string) => encoder.encode(s);

/**
 * Each case, as Python writes it (`a`, `b`: a fresh `socketpair()`) and as iomux
 * does; both must raise the same class (OverflowError is RangeError) with the same
 * message (the same errno for OSError), or give the same number.
 */
const PARITY: readonly [python: string, iomux: (a: Socket, b: Socket) => unknown][] = [
  ["socket.CMSG_LEN(0)", () => CMSG_LEN(0)],
  ["socket.CMSG_LEN(4)", () => CMSG_LEN(4)],
  ["socket.CMSG_SPACE(0)", () => CMSG_SPACE(0)],
  ["socket.CMSG_SPACE(1)", () => CMSG_SPACE(1)],
  ["socket.CMSG_SPACE(4)", () => CMSG_SPACE(4)],
  ["socket.CMSG_LEN(-1)", () => CMSG_LEN(-1)],
  ["socket.CMSG_SPACE(-1)", () => CMSG_SPACE(-1)],
  ["socket.CMSG_LEN(2**31 - 1 - socket.CMSG_LEN(0))", () => CMSG_LEN(2 ** 31 - 1 - CMSG_LEN(0))],
  ["socket.CMSG_LEN(2**31 - socket.CMSG_LEN(0))", () => CMSG_LEN(2 ** 31 - CMSG_LEN(0))],
  [
    "socket.CMSG_SPACE(2**31 - 1 - socket.CMSG_SPACE(1))",
    () => CMSG_SPACE(2 ** 31 - 1 - CMSG_SPACE(1)),
  ],
  ["socket.CMSG_SPACE(2**31 - socket.CMSG_SPACE(1))", () => CMSG_SPACE(2 ** 31 - CMSG_SPACE(1))],
  ["socket.CMSG_LEN(2**63)", () => CMSG_LEN(2n ** 63n as never)],
  ["socket.CMSG_LEN(1.5)", () => CMSG_LEN(1.5)],
  ["socket.CMSG_LEN('x')", () => CMSG_LEN("x" as never)],
  ["b.recvmsg(-1)", (_a, b) => b.recvmsg(-1)],
  ["b.recvmsg(1, -1)", (_a, b) => b.recvmsg(1, -1)],
  ["b.recvmsg(1, 2**31)", (_a, b) => b.recvmsg(1, 2 ** 31)],
  ["b.recvmsg(-1, -1)", (_a, b) => b.recvmsg(-1, -1)],
  ["b.recvmsg(1.5)", (_a, b) => b.recvmsg(1.5)],
  ["b.recvmsg(1, 1.5)", (_a, b) => b.recvmsg(1, 1.5)],
  ["b.recvmsg(1, 0, 2**31)", (_a, b) => b.recvmsg(1, 0, 2 ** 31)],
  ["b.recvmsg(2**63)", (_a, b) => b.recvmsg(2n ** 63n as never)],
  ["a.sendmsg(1)", (a) => a.sendmsg(1 as never)],
  ["a.sendmsg(None)", (a) => a.sendmsg(null as never)],
  ["a.sendmsg([1])", (a) => a.sendmsg([1] as never)],
  ["a.sendmsg(['x'])", (a) => a.sendmsg(["x"] as never)],
  ["a.sendmsg('ab')", (a) => a.sendmsg("ab" as never)],
  ["a.sendmsg([b'x'], 1)", (a) => a.sendmsg([text("x")], 1 as never)],
  ["a.sendmsg([b'x'], None)", (a) => a.sendmsg([text("x")], null as never)],
  ["a.sendmsg([b'x'], [1])", (a) => a.sendmsg([text("x")], [1] as never)],
  ["a.sendmsg([b'x'], [(1,)])", (a) => a.sendmsg([text("x")], [[1]] as never)],
  ["a.sendmsg([b'x'], [(1, 2)])", (a) => a.sendmsg([text("x")], [[1, 2]] as never)],
  [
    "a.sendmsg([b'x'], [(1, 2, b'', 4)])",
    (a) => a.sendmsg([text("x")], [[1, 2, new Uint8Array(0), 4]] as never),
  ],
  [
    "a.sendmsg([b'x'], [('a', 2, b'')])",
    (a) => a.sendmsg([text("x")], [["a", 2, new Uint8Array(0)]] as never),
  ],
  [
    "a.sendmsg([b'x'], [(1, 'b', b'')])",
    (a) => a.sendmsg([text("x")], [[1, "b", new Uint8Array(0)]] as never),
  ],
  ["a.sendmsg([b'x'], [(1, 2, 's')])", (a) => a.sendmsg([text("x")], [[1, 2, "s"]] as never)],
  ["a.sendmsg([b'x'], [(1, 2, None)])", (a) => a.sendmsg([text("x")], [[1, 2, null]] as never)],
  [
    "a.sendmsg([b'x'], [(2**31, 2, b'')])",
    (a) => a.sendmsg([text("x")], [[2 ** 31, 2, new Uint8Array(0)]]),
  ],
  ["a.sendmsg([b'x'], [], 1.5)", (a) => a.sendmsg([text("x")], [], 1.5)],
  [
    "a.sendmsg([b'x'], [(socket.SOL_SOCKET, 99, b'')])",
    (a) => a.sendmsg([text("x")], [[SOL_SOCKET, 99, new Uint8Array(0)]]),
  ],
  ["a.sendmsg([b'x'] * 2000)", (a) => a.sendmsg(new Array(2000).fill(text("x")))],
  ["a.sendmsg([b'x'], [], 0, 'addr')", (a) => a.sendmsg([text("x")], [], 0, "addr")],
  ["a.sendmsg([b'xy'], [], 0, None)", (a) => a.sendmsg([text("xy")], [], 0, null)],
  ["b.recvmsg_into(1)", (_a, b) => b.recvmsgInto(1 as never)],
  ["b.recvmsg_into([1])", (_a, b) => b.recvmsgInto([1] as never)],
  ["b.recvmsg_into([bytearray(2)], -1)", (_a, b) => b.recvmsgInto([new Uint8Array(2)], -1)],
  ["socket.send_fds(a, [b'x'], 5)", (a) => sendFds(a, [text("x")], 5 as never)],
  ["socket.send_fds(a, [b'x'], None)", (a) => sendFds(a, [text("x")], null as never)],
  ["socket.send_fds(a, [b'x'], [1.5])", (a) => sendFds(a, [text("x")], [1.5])],
  ["socket.send_fds(a, [b'x'], 'ab')", (a) => sendFds(a, [text("x")], "ab" as never)],
  ["socket.send_fds(a, [b'x'], [2**31])", (a) => sendFds(a, [text("x")], [2 ** 31])],
  ["socket.send_fds(a, [b'x'], [-2**31 - 1])", (a) => sendFds(a, [text("x")], [-(2 ** 31) - 1])],
  ["socket.send_fds(a, [b'x'], [99999])", (a) => sendFds(a, [text("x")], [99999])],
  ["socket.recv_fds(b, 1, -1)", (_a, b) => recvFds(b, 1, -1)],
  ["socket.recv_fds(b, 1, 1.5)", (_a, b) => recvFds(b, 1, 1.5)],
  ["socket.recv_fds(b, 1, 'x')", (_a, b) => recvFds(b, 1, "x" as never)],
  ["socket.recv_fds(b, 1, 2**62)", (_a, b) => recvFds(b, 1, 2 ** 62)],
];

type Outcome = [kind: string, detail: string | number];

const PARITY_SCRIPT = `
import json, socket, sys
out = []
for case in json.load(sys.stdin):
    a, b = socket.socketpair()
    a.settimeout(5); b.settimeout(5)
    try:
        r = eval(case)
        out.append(["ok", r])
    except OSError as e:
        out.append([type(e).__name__, e.errno if e.errno is not None else str(e)])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
    a.close(); b.close()
print(json.dumps(out))
`;

function outcome(run: (a: Socket, b: Socket) => unknown): Outcome {
  const [a, b] = socketpair();
  // A case that would block times out instead, on both sides.
  a.settimeout(5);
  b.settimeout(5);
  try {
    return ["ok", run(a, b) as number];
  } catch (e) {
    if (e instanceof OSError) {
      return [e.constructor.name, e.errno ?? e.message];
    }
    const error = e as Error;
    return [error instanceof RangeError ? "OverflowError" : error.name, error.message];
  } finally {
    a.close();
    b.close();
  }
}

describe("parity with python3", { skip: UNIX_SOCKETS }, () => {
  it(
    "every argument check, message and errno, case by case",
    {
      skip: !hasPython("import socket; socket.send_fds") &&
        "needs python3 with socket.send_fds (3.9+)",
    },
    leakFree(() => {
      const expected = pythonJson<Outcome[]>(
        PARITY_SCRIPT,
        [],
        JSON.stringify(PARITY.map(([py]) => py)),
      );
      assert.equal(expected.length, PARITY.length);
      assert.ok(expected.filter(([kind]) => kind !== "ok").length > 40, "premise: errors compared");
      PARITY.forEach(([python, run], i) => {
        assert.deepEqual(outcome(run), expected[i], python);
      });
    }),
  );
});

const PY_SENDS = `
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
r, w = os.pipe()
os.write(w, b"from python")
os.close(w)
socket.send_fds(s, [b"fd"], [r])
os.close(r)
s.recv(1)
`;

const PY_RECEIVES = `
import json, os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
msg, fds, flags, addr = socket.recv_fds(s, 100, 4)
data = os.read(fds[0], 100)
os.write(fds[1], b"from python")
print(json.dumps([msg.decode(), data.decode(), len(fds), flags]))
`;

/** Runs python3 with `script` and `path`; resolves with its exit code and stdout. */
function python(script: string, path: string): Promise<[number | null, string]> {
  const child = spawn("python3", ["-c", script, path], { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout!.on("data", (chunk) => stdout += chunk);
  return new Promise((resolve) => child.on("close", (code) => resolve([code, stdout])));
}

/** A listening AF_UNIX socket at a fresh path, with a 30 s bound on each wait. */
async function withListener(
  body: (server: Socket, path: string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "iomux-fdpass-"));
  const server = new Socket(AF_UNIX);
  try {
    const path = join(dir, "s");
    server.bind(path);
    server.listen(1);
    server.settimeout(30);
    await body(server, path);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("fds passed between processes (python3's socket.send_fds/recv_fds)", {
  skip: UNIX_SOCKETS ||
    (!hasPython("import socket; socket.send_fds") && "needs python3 3.9+"),
}, () => {
  it(
    "python3 sends a pipe's read end; iomux reads what python wrote",
    leakFree(() =>
      withListener(async (server, path) => {
        const exited = python(PY_SENDS, path);
        const [conn] = server.accept();
        try {
          conn.settimeout(30);
          const [msg, fds] = recvFds(conn, 10, 4);
          assert.equal(decoder.decode(msg), "fd");
          assert.equal(fds.length, 1);
          assert.equal(decoder.decode(read(fds[0]!, 100)), "from python");
          close(fds[0]!);
          conn.send(text("."));
        } finally {
          conn.close();
        }
        assert.deepEqual(await exited, [0, ""]);
      })
    ),
  );

  it(
    "iomux sends a pipe's read end and another's write end; python3 uses both",
    leakFree(() =>
      withListener(async (server, path) => {
        const exited = python(PY_RECEIVES, path);
        const [conn] = server.accept();
        const [r1, w1] = pipe(), [r2, w2] = pipe();
        try {
          write(w1, text("from iomux"));
          assert.equal(sendFds(conn, [text("go")], [r1, w2]), 2);
          const [code, stdout] = await exited;
          assert.equal(code, 0);
          assert.deepEqual(JSON.parse(stdout), ["go", "from iomux", 2, 0]);
          assert.equal(decoder.decode(read(r2, 100)), "from python");
        } finally {
          [r1, w1, r2, w2].forEach(close);
          conn.close();
        }
      })
    ),
  );
});
