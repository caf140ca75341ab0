// Property tests of select.poll objects: random sequences of register, modify,
// unregister and poll with arbitrary arguments either work or fail with a documented
// error, and (when python3 is here) do exactly what the same sequence does in CPython.
// A closed fd (1023) is registered first in every object: poll reports it as POLLNVAL
// at once, so no generated poll() blocks, whatever its timeout.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { type Poll, poll, POLLIN, POLLNVAL } from "../../select/mod.ts";
import { anyFd, anyInt, anyTimeout } from "./_arbitraries.ts";
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
const GUARD = 1023;

interface Op {
  op: "register" | "modify" | "modify1" | "unregister" | "poll";
  args: Desc[];
}

const undef: Desc = { t: "undef" };
const fd = anyFd(NAMES);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(fd, fc.oneof(anyInt, fc.constant(undef))).map(([f, m]): Op => ({
    op: "register",
    args: [f, m],
  })),
  fc.tuple(fd, anyInt).map(([f, m]): Op => ({ op: "modify", args: [f, m] })),
  fd.map((f): Op => ({ op: "modify1", args: [f] })),
  fd.map((f): Op => ({ op: "unregister", args: [f] })),
  anyTimeout.map((t): Op => ({ op: "poll", args: [t] })),
);
const ops = fc.array(op, { minLength: 1, maxLength: 12 });

const ready = readyPipe();

function apply(p: Poll, o: Op, env: Env): Outcome {
  const a = o.args.map((d) => toJs(d, env)) as [number, number];
  const none = () => null;
  switch (o.op) {
    case "register":
      return outcome(() => p.register(a[0], a[1]), none);
    case "modify":
      return outcome(() => p.modify(a[0], a[1]), none);
    case "modify1":
      // deno-lint-ignore no-explicit-any
      return outcome(() => (p.modify as any)(a[0]), none);
    case "unregister":
      return outcome(() => p.unregister(a[0]), none);
    case "poll":
      return outcome(
        () => p.poll(a[0]),
        (r) => (r as [number, number][]).map(([f, ev]) => [env.fd(f), ev]),
      );
  }
}

/** A KeyError names the fd, whose number differs between the processes. */
function labelKey(o: Outcome, env: Env): Outcome {
  if (!("err" in o) || o.err !== "KeyError") return o;
  return { err: o.err, msg: String(env.fd(Number(o.msg))) };
}

function runJs(seq: Op[]): Outcome[] {
  const env = new Env({ r: ready.r, w: ready.w });
  const p = poll();
  p.register(GUARD, POLLIN);
  return seq.map((o) => documented(labelKey(apply(p, o, env), env)));
}

function pyOp(o: Op): unknown {
  const ctx = o.op === "poll" ? "timeout" : "int";
  return {
    op: o.op,
    args: o.args.map((d, i) => toPy(d, i === 0 ? ctx : "int", o.op === "register" && i === 1)),
  };
}

const PYTHON = `
R, W = os.pipe()
os.write(W, b"x")

def run(ops):
    env = Env({"r": R, "w": W})
    p = select.poll()
    p.register(${GUARD}, select.POLLIN)
    out = []
    for o in ops:
        a = [conv(x, env) for x in o["args"]]
        name = o["op"]
        if name == "poll":
            out.append(outcome(lambda: call(p.poll, *a),
                               lambda r: [[env.fd(f), ev] for f, ev in r]))
        else:
            meth = getattr(p, "modify" if name == "modify1" else name)
            out.append(outcome(lambda: call(meth, *a), lambda r: r))
        if out[-1].get("err") == "KeyError":
            out[-1]["msg"] = str(env.fd(int(out[-1]["msg"])))
    return out
`;

describe("poll objects under arbitrary input", () => {
  useReadyPipe(ready);

  it("every call works or throws a documented error (2,000 sequences, shrunk on failure)", () => {
    fc.assert(fc.property(ops, (seq) => void runJs(seq)), { numRuns: 2000 });
  });

  it("poll() reports the guard as POLLNVAL and only registered fds", () => {
    fc.assert(
      fc.property(ops, (seq) => {
        for (const o of runJs(seq)) {
          if (!("ok" in o) || o.ok === null) continue;
          const result = o.ok as [unknown, number][];
          assert.deepEqual(result[0], [GUARD, POLLNVAL]);
          for (const [, ev] of result) assert.ok(ev > 0 && ev <= 0xffff);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("matches CPython call for call over 1,000 sequences", { skip: !hasPython() }, () => {
    const cases = fc.sample(ops, 1000);
    const expected = runPython(PYTHON, cases.map((seq) => seq.map(pyOp)));
    let calls = 0;
    for (const [i, seq] of cases.entries()) {
      const want = expected[i] as Outcome[];
      for (const [j, o] of runJs(seq).entries()) {
        assert.deepEqual(o, want[j], `call ${j} of ${show(seq)}`);
      }
      calls += seq.length;
    }
    assert.ok(calls >= 1000);
  });
});

after(() => console.log(`${callsMade()} calls made with generated arguments`));
