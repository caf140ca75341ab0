// getaddrinfo, getaddrinfoAsync and getnameinfo against the system resolver, on
// localhost and /etc/hosts names only (no test depends on the network), with python3 as
// the oracle for a table of calls: the same results, or the same error class, message
// and EAI code. "example.invalid" is the name that must fail, and fail fast.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import {
  AF_INET,
  AF_INET6,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_PASSIVE,
  EAI_NONAME,
  gaierror,
  getaddrinfo,
  getaddrinfoAsync,
  getnameinfo,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  OSError,
  SOCK_STREAM,
} from "../../socket/mod.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";
import { leakFree as fdChecked } from "../_kit/fds.ts";
import { procStatus } from "../_kit/resources.ts";

const python = hasPython("import socket");
const windows = abi.os === "windows";
/** The fd-leak check, where there are fds to count (not on Windows, which has no sh). */
const leakFree = windows ? <T>(body: T) => body : fdChecked;

/** An argument as JSON: bytes, floats and booleans are tagged so python3 rebuilds them. */
type Arg = null | number | string | { bytes: string } | { float: number } | { bool: boolean };

/** One call: `getaddrinfo(...args)` or `getnameinfo(...args)` (a list is a tuple). */
interface Case {
  fn: "getaddrinfo" | "getnameinfo";
  args: (Arg | Arg[])[];
}

/** What either side answered: the results, or the error's class, message and errno. */
type Outcome = { ok: unknown } | { error: string; message: string; errno: number | null };

const { AI_NUMERICSERV } = abi.netdb.constants;

const CASES: Case[] = [
  { fn: "getaddrinfo", args: ["localhost", 80] },
  { fn: "getaddrinfo", args: [null, 0, 0, 0, 0, AI_PASSIVE] },
  { fn: "getaddrinfo", args: ["", 80] },
  { fn: "getaddrinfo", args: ["localhost", 70000] },
  { fn: "getaddrinfo", args: ["localhost", -1] },
  { fn: "getaddrinfo", args: ["localhost", { float: 1.5 }] },
  { fn: "getaddrinfo", args: ["localhost", { bool: true }] },
  { fn: "getaddrinfo", args: ["localhost", "http"] },
  { fn: "getaddrinfo", args: ["localhost", "no-such-service"] },
  { fn: "getaddrinfo", args: ["localhost", null] },
  { fn: "getaddrinfo", args: ["localhost", ""] },
  { fn: "getaddrinfo", args: ["localhost", "65536"] },
  { fn: "getaddrinfo", args: [null, null] },
  { fn: "getaddrinfo", args: [1, 80] },
  { fn: "getaddrinfo", args: ["example.invalid", 80] },
  { fn: "getaddrinfo", args: ["bücher.invalid", 80] },
  { fn: "getaddrinfo", args: ["LOCALHOST", 80, AF_INET] },
  { fn: "getaddrinfo", args: ["localhost", "80", AF_INET, SOCK_STREAM, 0, AI_CANONNAME] },
  { fn: "getaddrinfo", args: ["127.0.0.1", 80, 0, 0, 0, AI_NUMERICHOST] },
  { fn: "getaddrinfo", args: ["localhost", 80, 0, 0, 0, AI_NUMERICHOST] },
  { fn: "getaddrinfo", args: ["localhost", "http", 0, 0, 0, AI_NUMERICSERV] },
  { fn: "getaddrinfo", args: ["127.0.0.1", 80, AF_INET6] },
  { fn: "getaddrinfo", args: ["::1", 80, 0, 0, 0, AI_NUMERICHOST] },
  { fn: "getaddrinfo", args: ["::ffff:127.0.0.1", 8080, AF_INET6, SOCK_STREAM] },
  { fn: "getaddrinfo", args: ["127.1", 80, AF_INET, SOCK_STREAM] },
  { fn: "getaddrinfo", args: [{ bytes: "localhost" }, { bytes: "80" }, AF_INET] },
  { fn: "getaddrinfo", args: ["localhost", 80, 12345] },
  { fn: "getaddrinfo", args: ["localhost", 80, 0, 999] },
  { fn: "getaddrinfo", args: ["localhost", 80, 2 ** 31] },
  { fn: "getaddrinfo", args: ["localhost", 80, "x"] },
  { fn: "getnameinfo", args: [["127.0.0.1", 80], 0] },
  { fn: "getnameinfo", args: [["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV] },
  { fn: "getnameinfo", args: [["::1", 80, 0, 0], NI_NUMERICHOST] },
  { fn: "getnameinfo", args: [["::1", 80, 0x100000, 0], NI_NUMERICHOST] },
  { fn: "getnameinfo", args: [["::1", 80, -1], NI_NUMERICHOST] },
  { fn: "getnameinfo", args: ["127.0.0.1", 0] },
  { fn: "getnameinfo", args: [["127.0.0.1"], 0] },
  { fn: "getnameinfo", args: [["127.0.0.1", 80, 1, 2, 3], 0] },
  { fn: "getnameinfo", args: [[1, 80], 0] },
  { fn: "getnameinfo", args: [["127.0.0.1", "80"], 0] },
  { fn: "getnameinfo", args: [["127.0.0.1", 2 ** 40], 0] },
  { fn: "getnameinfo", args: [["localhost", 80], 0] },
  { fn: "getnameinfo", args: [["", 80], 0] },
  { fn: "getnameinfo", args: [["127.0.0.1", 80, 0], 0] },
  { fn: "getnameinfo", args: [["127.0.0.1", -1], NI_NUMERICHOST] },
  { fn: "getnameinfo", args: [["127.0.0.1", 70000], NI_NUMERICHOST | NI_NUMERICSERV] },
  { fn: "getnameinfo", args: [["127.0.0.1", 80], "x"] },
];

/** python3's side: every case, each outcome with CPython's class names mapped to ours. */
const PYTHON = `
import json, socket, sys
def arg(a):
    if isinstance(a, list): return tuple(arg(x) for x in a)
    if isinstance(a, dict):
        if "bytes" in a: return a["bytes"].encode()
        if "float" in a: return float(a["float"])
        if "bool" in a: return bool(a["bool"])
    return a
def plain(v):
    if isinstance(v, (list, tuple)): return [plain(x) for x in v]
    return int(v) if isinstance(v, int) else v
NAMES = {"OverflowError": "RangeError", "UnicodeError": "ValueError"}
out = []
for case in json.load(sys.stdin):
    try:
        out.append({"ok": plain(getattr(socket, case["fn"])(*[arg(a) for a in case["args"]]))})
    except Exception as e:
        name = type(e).__name__
        out.append({"error": NAMES.get(name, name), "message": str(e),
                    "errno": e.errno if isinstance(e, OSError) else None})
print(json.dumps(out))
`;

function jsArg(a: Arg | Arg[]): unknown {
  if (Array.isArray(a)) return a.map(jsArg);
  if (a !== null && typeof a === "object") {
    if ("bytes" in a) return new TextEncoder().encode(a.bytes);
    if ("float" in a) return a.float;
    return a.bool;
  }
  return a;
}

function outcome(f: () => unknown): Outcome {
  try {
    return { ok: f() };
  } catch (e) {
    const error = e as Error & { errno?: number | null };
    return { error: error.name, message: error.message, errno: error.errno ?? null };
  }
}

function iomux(c: Case): Outcome {
  // deno-lint-ignore no-explicit-any
  const args = c.args.map(jsArg) as any[];
  return outcome(() =>
    c.fn === "getaddrinfo"
      ? getaddrinfo(args[0], args[1], ...args.slice(2))
      : getnameinfo(args[0], args[1])
  );
}

describe("getaddrinfo and getnameinfo", () => {
  it(
    "answer as python3 does over a table of calls",
    { skip: !python && "python3 with socket is not installed" },
    leakFree(() => {
      const expected = pythonJson<Outcome[]>(PYTHON, [], JSON.stringify(CASES));
      CASES.forEach((c, i) => {
        assert.deepEqual(iomux(c), expected[i], `${c.fn}(${JSON.stringify(c.args)})`);
      });
    }),
  );

  it("gives CPython's results for localhost (no python3 needed)", () => {
    const all = getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM);
    assert.ok(all.length > 0);
    // One entry per /etc/hosts line that names localhost: each the same address.
    for (const [family, type, proto, canonname, sockaddr] of all) {
      assert.deepEqual([family, type, canonname, sockaddr], [AF_INET, SOCK_STREAM, "", [
        "127.0.0.1",
        80,
      ]]);
      // Wine's Winsock leaves ai_protocol 0 for a 0 in the hints; glibc and the BSDs fill it.
      assert.ok(proto === 6 || (windows && proto === 0), `proto ${proto}`);
    }
    // A port as a bigint or a numeric string, a host as bytes: the same lookup.
    const same = getaddrinfo(new TextEncoder().encode("localhost"), 80n, AF_INET, SOCK_STREAM);
    assert.deepEqual(same, getaddrinfo("localhost", "80", AF_INET, SOCK_STREAM));
    const named = getaddrinfo("localhost", null, AF_INET, SOCK_STREAM, 0, AI_CANONNAME);
    assert.equal(named[0]?.[3], "localhost");
    assert.deepEqual(getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV), [
      "127.0.0.1",
      "80",
    ]);
  });

  it("fails for example.invalid with gaierror EAI_NONAME", () => {
    assert.throws(() => getaddrinfo("example.invalid", 80), (e: unknown) => {
      assert.ok(e instanceof gaierror && e instanceof OSError);
      assert.equal(e.errno, EAI_NONAME);
      assert.equal(e.code, "EAI_NONAME");
      assert.match(e.message, new RegExp(`^\\[Errno ${EAI_NONAME}\\] `));
      return true;
    });
  });

  it("rejects what is not a host, as CPython's socket_getaddrinfo", () => {
    // deno-lint-ignore no-explicit-any
    const call = (host: any, port: any) => () => getaddrinfo(host, port);
    assert.throws(call({}, 80), {
      name: "TypeError",
      message: "getaddrinfo() argument 1 must be string or None",
    });
    assert.throws(call("localhost", {}), { name: "OSError", message: "Int or String expected" });
    // CPython 3.13 (gh-111089): a str port with a NUL is refused, not cut short.
    assert.throws(call("localhost", "80\0x"), {
      name: "ValueError",
      message: "embedded null character",
    });
    // CPython 3.12+ (gh-74895): an int port of any size goes to the C library as its
    // decimal text (3.11, this machine's python3 perhaps, raised OverflowError).
    const huge = 2n ** 64n + 80n;
    assert.deepEqual(outcome(call("localhost", huge)), outcome(call("localhost", String(huge))));
  });
});

describe("getaddrinfoAsync", () => {
  it("resolves to what getaddrinfo returns", async () => {
    for (const args of [["localhost", 80], [null, 0, 0, 0, 0, AI_PASSIVE], ["::1", "8080"]]) {
      // deno-lint-ignore no-explicit-any
      const [host, port, ...rest] = args as any[];
      assert.deepEqual(
        await getaddrinfoAsync(host, port, ...rest),
        getaddrinfo(host, port, ...rest),
      );
    }
  });

  it("rejects with the same gaierror, and rejects bad arguments instead of throwing", async () => {
    const sync = outcome(() => getaddrinfo("example.invalid", 80));
    await assert.rejects(getaddrinfoAsync("example.invalid", 80), (e: unknown) => {
      assert.ok(e instanceof gaierror);
      assert.deepEqual({ error: e.name, message: e.message, errno: e.errno }, sync);
      return true;
    });
    // deno-lint-ignore no-explicit-any
    const pending = getaddrinfoAsync({} as any, 80);
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, { name: "TypeError" });
  });

  it(
    "runs off the JS thread: timers fire while a lookup is pending",
    { skip: windows && !("Deno" in globalThis) && "Winsock has no off-thread lookup here" },
    leakFree(async () => {
      const expected = getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM);
      // Keep one lookup in flight at a time and count the ticks of a 5 ms interval that
      // land while one is pending. Had a lookup blocked the event loop (or settled without
      // leaving it), no tick could land during one, and the loop would run out.
      let inFlight = 0, ticks = 0;
      const timer = setInterval(() => {
        if (inFlight > 0) ticks++;
      }, 5);
      try {
        for (let i = 0; ticks < 3 && i < 20_000; i++) {
          inFlight++;
          const got = await getaddrinfoAsync("localhost", 80, AF_INET, SOCK_STREAM);
          inFlight--;
          assert.deepEqual(got, expected);
        }
      } finally {
        clearInterval(timer);
      }
      assert.ok(ticks >= 3, `only ${ticks} interval ticks landed during pending lookups`);
    }),
  );

  it(
    "reuses its threads: the count does not grow with the number of lookups",
    { skip: process.platform !== "linux" && "thread counts are read from /proc" },
    async () => {
      const concurrency = 4;
      const run = (n: number) =>
        Promise.all(Array.from({ length: n }, () => getaddrinfoAsync("localhost", 80)));
      // The runtime's pools grow to the concurrency they see, then serve every call.
      for (let i = 0; i < 100; i++) await run(concurrency);
      const before = procStatus("Threads");
      for (let i = 0; i < 400; i++) await run(concurrency);
      const after = procStatus("Threads");
      // A pool may add a thread or two when a finishing one is not idle yet; a thread
      // per lookup (or per batch) would add 1,600 (or 400).
      assert.ok(after <= before + 4 * concurrency, `threads grew from ${before} to ${after}`);
    },
  );
});
