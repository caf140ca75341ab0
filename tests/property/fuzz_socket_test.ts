// Property tests of Socket: random sequences of recv, recvInto, recvFrom, send,
// sendAll, setsockopt, getsockopt and shutdown on one end of a non-blocking Unix
// socketpair, with arbitrary sizes, buffers, flags and option values, either work or
// fail with a documented error; recvInto never writes past the caller's buffer (nor
// past nbytes); and (when python3 is here) the same sequence does the same with
// CPython's socket module, which dup2s its socketpair onto this process's fd numbers.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_SNDBUF,
  SO_TYPE,
  type Socket,
  socketpair,
  SOL_SOCKET,
} from "../../socket/mod.ts";
import { anyInt, nonNumber } from "./_arbitraries.ts";
import {
  callsMade,
  type Desc,
  documented,
  Env,
  type Outcome,
  outcome,
  show,
  toJs,
  toPy,
} from "./_parity.ts";
import { runPython } from "./_python_runner.ts";
import { hasPython } from "../_kit/python.ts";

type OpName =
  | "recv"
  | "recvInto"
  | "recvFrom"
  | "send"
  | "sendAll"
  | "peerSend"
  | "peerRecv"
  | "setsockopt"
  | "getsockopt"
  | "shutdown";
interface Op {
  op: OpName;
  args: Desc[];
}

const num = (v: number): Desc => ({ t: "num", v });
const undef: Desc = { t: "undef" };
const size = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 40 }).map(num) },
  { weight: 1, arbitrary: anyInt.filter((d) => d.t !== "fileno" && d.t !== "attr") },
);
const flags = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undef) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, 2, /* MSG_PEEK */ 0x40, /* DONTWAIT */ 0x100).map(num),
  },
  { weight: 1, arbitrary: anyInt.filter((d) => d.t !== "fileno" && d.t !== "attr") },
);
const bytes = fc.record({
  t: fc.constant("bytes" as const),
  v: fc.array(fc.nat(255), { maxLength: 40 }),
  view: fc.constantFrom("u8" as const, "u16" as const, "ab" as const, "dv" as const),
}) as fc.Arbitrary<Desc>;
const data = fc.oneof({ weight: 5, arbitrary: bytes }, { weight: 1, arbitrary: nonNumber });
const optname = fc.oneof(
  fc.constantFrom(SO_REUSEADDR, SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, SO_LINGER, SO_TYPE, 12345).map(
    num,
  ),
  nonNumber,
);
const level = fc.oneof(
  { weight: 4, arbitrary: fc.constant(num(SOL_SOCKET)) },
  { weight: 1, arbitrary: fc.constantFrom(0, 6, -1, 2 ** 31).map(num) },
  { weight: 1, arbitrary: nonNumber },
);
const optvalue = fc.oneof(
  fc.integer({ min: -2, max: 1 << 20 }).map(num),
  bytes,
  fc.constantFrom<Desc>({ t: "null" }, num(2 ** 31), num(1.5), { t: "str", v: "x" }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(size, flags).map(([n, f]): Op => ({ op: "recv", args: [n, f] })),
  fc.tuple(
    fc.oneof({ weight: 5, arbitrary: bytes }, { weight: 1, arbitrary: nonNumber }),
    fc.oneof(fc.constant(undef), size),
    flags,
  )
    .map(([b, n, f]): Op => ({ op: "recvInto", args: [b, n, f] })),
  fc.tuple(size, flags).map(([n, f]): Op => ({ op: "recvFrom", args: [n, f] })),
  fc.tuple(data, flags).map(([d, f]): Op => ({ op: "send", args: [d, f] })),
  fc.tuple(data, flags).map(([d, f]): Op => ({ op: "sendAll", args: [d, f] })),
  fc.constant<Op>({ op: "peerSend", args: [] }),
  fc.constant<Op>({ op: "peerRecv", args: [] }),
  // optlen only with a null value: iomux ignores it otherwise, CPython refuses 4 arguments.
  fc.tuple(level, optname, optvalue, fc.oneof(fc.constant(undef), size))
    .map(([l, o, v, n]): Op => ({
      op: "setsockopt",
      args: v.t === "null" ? [l, o, v, n] : [l, o, v, undef],
    })),
  fc.tuple(level, optname, fc.oneof(fc.constant(undef), size))
    .map(([l, o, n]): Op => ({ op: "getsockopt", args: [l, o, n] })),
  fc.constantFrom(0, 1, 2, 3, -1).map((h): Op => ({ op: "shutdown", args: [num(h)] })),
);
const ops = fc.array(op, { minLength: 1, maxLength: 12 });

/** Errors about an argument's type or value, raised before the system call. */
const ARGUMENT_ERRORS = new Set(["TypeError", "RangeError", "ValueError"]);

/**
 * Argument errors whose words or class differ from CPython's on purpose, each with
 * its reason, keyed as `iomux error  |  CPython error`. Any other difference fails.
 */
const EXPECTED_DIFFERENCES: ReadonlyMap<string, string> = new Map(
  [
    "signed integer is greater than maximum",
    "signed integer is less than minimum",
    "Python int too large to convert to C long",
  ].map((msg) => [
    `RangeError: ${msg}  |  TypeError: setsockopt() takes exactly 3 arguments (4 given)`,
    // Modules/socketmodule.c sock_setsockopt tries "iiO!I" for (level, optname,
    // None, optlen), clears its OverflowError and reports the last format's arity
    // error instead; iomux keeps the RangeError (OverflowError's class) of the
    // argument that is out of range, as every other C int argument raises it.
    "an out-of-range level or optname with None and optlen stays a RangeError",
  ]),
);

const PEER_BYTES = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57]);

let spare: [Socket, Socket] | undefined;

function view(x: unknown): Uint8Array {
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  const v = x as ArrayBufferView;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function runJs(seq: Op[]): Outcome[] {
  const [a, b] = socketpair();
  a.setBlocking(false);
  b.setBlocking(false);
  const env = new Env({});
  const bytesOf = (r: unknown) => Array.from(r as Uint8Array);
  try {
    return seq.map((o) => {
      const x = o.args.map((d) => toJs(d, env)) as [never, never, never, never];
      switch (o.op) {
        case "recv":
          return outcome(() => a.recv(x[0], x[1]), bytesOf);
        case "recvInto": {
          const buffer = x[0] as unknown;
          const before = ArrayBuffer.isView(buffer) || buffer instanceof ArrayBuffer
            ? Array.from(view(buffer))
            : null;
          const result = outcome(() => a.recvInto(x[0], x[1], x[2]), (n) => {
            const after = Array.from(view(buffer));
            // Nothing past what was received may change.
            assert.deepEqual(after.slice(n as number), before!.slice(n as number));
            return [n, after];
          });
          return result;
        }
        case "recvFrom":
          return outcome(() => a.recvFrom(x[0], x[1]), (r) => {
            const [got, address] = r as [Uint8Array, unknown];
            return [Array.from(got), address ?? null];
          });
        case "send":
          return outcome(() => a.send(x[0], x[1]), (n) => n);
        case "sendAll":
          return outcome(() => a.sendAll(x[0], x[1]), () => null);
        case "peerSend":
          return outcome(() => b.send(PEER_BYTES), (n) => n);
        case "peerRecv":
          return outcome(() => b.recv(1 << 16), bytesOf);
        case "setsockopt":
          return outcome(() => a.setsockopt(x[0], x[1], x[2], x[3]), () => null);
        case "getsockopt":
          return outcome(
            () => a.getsockopt(x[0], x[1], x[2]),
            (r) => r instanceof Uint8Array ? Array.from(r) : r,
          );
        case "shutdown":
          return outcome(() => a.shutdown(x[0]), () => null);
      }
    }).map(documented);
  } finally {
    a.close();
    b.close();
  }
}

function pyOp(o: Op): unknown {
  const optional = (i: number) =>
    o.op === "setsockopt"
      ? i === 3
      : o.op === "getsockopt"
      ? i === 2
      : i >= 1 && o.op !== "shutdown";
  return { op: o.op, args: o.args.map((d, i) => toPy(d, "int", optional(i))) };
}

const PYTHON = (fds: [number, number]) => `
import socket
TARGET = ${JSON.stringify(fds)}

def pair():
    x, y = socket.socketpair()
    out = []
    for s, target in ((x, TARGET[0]), (y, TARGET[1])):
        out.append(socket.socket(fileno=place_fd(s.detach(), target)))
    return out

def run(ops):
    a, b = pair()
    a.setblocking(False)
    b.setblocking(False)
    env = Env({})
    out = []
    for o in ops:
        x = [conv(d, env) for d in o["args"]]
        name = o["op"]
        # CPython allocates bufsize bytes first (MemoryError for 2**53); iomux caps the
        # buffer at 0x7ffff000. Nothing here ever holds 1 MiB, so the bytes are the same.
        if name in ("recv", "recvFrom") and type(x[0]) is int and (1 << 20) < x[0] < 2**63:
            x[0] = 1 << 20
        if name == "recv":
            r = outcome(lambda: call(a.recv, *x), list)
        elif name == "recvInto":
            buf = bytearray(x[0]) if isinstance(x[0], bytes) else x[0]
            if len(x) > 2 and x[1] is OMIT and x[2] is not OMIT:
                x[1] = 0  # recv_into's default nbytes, before an explicit flags
            r = outcome(lambda: call(a.recv_into, buf, *x[1:]), lambda n: [n, list(buf)])
        elif name == "recvFrom":
            r = outcome(lambda: call(a.recvfrom, *x), lambda r: [list(r[0]), r[1] or None])
        elif name == "send":
            r = outcome(lambda: call(a.send, *x), lambda n: n)
        elif name == "sendAll":
            r = outcome(lambda: call(a.sendall, *x), lambda n: None)
        elif name == "peerSend":
            r = outcome(lambda: b.send(b"0123456789"), lambda n: n)
        elif name == "peerRecv":
            r = outcome(lambda: b.recv(1 << 16), list)
        elif name == "setsockopt":
            r = outcome(lambda: call(a.setsockopt, *x), lambda n: None)
        elif name == "getsockopt":
            r = outcome(lambda: call(a.getsockopt, *x), lambda r: list(r) if isinstance(r, bytes) else r)
        else:
            r = outcome(lambda: a.shutdown(*x), lambda n: None)
        out.append(r)
    a.close()
    b.close()
    return out
`;

describe("Socket under arbitrary input", () => {
  before(() => {
    // The fd numbers every case's socketpair gets (each case closes its pair).
    spare = socketpair();
  });
  after(() => {
    spare?.[0].close();
    spare?.[1].close();
  });

  it("every call works or throws a documented error (2,000 sequences, shrunk on failure)", () => {
    fc.assert(fc.property(ops, (seq) => void runJs(seq)), { numRuns: 2000 });
  });

  it("recvInto/recvFromInto into a view of a larger buffer write only [0, n) of the view", () => {
    fc.assert(
      fc.property(
        fc.nat(64),
        fc.nat(64),
        fc.nat(64),
        fc.option(fc.nat(64), { nil: undefined }),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        (before, length, after, nbytes, sent, from) => {
          const [a, b] = socketpair();
          try {
            a.setBlocking(false);
            if (sent.length > 0) b.sendAll(sent);
            const whole = new Uint8Array(before + length + after).fill(0xa5);
            const view = whole.subarray(before, before + length);
            const call = () => from ? a.recvFromInto(view, nbytes)[0] : a.recvInto(view, nbytes);
            const o = documented(outcome(call, (n) => n));
            const n = "ok" in o ? o.ok as number : 0;
            if ("err" in o) {
              // Only "nbytes larger than the buffer" or "nothing to read" may fail.
              assert.ok(
                (nbytes !== undefined && nbytes > length) || sent.length === 0,
                `${o.err}: ${o.msg}`,
              );
            } else {
              assert.ok(n <= (nbytes || length) && n <= sent.length);
              assert.deepEqual(Array.from(view.subarray(0, n)), Array.from(sent.subarray(0, n)));
            }
            for (let i = 0; i < whole.length; i++) {
              if (i >= before && i < before + n) continue;
              assert.equal(whole[i], 0xa5, `byte ${i - before} of the view changed (n = ${n})`);
            }
          } finally {
            a.close();
            b.close();
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it(
    "matches CPython's socket module call for call over 800 sequences",
    { skip: !hasPython() },
    () => {
      const [s0, s1] = spare!;
      const fds: [number, number] = [s0.fileno(), s1.fileno()];
      s0.close();
      s1.close();
      spare = undefined;
      const seqs = fc.sample(ops, 800);
      const expected = runPython(PYTHON(fds), seqs.map((seq) => seq.map(pyOp)));
      for (const [i, seq] of seqs.entries()) {
        const want = expected[i] as Outcome[];
        const actual = runJs(seq);
        for (const [j, o] of actual.entries()) {
          const w = want[j]!;
          if (
            "err" in o && "err" in w && ARGUMENT_ERRORS.has(o.err) && ARGUMENT_ERRORS.has(w.err) &&
            EXPECTED_DIFFERENCES.has(`${o.err}: ${o.msg}  |  ${w.err}: ${w.msg}`)
          ) continue;
          assert.deepEqual(o, w, `call ${j} of ${show(seq)}`);
        }
      }
    },
  );
});

after(() => console.log(`${callsMade()} calls made with generated arguments`));
