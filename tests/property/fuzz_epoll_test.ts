// Property tests of select.epoll: arbitrary constructor arguments, and random
// sequences of register, modify, unregister, poll, fileno, close and fromFd with
// arbitrary arguments, either work or fail with a documented error, and (when python3
// is here) do exactly what the same sequence does in CPython. The write end of a guard
// pipe is registered first (level-triggered EPOLLOUT), so no generated poll() blocks.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import fc from "npm:fast-check@4.11.0";
import { close, pipe } from "../../os/mod.ts";
import { Epoll, epoll, EPOLLOUT } from "../../select/mod.ts";
import { anyFd, anyInt, anyTimeout, fdNumber, nonNumber } from "./_arbitraries.ts";
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
import { readyPipe, useReadyPipe } from "./_fds.ts";

const NAMES = ["r", "w"];
/** CPython allocates `maxevents` entries; iomux caps its buffer at 2^20 (select/_epoll_events.ts). */
const MAX_EVENT_BUFFER = 1 << 20;

type OpName =
  | "register"
  | "modify"
  | "unregister"
  | "poll"
  | "fileno"
  | "closed"
  | "close"
  | "fromFd";
interface Op {
  op: OpName;
  args: Desc[];
}

const undef: Desc = { t: "undef" };
const fd = anyFd(NAMES);
const optInt = fc.oneof(anyInt, fc.constant(undef));
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fd, optInt).map(([f, m]): Op => ({ op: "register", args: [f, m] })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fd, anyInt).map(([f, m]): Op => ({ op: "modify", args: [f, m] })),
  },
  { weight: 2, arbitrary: fd.map((f): Op => ({ op: "unregister", args: [f] })) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.oneof(anyTimeout, fc.constant(undef)), optInt)
      .map(([t, m]): Op => ({ op: "poll", args: [t, m] })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Op>({ op: "fileno", args: [] }, { op: "closed", args: [] }),
  },
  { weight: 1, arbitrary: fc.constant<Op>({ op: "close", args: [] }) },
  // Only values that cannot adopt one of this process's open fds.
  {
    weight: 1,
    arbitrary: fc.oneof(fdNumber.filter((d) => !(d.t === "num" && d.v >= 1024)), nonNumber)
      .map((f): Op => ({ op: "fromFd", args: [f] })),
  },
);
const ops = fc.array(op, { minLength: 1, maxLength: 12 });
const ctorArgs = fc.tuple(optInt, optInt);

const ready = readyPipe();
let gr = -1;
let gw = -1;

function events(env: Env) {
  return (r: unknown) => (r as [number, number][]).map(([f, ev]) => [env.fd(f), ev]);
}

function apply(ep: Epoll, o: Op, env: Env): Outcome {
  const a = o.args.map((d) => toJs(d, env)) as [number, number];
  const none = () => null;
  switch (o.op) {
    case "register":
      return outcome(() => ep.register(a[0], a[1]), none);
    case "modify":
      return outcome(() => ep.modify(a[0], a[1]), none);
    case "unregister":
      return outcome(() => ep.unregister(a[0]), none);
    case "poll":
      return outcome(() => ep.poll(a[0], a[1]), events(env));
    case "fileno":
      return outcome(() => ep.fileno(), (n) => typeof n === "number" && n >= 0);
    case "closed":
      return outcome(() => ep.closed, (b) => b);
    case "close":
      return outcome(() => ep.close(), none);
    case "fromFd":
      return outcome(() => Epoll.fromFd(a[0]), (e) => {
        (e as Epoll).close();
        return "epoll";
      });
  }
}

function runJs(seq: Op[]): Outcome[] {
  const env = new Env({ r: ready.r, w: ready.w });
  using ep = epoll();
  ep.register(gw, EPOLLOUT);
  return seq.map((o) => documented(apply(ep, o, env)));
}

function runCtor([sizehint, flags]: [Desc, Desc]): Outcome {
  const env = new Env({});
  const s = toJs(sizehint, env) as number;
  const f = toJs(flags, env) as number;
  return documented(outcome(() => epoll(s, f), (e) => {
    (e as Epoll).close();
    return "epoll";
  }));
}

function pyOp(o: Op): unknown {
  return {
    op: o.op,
    args: o.args.map((d, i) => {
      const optional = o.op === "poll" || (o.op === "register" && i === 1);
      return toPy(d, o.op === "poll" && i === 0 ? "timeout" : "int", optional);
    }),
  };
}

const PYTHON = `
R, W = os.pipe()
os.write(W, b"x")
GR, GW = os.pipe()

def kw(names, args):
    return {n: a for n, a in zip(names, args) if a is not OMIT}

def run(c):
    if c["kind"] == "ctor":
        a = [conv(x, Env({})) for x in c["args"]]
        def made(e):
            e.close()
            return "epoll"
        return outcome(lambda: select.epoll(**kw(["sizehint", "flags"], a)), made)
    env = Env({"r": R, "w": W})
    ep = select.epoll()
    ep.register(GW, select.EPOLLOUT)
    out = []
    for o in c["ops"]:
        a = [conv(x, env) for x in o["args"]]
        name = o["op"]
        if name == "register":
            r = outcome(lambda: ep.register(*[x for x in a if x is not OMIT]), lambda r: r)
        elif name == "modify":
            r = outcome(lambda: ep.modify(*a), lambda r: r)
        elif name == "unregister":
            r = outcome(lambda: ep.unregister(*a), lambda r: r)
        elif name == "poll":
            m = a[1]
            if type(m) is int and ${MAX_EVENT_BUFFER} < m <= 2**31 - 1:
                a[1] = ${MAX_EVENT_BUFFER}
            r = outcome(lambda: ep.poll(**kw(["timeout", "maxevents"], a)),
                        lambda r: [[env.fd(f), ev] for f, ev in r])
        elif name == "fileno":
            r = outcome(ep.fileno, lambda n: type(n) is int and n >= 0)
        elif name == "closed":
            r = outcome(lambda: ep.closed, lambda b: b)
        elif name == "close":
            r = outcome(ep.close, lambda r: r)
        elif name == "fromFd":
            def made(e):
                e.close()
                return "epoll"
            r = outcome(lambda: select.epoll.fromfd(*a), made)
            # Below -1, CPython reports whatever errno was left over (often 0);
            # iomux reports EBADF.
            if type(a[0]) is int and a[0] < -1 and "err" in r and r["msg"].startswith("[Errno"):
                r = {"err": "OSError", "msg": "[Errno 9] Bad file descriptor"}
        out.append(r)
    ep.close()
    return out
`;

describe("epoll objects under arbitrary input", { skip: process.platform !== "linux" }, () => {
  useReadyPipe(ready);
  before(() => {
    [gr, gw] = pipe();
  });
  after(() => {
    close(gr);
    close(gw);
  });

  it("the constructor works or throws a documented error (2,000 argument pairs)", () => {
    fc.assert(fc.property(ctorArgs, (args) => void runCtor(args)), { numRuns: 2000 });
  });

  it("every call works or throws a documented error (2,000 sequences, shrunk on failure)", () => {
    fc.assert(fc.property(ops, (seq) => void runJs(seq)), { numRuns: 2000 });
  });

  it("poll() never returns more than maxevents, nor an fd that was not registered", () => {
    fc.assert(
      fc.property(ops, (seq) => {
        const outs = runJs(seq);
        for (const [i, o] of outs.entries()) {
          if (seq[i]!.op !== "poll" || !("ok" in o)) continue;
          const m = toJs(seq[i]!.args[1]!, new Env({}));
          const max = m === undefined || Number(m) === -1 ? 1023 : Number(m);
          const result = o.ok as [unknown, number][];
          assert.ok(result.length >= 1 && result.length <= max);
          for (const [f] of result) assert.ok(f === "r" || f === "w" || f === gw, show(result));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("matches CPython call for call over 1,000 sequences", { skip: !hasPython() }, () => {
    const seqs = fc.sample(ops, 1000);
    const ctors = fc.sample(ctorArgs, 1000);
    const expected = runPython(PYTHON, [
      ...seqs.map((seq) => ({ kind: "ops", ops: seq.map(pyOp) })),
      ...ctors.map((args) => ({ kind: "ctor", args: args.map((d) => toPy(d, "int", true)) })),
    ]);
    for (const [i, seq] of seqs.entries()) {
      const actual = runJs(seq);
      const want = labelGuard(expected[i]) as Outcome[];
      for (const [j, o] of actual.entries()) {
        assert.deepEqual(o, want[j], `call ${j} of ${show(seq)}`);
      }
    }
    for (const [i, args] of ctors.entries()) {
      assert.deepEqual(runCtor(args), expected[seqs.length + i], `epoll(${show(args)})`);
    }
  });
});

/** Python labels the guard by its own fd number; use this process's. */
function labelGuard(out: unknown): unknown {
  return (out as Outcome[]).map((o) =>
    "ok" in o && Array.isArray(o.ok)
      ? { ok: o.ok.map(([f, ev]: [unknown, number]) => [typeof f === "number" ? gw : f, ev]) }
      : o
  );
}

after(() => console.log(`${callsMade()} calls made with generated arguments`));
