/**
 * Shared machinery of the property tests (`fuzz_*_test.ts`): arbitrary argument
 * values described as plain data, their JS values, their Python equivalents, the
 * outcome of a call, and a batch runner that replays the same calls in `python3`
 * so that iomux's errors can be compared with CPython's, message for message.
 *
 * A value is generated as a {@linkcode Desc} so that both processes can build it.
 * JS values that have no Python twin are sent as an object of a Python class with
 * the name iomux reports for them (a JS boolean becomes an instance of a class
 * named `bool`, a plain object one named `dict`): iomux's type errors name the JS
 * value's Python type, and so do CPython's for such an object.
 *
 * Numbers follow iomux's documented reading of JS numbers: an integral number is a
 * Python `int` where an integer is expected (fds, masks, counts), while a timeout
 * reads a safe integer as `int` and any other number as `float`.
 *
 * @module
 */
import fc from "npm:fast-check@4.11.0";
import { pythonJson } from "../_kit/python.ts";

/** An argument value, as data both processes can build. */
export type Desc =
  | { t: "num"; v: number }
  | { t: "big"; v: bigint }
  | { t: "str"; v: string }
  | { t: "bool"; v: boolean }
  | { t: "null" }
  | { t: "undef" }
  | { t: "dict" }
  | { t: "sym" }
  | { t: "fn" }
  | { t: "list"; items: Desc[] }
  | { t: "fileno"; ret: Desc }
  | { t: "throws" }
  | { t: "attr"; v: Desc }
  | { t: "fd"; name: string }
  | { t: "bytes"; v: number[]; view: "u8" | "u16" | "ab" | "dv" };

/** Where a value goes: an integer argument or a timeout (see the module doc). */
export type Ctx = "int" | "timeout" | "sel";

/** What a call did: its labelled result, or the error it threw. */
export type Outcome = { ok: unknown } | { err: string; msg: string };

/** The error a fileno() throws in the tests; it must come out unchanged. */
export class Boom extends Error {
  constructor() {
    super("boom");
    this.name = "Boom";
  }
}

/** An object with a `fileno` attribute, named so in both languages. */
export class FileObj {
  fileno: unknown;
  /** Its creation index in the case, which its repr shows in both languages. */
  label = "";
  constructor(fileno: unknown) {
    this.fileno = fileno;
  }
  toString(): string {
    return `FileObj(${this.label})`;
  }
}

/** The fds and objects one case built, to turn results back into labels. */
export class Env {
  readonly objects: unknown[] = [];
  constructor(readonly fds: Record<string, number>) {}

  /** Label of an fd number: its name if it is one of the case's own fds. */
  fd(n: unknown): unknown {
    for (const [name, fd] of Object.entries(this.fds)) if (fd === n) return name;
    return typeof n === "bigint" ? `n${n}` : n;
  }

  /** Label of an object handed back by `select`. */
  item(x: unknown): unknown {
    const i = this.objects.indexOf(x);
    return i >= 0 ? `o${i}` : this.fd(x);
  }
}

const sym = Symbol("fuzz");
function fn() {}

/** The JS value of a description; objects are recorded in `env` in creation order. */
export function toJs(d: Desc, env: Env): unknown {
  switch (d.t) {
    case "num":
    case "big":
    case "str":
    case "bool":
      return d.v;
    case "null":
      return null;
    case "undef":
      return undefined;
    case "dict":
      return {};
    case "sym":
      return sym;
    case "fn":
      return fn;
    case "list":
      return d.items.map((x) => toJs(x, env));
    case "fileno": {
      const ret = toJs(d.ret, env);
      const o = new FileObj(() => ret);
      o.label = `o${env.objects.push(o) - 1}`;
      return o;
    }
    case "throws": {
      const o = new FileObj(() => {
        throw new Boom();
      });
      o.label = `o${env.objects.push(o) - 1}`;
      return o;
    }
    case "attr": {
      const o = new FileObj(toJs(d.v, env));
      o.label = `o${env.objects.push(o) - 1}`;
      return o;
    }
    case "fd":
      return env.fds[d.name];
    case "bytes": {
      const bytes = new Uint8Array(d.v);
      if (d.view === "u8") return bytes;
      if (d.view === "ab") return bytes.buffer;
      if (d.view === "dv") return new DataView(bytes.buffer);
      return new Uint16Array(bytes.buffer, 0, bytes.length >> 1);
    }
  }
}

function pyNumber(v: number, ctx: Ctx): unknown {
  const integral = ctx === "timeout" ? Number.isSafeInteger(v) : Number.isInteger(v);
  if (integral) return { t: "int", v: BigInt(v).toString() };
  const s = Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
  return { t: "float", v: s };
}

/**
 * The Python twin of a description, as JSON data for the runner. `optional` marks
 * a trailing optional parameter, where `undefined` means "left out".
 */
export function toPy(d: Desc, ctx: Ctx, optional = false): unknown {
  switch (d.t) {
    case "num":
      return pyNumber(d.v, ctx);
    case "big":
      return { t: "int", v: d.v.toString() };
    case "str":
      return { t: "str", v: d.v };
    case "bool":
      // selectors treats a boolean as Python does a bool: an int.
      return ctx === "sel" ? { t: "bool", v: d.v } : { t: "named", v: "bool" };
    case "null":
      return { t: "none" };
    case "undef":
      return optional ? { t: "omit" } : { t: "none" };
    case "dict":
      return ctx === "sel" ? { t: "dict" } : { t: "named", v: "dict" };
    case "sym":
      return { t: "named", v: "symbol" };
    case "fn":
      return { t: "named", v: "function" };
    case "list":
      return { t: "list", items: d.items.map((x) => toPy(x, ctx === "sel" ? "sel" : "int")) };
    case "fileno":
      return { t: "fileno", ret: toPy(d.ret, "int") };
    case "throws":
      return { t: "throws" };
    case "attr":
      // A JS property holding undefined reads as a missing one.
      // A JS function stored as fileno is callable and returns undefined.
      if (d.v.t === "undef") return { t: "bare" };
      if (d.v.t === "fn") return { t: "fileno", ret: { t: "none" } };
      return { t: "attr", v: toPy(d.v, "int") };
    case "fd":
      return d;
    case "bytes":
      return { t: "bytes", v: d.view === "u16" ? d.v.slice(0, d.v.length & ~1) : d.v };
  }
}

let calls = 0;

/** How many calls {@linkcode outcome} has made in this process (for the figures). */
export function callsMade(): number {
  return calls;
}

/** Runs `call`, labelling its result with `label` or recording its error. */
export function outcome(call: () => unknown, label: (r: unknown) => unknown): Outcome {
  calls++;
  try {
    return { ok: label(call()) };
  } catch (e) {
    if (!(e instanceof Error)) return { err: "non-Error", msg: String(e) };
    return { err: e.constructor.name, msg: e.message };
  }
}

/** The error classes a documented failure may have (errors.ts, TypeError, RangeError). */
export const DOCUMENTED = new Set([
  "TypeError",
  "RangeError",
  "ValueError",
  "KeyError",
  "RuntimeError",
  "OSError",
  "FileNotFoundError",
  "FileExistsError",
  "PermissionError",
  "BlockingIOError",
  "BrokenPipeError",
  "InterruptedError",
  "IsADirectoryError",
  "NotADirectoryError",
  "ConnectionError",
  "ConnectionResetError",
  "ConnectionRefusedError",
  "ConnectionAbortedError",
  "TimeoutError",
  "Boom",
]);

/**
 * Messages of errors the runtime itself raises (an FFI argument conversion, a bug in
 * iomux): a TypeError with one of these is not a documented error.
 */
const RUNTIME_ERROR =
  /FFI|Cannot (read|convert|mix)|is not a function|is not iterable \(|undefined|BigInt|Maximum call stack/;

/** Asserts that an outcome is a result or a documented error; returns it. */
export function documented(o: Outcome): Outcome {
  if ("err" in o && (!DOCUMENTED.has(o.err) || RUNTIME_ERROR.test(o.msg))) {
    throw new Error(`undocumented error ${o.err}: ${o.msg}`);
  }
  return o;
}

// ---- arbitraries -------------------------------------------------------------

const numberEdges = [
  0,
  -0,
  1,
  -1,
  -2,
  0.5,
  1.5,
  -0.5,
  1e-10,
  -1e-10,
  2 ** 15,
  2 ** 16 - 1,
  2 ** 16,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  2 ** 64,
  -(2 ** 64),
  2 ** 70,
  1e300,
  -1e300,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  NaN,
  Infinity,
  -Infinity,
];
const bigEdges = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 63n, 2n ** 64n, 2n ** 100n];

/** Numbers of every edge: zeros, powers of two around C limits, fractions, NaN, infinities. */
export const anyNumber: fc.Arbitrary<Desc> = fc.oneof(
  fc.constantFrom(...numberEdges).map((v): Desc => ({ t: "num", v })),
  fc.integer({ min: -70000, max: 70000 }).map((v): Desc => ({ t: "num", v })),
  fc.double().map((v): Desc => ({ t: "num", v })),
  fc.constantFrom(...bigEdges).map((v): Desc => ({ t: "big", v })),
  fc.bigInt().map((v): Desc => ({ t: "big", v })),
);

/** Non-numbers: strings, null, undefined, booleans, objects, symbols, functions. */
export const nonNumber: fc.Arbitrary<Desc> = fc.oneof(
  fc.string({ maxLength: 3 }).map((v): Desc => ({ t: "str", v })),
  fc.constantFrom<Desc>(
    { t: "null" },
    { t: "undef" },
    { t: "dict" },
    { t: "sym" },
    { t: "fn" },
    { t: "bool", v: true },
    { t: "bool", v: false },
    { t: "list", items: [] },
  ),
);

/**
 * Integers that pass fd conversion without naming an fd this process may have
 * open: negatives, 1000–1022 (closed: {@linkcode assertClosed}), and fds beyond
 * `FD_SETSIZE`. 1023 is kept out: the poll tests use it as a guard.
 */
export const fdNumber: fc.Arbitrary<Desc> = fc.oneof(
  fc.integer({ min: 1000, max: 1022 }).map((v): Desc => ({ t: "num", v })),
  fc.integer({ min: 1024, max: 1 << 20 }).map((v): Desc => ({ t: "num", v })),
  fc.integer({ min: -(2 ** 31), max: -1 }).map((v): Desc => ({ t: "num", v })),
  fc.constantFrom(-1, 1024, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e300, 0.5, NaN, Infinity)
    .map((v): Desc => ({ t: "num", v })),
  fc.constantFrom(-1n, 1024n, 2n ** 31n, 2n ** 64n).map((v): Desc => ({ t: "big", v })),
);

/** A file object: a `fileno()` returning anything fd-like or not, throwing, or not callable. */
export function fileObject(names: string[]): fc.Arbitrary<Desc> {
  const ret = names.length > 0
    ? fc.oneof(fdNumber, nonNumber, fc.constantFrom(...names).map(fdOf))
    : fc.oneof(fdNumber, nonNumber);
  return fc.oneof(
    ret.map((r): Desc => ({ t: "fileno", ret: r })),
    fc.constant<Desc>({ t: "throws" }),
    fc.oneof(anyNumber, nonNumber).map((v): Desc => ({ t: "attr", v })),
  );
}

/** The description of one of the case's own fds. */
export function fdOf(name: string): Desc {
  return { t: "fd", name };
}

/** Whether a description is an integer that could name an fd open in either process. */
function mayBeOpenFd(d: Desc): boolean {
  const n = d.t === "num" && Number.isInteger(d.v) ? d.v : d.t === "big" ? Number(d.v) : NaN;
  return n >= 0 && n < 1000;
}

/** Anything that may be handed where an fd is expected (never an fd that may be open). */
export function anyFd(names: string[]): fc.Arbitrary<Desc> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...names).map(fdOf) },
    { weight: 3, arbitrary: fdNumber },
    { weight: 2, arbitrary: fileObject(names) },
    { weight: 2, arbitrary: nonNumber },
    { weight: 1, arbitrary: anyNumber.filter((d) => !mayBeOpenFd(d)) },
  );
}

/** Anything that may be handed where an integer (mask, count, flags) is expected. */
export const anyInt: fc.Arbitrary<Desc> = fc.oneof(
  { weight: 6, arbitrary: anyNumber },
  { weight: 2, arbitrary: nonNumber },
  { weight: 1, arbitrary: fileObject([]) },
);

/** Anything that may be handed as a timeout. */
export const anyTimeout: fc.Arbitrary<Desc> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom<Desc>({ t: "undef" }, { t: "null" }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -0,
      0.0001,
      -0.0009,
      -0.001,
      1e-7,
      2147484,
      9223372036,
      9223372037,
    )
      .map((v): Desc => ({ t: "num", v })),
  },
  { weight: 6, arbitrary: anyNumber },
  { weight: 2, arbitrary: nonNumber },
  { weight: 1, arbitrary: fileObject([]) },
);

// ---- the python3 side --------------------------------------------------------

/**
 * Runs `cases` through `script` (which defines `run(case, env)`, after the
 * shared prelude) in one python3 process and returns one outcome list per case.
 */
export function runPython(script: string, cases: unknown[]): unknown[] {
  return pythonJson<unknown[]>(PRELUDE + script + MAIN, [], JSON.stringify(cases));
}

const PRELUDE = `
import json, os, select, sys

# Grow the fd table past 1023, as growFdTable() does on the JS side.
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 1023)
os.close(1023)
os.close(_null)
for _fd in range(1000, 1024):
    try:
        os.fstat(_fd)
        raise SystemExit("fd %d is open" % _fd)
    except OSError:
        pass

def place_fd(fd, target):
    """Moves fd onto target (which must be free here), the number the JS side has."""
    if fd != target:
        try:
            os.fstat(target)
            raise SystemExit("fd %d is in use in python3" % target)
        except OSError:
            pass
        os.dup2(fd, target)
        os.close(fd)
    return target

class Boom(Exception):
    pass

class FileObj:
    def __init__(self, fileno):
        self.fileno = fileno
    def __repr__(self):
        return "FileObj(%s)" % self.label

_named = {}
def named(name):
    if name not in _named:
        _named[name] = type(name, (), {})
    return _named[name]()

OMIT = object()

class Env:
    def __init__(self, fds):
        self.fds = fds
        self.objects = []
    def fd(self, n):
        for name, fd in self.fds.items():
            if fd == n and type(n) is int:
                return name
        return n
    def item(self, x):
        for i, o in enumerate(self.objects):
            if o is x:
                return "o%d" % i
        return self.fd(x)

def conv(d, env):
    t = d["t"]
    if t == "int": return int(d["v"])
    if t == "float": return float(d["v"])
    if t == "str": return d["v"]
    if t == "none": return None
    if t == "omit": return OMIT
    if t == "named": return named(d["v"])
    if t == "list": return [conv(x, env) for x in d["items"]]
    if t == "fd": return env.fds[d["name"]]
    if t == "bytes": return bytes(d["v"])
    if t == "bool": return d["v"]
    if t == "dict": return {}
    if t == "fileno":
        ret = conv(d["ret"], env)
        o = FileObj(lambda: ret)
    elif t == "throws":
        def boom():
            raise Boom("boom")
        o = FileObj(boom)
    elif t == "attr":
        o = FileObj(conv(d["v"], env))
    elif t == "bare":
        o = FileObj(None)
        del o.fileno
    else:
        raise AssertionError(t)
    o.label = "o%d" % len(env.objects)
    env.objects.append(o)
    return o

def call(f, *args):
    while args and args[-1] is OMIT:
        args = args[:-1]
    return f(*args)

NAMES = {"OverflowError": "RangeError"}
def outcome(thunk, label):
    try:
        return {"ok": label(thunk())}
    except Exception as e:
        name = type(e).__name__
        msg = str(e.args[0]) if isinstance(e, KeyError) else str(e)
        return {"err": NAMES.get(name, name), "msg": msg.replace("_PyTime_t", "PyTime_t")}
`;

const MAIN = `
cases = json.load(sys.stdin)
json.dump([run(c) for c in cases], sys.stdout)
`;

/**
 * Grows this process's fd table past 1023 by opening fds up to that number and
 * closing them. Linux's select(2) ignores the bits of fds beyond the table and
 * hands them back as ready (CPython then reports a closed fd 1000 as ready);
 * with the table grown, such an fd fails with EBADF whatever ran before.
 */
export function growFdTable(openDevNull: () => number, closeFd: (fd: number) => void): void {
  const opened: number[] = [];
  try {
    for (;;) {
      const fd = openDevNull();
      opened.push(fd);
      if (fd >= 1023) break;
    }
  } finally {
    for (const fd of opened) closeFd(fd);
  }
}

/** Asserts that every fd in `fds` is closed here (so a test may use it as a "bad" fd). */
export function assertClosed(fds: Iterable<number>, isOpen: (fd: number) => boolean): void {
  for (const fd of fds) {
    if (isOpen(fd)) throw new Error(`fd ${fd} is open; the fuzz tests need it closed`);
  }
}

/** A JSON replacer that keeps BigInts and special numbers readable in failure reports. */
export function show(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      typeof v === "bigint"
        ? `${v}n`
        : typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))
        ? String(Object.is(v, -0) ? "-0" : v)
        : v,
  );
}
