/**
 * Shared machinery of the property tests (`fuzz_*_test.ts`): argument values
 * described as plain data, their JS values, their Python equivalents, and the
 * outcome of a call, so that iomux's errors can be compared with CPython's, message
 * for message. The arbitraries that generate the descriptions are in
 * `_arbitraries.ts`, the batch runner that replays the same calls in `python3` in
 * `_python_runner.ts`, the fd table both sides prepare in `_fds.ts`.
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
