// Property tests of the selectors: random sequences of register, modify, unregister,
// getKey, select, mapping lookups and close, with arbitrary file objects, events, data
// and timeouts, either work or fail with a documented error, and (when python3 is here)
// do exactly what the same sequence does with CPython's selectors, messages included.
// python3 moves its pipes onto this process's fd numbers (dup2), so fds and messages
// match literally. A guard pipe's write end, registered first for EVENT_WRITE, keeps
// every select() from blocking.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import fc from "npm:fast-check@4.11.0";
import { close, pipe, write } from "../../os/mod.ts";
import {
  type BaseSelector,
  EpollSelector,
  EVENT_WRITE,
  PollSelector,
  SelectorKey,
  SelectSelector,
} from "../../selectors/mod.ts";
import { anyInt, anyTimeout, fdNumber } from "./_arbitraries.ts";
import {
  callsMade,
  type Desc,
  documented,
  Env,
  FileObj,
  type Outcome,
  outcome,
  show,
  toJs,
  toPy,
} from "./_parity.ts";
import { runPython } from "./_python_runner.ts";
import { hasPython } from "../_kit/python.ts";
import { prepareFdTable } from "./_fds.ts";

const CLASSES: [string, () => BaseSelector][] = [
  ["SelectSelector", () => new SelectSelector()],
  ["PollSelector", () => new PollSelector()],
];
if (process.platform === "linux") CLASSES.push(["EpollSelector", () => new EpollSelector()]);

type OpName =
  | "register"
  | "unregister"
  | "modify"
  | "getKey"
  | "select"
  | "mapGet"
  | "mapHas"
  | "mapSize"
  | "close";
interface Op {
  op: OpName;
  args: Desc[];
}
interface Case {
  cls: number;
  ops: Op[];
}

let fds: Record<string, number> = {};

/**
 * Whether a number reads the same in both languages: an integral number beyond 2^53
 * is a float to iomux (its repr "1e+300") and an int to the Python side here.
 */
function safe(d: Desc): boolean {
  if (d.t === "big") return d.v >= -(2n ** 53n) && d.v <= 2n ** 53n;
  return d.t !== "num" || !Number.isInteger(d.v) || Number.isSafeInteger(d.v);
}

/** An fd number (after int()) that may be open in either process: the parity needs it closed. */
function mayBeOpen(d: Desc): boolean {
  if (d.t !== "num") return false;
  const fd = Math.trunc(d.v);
  return fd >= 0 && fd < 1000;
}

const real = fc.constantFrom("r", "w").map((name): Desc => ({ t: "fd", name }));
const filenoReturns = fc.oneof(
  real,
  fdNumber.filter((d) => d.t === "num" && safe(d) && !mayBeOpen(d)),
  fc.constantFrom<Desc>(
    { t: "str", v: "7x" },
    { t: "str", v: " -3 " },
    { t: "str", v: " 1007 " },
    { t: "num", v: 1005.9 },
    { t: "num", v: -1.5 },
    { t: "num", v: NaN },
    { t: "num", v: Infinity },
    { t: "null" },
    { t: "list", items: [] },
  ),
);
const fileobj: fc.Arbitrary<Desc> = fc.oneof(
  { weight: 4, arbitrary: real },
  { weight: 2, arbitrary: fdNumber.filter((d) => d.t === "num" && safe(d) && !mayBeOpen(d)) },
  { weight: 3, arbitrary: filenoReturns.map((ret): Desc => ({ t: "fileno", ret })) },
  { weight: 1, arbitrary: fc.constant<Desc>({ t: "throws" }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Desc>(
      { t: "str", v: "abc" },
      { t: "null" },
      { t: "dict" },
      { t: "list", items: [] },
      { t: "num", v: 1.5 },
    ),
  },
);
const events: fc.Arbitrary<Desc> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(1, 2, 3).map((v): Desc => ({ t: "num", v })) },
  { weight: 1, arbitrary: fc.constantFrom(true, false).map((v): Desc => ({ t: "bool", v })) },
  // An integral number beyond 2^53 is a float to iomux and an int to the mapping here.
  { weight: 3, arbitrary: anyInt.filter((d) => d.t !== "fileno" && d.t !== "attr" && safe(d)) },
);
const data: fc.Arbitrary<Desc> = fc.oneof(
  fc.constant<Desc>({ t: "undef" }),
  fc.integer({ min: -5, max: 5 }).map((v): Desc => ({ t: "num", v })),
  fc.constantFrom<Desc>({ t: "str", v: "data" }, { t: "null" }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fileobj, events, data).map(([f, e, d]): Op => ({
      op: "register",
      args: [f, e, d],
    })),
  },
  { weight: 2, arbitrary: fileobj.map((f): Op => ({ op: "unregister", args: [f] })) },
  {
    weight: 2,
    arbitrary: fc.tuple(fileobj, events, data).map(([f, e, d]): Op => ({
      op: "modify",
      args: [f, e, d],
    })),
  },
  { weight: 1, arbitrary: fileobj.map((f): Op => ({ op: "getKey", args: [f] })) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      anyTimeout.filter((d) => !["fileno", "attr", "sym", "fn"].includes(d.t) && safe(d)),
      fc.constant<Desc>({ t: "undef" }),
    ).map((t): Op => ({ op: "select", args: [t] })),
  },
  { weight: 1, arbitrary: fileobj.map((f): Op => ({ op: "mapGet", args: [f] })) },
  { weight: 1, arbitrary: fileobj.map((f): Op => ({ op: "mapHas", args: [f] })) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: "mapSize", args: [] }) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: "close", args: [] }) },
);
const cases: fc.Arbitrary<Case> = fc.record({
  cls: fc.nat(CLASSES.length - 1),
  ops: fc.array(op, { minLength: 1, maxLength: 10 }),
});

function label(x: unknown, env: Env): unknown {
  if (x === undefined || x === null) return null;
  if (x instanceof FileObj) return env.item(x);
  if (typeof x === "number") return Number.isNaN(x) ? "nan" : x;
  if (typeof x === "boolean") return x ? 1 : 0;
  if (Array.isArray(x)) return x.map((i) => label(i, env));
  if (typeof x === "string") return x;
  if (x instanceof SelectorKey) {
    return [label(x.fileobj, env), x.fd, x.events, label(x.data, env)];
  }
  return `<${typeof x}>`;
}

function runCase(c: Case): Outcome[] {
  const env = new Env({ r: fds.r!, w: fds.w! });
  const sel = CLASSES[c.cls]![1]();
  sel.register(fds.g!, EVENT_WRITE, "guard");
  const lab = (x: unknown) => label(x, env);
  const out = c.ops.map((o) => {
    const a = o.args.map((d) => toJs(d, env)) as [number, number, unknown];
    switch (o.op) {
      case "register":
        return outcome(() => sel.register(a[0], a[1], a[2]), lab);
      case "unregister":
        return outcome(() => sel.unregister(a[0]), lab);
      case "modify":
        return outcome(() => sel.modify(a[0], a[1], a[2]), lab);
      case "getKey":
        return outcome(() => sel.getKey(a[0]), lab);
      case "select":
        return outcome(() => sel.select(a[0]), (r) =>
          (r as [SelectorKey, number][])
            .map(([k, ev]) => [lab(k), ev] as [unknown[], number])
            .sort((x, y) => (x[0][1] as number) - (y[0][1] as number)));
      case "mapGet":
        return outcome(() => sel.getMap().get(a[0]), lab);
      case "mapHas":
        return outcome(() => sel.getMap().has(a[0]), (b) => b);
      case "mapSize":
        return outcome(() => sel.getMap().size, (n) => n);
      case "close":
        return outcome(() => sel.close(), () => null);
    }
  });
  sel.close();
  return out.map(documented);
}

function pyCase(c: Case): unknown {
  return {
    cls: CLASSES[c.cls]![0],
    ops: c.ops.map((o) => ({
      op: o.op,
      args: o.args.map((d, i) =>
        o.op === "select" ? toPy(d, "timeout", true) : toPy(d, "sel", i === 2)
      ),
    })),
  };
}

const PYTHON = (jsFds: Record<string, number>) => `
import selectors
FDS = ${JSON.stringify(jsFds)}
R, W = os.pipe()
os.write(W, b"x")
GR, GW = os.pipe()
for name, fd in (("r", R), ("w", W), ("gr", GR), ("g", GW)):
    place_fd(fd, FDS[name])

def label(x, env):
    if x is None: return None
    if isinstance(x, FileObj): return env.item(x)
    if isinstance(x, bool): return int(x)
    if isinstance(x, float) and x != x: return "nan"
    if isinstance(x, (int, float, str)): return x
    if isinstance(x, list): return [label(i, env) for i in x]
    if isinstance(x, selectors.SelectorKey):
        # iomux stores events as a number (True is 1).
        return [label(x.fileobj, env), x.fd, int(x.events), label(x.data, env)]
    return "<%s>" % type(x).__name__

def run(c):
    env = Env({"r": FDS["r"], "w": FDS["w"]})
    sel = getattr(selectors, c["cls"])()
    sel.register(FDS["g"], selectors.EVENT_WRITE, "guard")
    # iomux's getMap() keeps returning the mapping it returned before close().
    m = sel.get_map()
    lab = lambda x: label(x, env)
    out = []
    for o in c["ops"]:
        a = [conv(x, env) for x in o["args"]]
        name = o["op"]
        if name == "register":
            r = outcome(lambda: call(sel.register, *a), lab)
        elif name == "unregister":
            r = outcome(lambda: sel.unregister(*a), lab)
        elif name == "modify":
            r = outcome(lambda: call(sel.modify, *a), lab)
        elif name == "getKey":
            r = outcome(lambda: sel.get_key(*a), lab)
        elif name == "select":
            r = outcome(lambda: call(sel.select, *a),
                        lambda res: sorted([[lab(k), ev] for k, ev in res], key=lambda p: p[0][1]))
        elif name == "mapGet":
            r = outcome(lambda: m.get(*a), lab)
        elif name == "mapHas":
            r = outcome(lambda: a[0] in m, lambda b: b)
        elif name == "mapSize":
            r = outcome(lambda: len(m), lambda n: n)
        else:
            r = outcome(sel.close, lambda x: None)
        out.append(r)
    sel.close()
    return out
`;

describe("selectors under arbitrary input", () => {
  before(() => {
    prepareFdTable();
    const [r, w] = pipe();
    const [gr, g] = pipe();
    write(w, new Uint8Array([1]));
    fds = { r, w, gr, g };
  });
  after(() => {
    for (const fd of Object.values(fds)) close(fd);
  });

  it("every call works or throws a documented error (2,000 sequences, shrunk on failure)", () => {
    fc.assert(fc.property(cases, (c) => void runCase(c)), { numRuns: 2000 });
  });

  it(
    "matches CPython's selectors call for call over 1,000 sequences",
    { skip: !hasPython() },
    () => {
      const sample = fc.sample(cases, 1000);
      const expected = runPython(PYTHON(fds), sample.map(pyCase));
      for (const [i, c] of sample.entries()) {
        const want = expected[i] as Outcome[];
        for (const [j, o] of runCase(c).entries()) {
          assert.deepEqual(o, want[j], `${CLASSES[c.cls]![0]}: call ${j} of ${show(c.ops)}`);
        }
      }
    },
  );
});

after(() => console.log(`${callsMade()} calls made with generated arguments`));
