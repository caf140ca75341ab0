// Property tests of select.select(): arbitrary lists, items and timeouts either work
// or fail with a documented error, and (when python3 is here) with CPython's error,
// word for word. Every generated call has a ready fd in it, so none of them blocks.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { select } from "../../select/mod.ts";
import { anyFd, anyTimeout, nonNumber } from "./_arbitraries.ts";
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

interface SelectCase {
  args: [Desc, Desc, Desc, Desc];
}

const list = fc.array(anyFd(NAMES), { maxLength: 6 }).map((items): Desc => ({ t: "list", items }));
const listOrNot = fc.oneof({ weight: 5, arbitrary: list }, { weight: 1, arbitrary: nonNumber });

/**
 * A select() call with a ready fd (the readable end in rlist or the writable end
 * in wlist) at a random place, so that a call that passes the argument checks
 * returns at once whatever its timeout.
 */
const selectCase: fc.Arbitrary<SelectCase> = fc
  .tuple(listOrNot, listOrNot, listOrNot, anyTimeout, fc.nat(1), fc.nat(6))
  .map(([r, w, x, timeout, which, at]) => {
    const args: [Desc, Desc, Desc, Desc] = [r, w, x, timeout];
    const target = args[which]!;
    const items = target.t === "list" ? [...target.items] : [];
    items.splice(Math.min(at, items.length), 0, { t: "fd", name: NAMES[which]! });
    args[which] = { t: "list", items };
    return { args };
  });

const ready = readyPipe();

function runJs(c: SelectCase): Outcome {
  const env = new Env({ r: ready.r, w: ready.w });
  const [r, w, x, t] = c.args.map((d) => toJs(d, env));
  return documented(outcome(
    () => select(r as number[], w as number[], x as number[], t as number),
    (res) => (res as unknown[][]).map((l) => l.map((item) => env.item(item))),
  ));
}

const PYTHON = `
R, W = os.pipe()
os.write(W, b"x")

def run(c):
    env = Env({"r": R, "w": W})
    args = [conv(a, env) for a in c["args"]]
    return outcome(lambda: call(select.select, *args),
                   lambda res: [[env.item(x) for x in l] for l in res])
`;

describe("select() under arbitrary input", () => {
  useReadyPipe(ready);

  it("every call works or throws a documented error (5,000 inputs, shrunk on failure)", () => {
    fc.assert(fc.property(selectCase, (c) => void runJs(c)), { numRuns: 5000 });
  });

  it("results are the caller's own ready objects, in input order", () => {
    fc.assert(
      fc.property(selectCase, (c) => {
        const o = runJs(c);
        if (!("ok" in o)) return;
        const env = new Env({ r: ready.r, w: ready.w });
        const inputs = c.args.slice(0, 3).map((d) => toJs(d, env)) as unknown[][];
        const [rr, ww, xx] = o.ok as unknown[][];
        // r is readable, w writable, nothing has out-of-band data.
        const label = (l: unknown) => Array.isArray(l) ? l.map((i) => env.item(i)) : [];
        assert.deepEqual(
          rr,
          label(inputs[0]!).filter((l) => l === "r" || isReadyObj(l, env, ready.r)),
        );
        assert.deepEqual(
          ww,
          label(inputs[1]!).filter((l) => l === "w" || isReadyObj(l, env, ready.w)),
        );
        assert.deepEqual(xx, []);
      }),
      { numRuns: 1000 },
    );
  });

  it("matches CPython's result or error for 3,000 inputs", { skip: !hasPython() }, () => {
    const cases = fc.sample(selectCase, 3000);
    const expected = runPython(PYTHON, cases.map((c) => ({ args: c.args.map(pyArg) })));
    let compared = 0;
    for (const [i, c] of cases.entries()) {
      const actual = runJs(c);
      assert.deepEqual(actual, expected[i], `case ${show(c)}`);
      compared++;
    }
    assert.equal(compared, 3000);
  });
});

function pyArg(d: Desc, i: number): unknown {
  return i === 3 ? toPy(d, "timeout", true) : toPy(d, "int");
}

/** Whether a labelled object is a file object whose fileno() names `fd`. */
function isReadyObj(label: unknown, env: Env, fd: number): boolean {
  if (typeof label !== "string" || !label.startsWith("o")) return false;
  const o = env.objects[Number(label.slice(1))] as { fileno: unknown };
  return typeof o.fileno === "function" && o.fileno() === fd;
}

after(() => console.log(`${callsMade()} calls made with generated arguments`));
