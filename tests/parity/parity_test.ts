/**
 * Timeout parity with CPython, down to the system call: the same table of timeouts
 * (tests/parity/_parity_child.ts) goes through select, poll and epoll in iomux and in
 * `python3`, each with a ready fd so that nothing blocks. The outcomes must match
 * (class and message, OverflowError being RangeError), and under `strace` the
 * timeout each process handed to `pselect6`, `poll` and `epoll_wait` must match too:
 * that is the rounding (Python/pytime.c `_PyTime_FromSecondsObject` and
 * `_PyTime_FromMillisecondsObject`, used by Modules/selectmodule.c `select_select_impl`,
 * `select_poll_poll_impl` and `select_epoll_poll_impl`) checked where it acts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Outcome, TIMEOUTS } from "./_parity_child.ts";
import { haveCommand } from "../_kit/child.ts";
import { hasPython } from "../_kit/python.ts";

type Api = keyof typeof TIMEOUTS;
interface Run {
  fd: number;
  epfd: number;
  select: Outcome[];
  poll: Outcome[];
  epoll: Outcome[];
}

const APIS: Api[] = ["select", "poll", "epoll"];
const python = hasPython("import select; select.epoll");
const strace = haveCommand("strace", "-V");
const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;

/** A JS value as the Python literal iomux reads it as (see property/_parity.ts's doc). */
function toPy(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return "[]";
  if (typeof value === "object") return "{}";
  const n = value as number;
  if (Number.isNaN(n)) return "float('nan')";
  if (!Number.isFinite(n)) return n > 0 ? "float('inf')" : "-float('inf')";
  if (Object.is(n, -0)) return "-0.0";
  if (Number.isSafeInteger(n)) return String(n);
  const text = String(n);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

const PYTHON_HALF = `
import json, os, select, sys
table = json.loads(sys.argv[1])
r, w = os.pipe()
p = select.poll()
p.register(w, select.POLLOUT)
ep = select.epoll()
ep.register(w, select.EPOLLOUT)
def outcome(call, x):
    try:
        call(eval(x))
        return "ok"
    except Exception as e:
        name = {"OverflowError": "RangeError"}.get(type(e).__name__, type(e).__name__)
        # 3.11 and 3.12 spell PyTime_t with an underscore (PEP 741 renamed it in 3.13).
        return [name, str(e).replace("C _PyTime_t", "C PyTime_t")]
print(json.dumps({
    "fd": w, "epfd": ep.fileno(),
    "select": [outcome(lambda t: select.select([], [w], [], t), x) for x in table["select"]],
    "poll": [outcome(lambda t: p.poll(t), x) for x in table["poll"]],
    "epoll": [outcome(lambda t: ep.poll(t), x) for x in table["epoll"]],
}))
`;

function pyTable(): string {
  return JSON.stringify(Object.fromEntries(APIS.map((api) => [api, TIMEOUTS[api].map(toPy)])));
}

/** Runs `argv`, under strace into `trace` when given; returns its JSON output. */
function run(argv: string[], trace?: string): Run {
  const command = trace
    ? ["strace", "-f", "-qq", "-e", "trace=pselect6,select,poll,epoll_wait", "-o", trace, ...argv]
    : argv;
  const out = spawnSync(command[0]!, command.slice(1), { encoding: "utf8" });
  assert.equal(out.status, 0, `${argv[0]} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Run;
}

function iomux(trace?: string): Run {
  const child = fileURLToPath(new URL("./_parity_child.ts", import.meta.url));
  return run([deno!.execPath(), "run", "--allow-ffi", "--allow-read", child], trace);
}

function cpython(trace?: string): Run {
  return run(["python3", "-c", PYTHON_HALF, pyTable()], trace);
}

/**
 * The timeout argument of every select/poll/epoll_wait call on the test's own fds,
 * in call order: `{tv_sec=0, tv_nsec=1000}` for pselect6, milliseconds otherwise.
 */
function timeoutsIn(trace: string, run: Run): Record<Api, string[]> {
  const found: Record<Api, string[]> = { select: [], poll: [], epoll: [] };
  const unfinished = new Map<string, string>();
  for (const line of readFileSync(trace, "utf8").split("\n")) {
    // strace -f splits a call that another thread interrupts: join the halves.
    const [, tid = "", rest = ""] = /^(\d+)\s+(.*)$/.exec(line) ?? [];
    if (rest.endsWith("<unfinished ...>")) {
      unfinished.set(tid, rest.slice(0, -"<unfinished ...>".length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    const body = resumed ? (unfinished.get(tid) ?? "") + resumed[1] : rest;
    let m = /^p?select6?\(\d+, NULL, \[(\d+)\], NULL, (NULL|\{[^}]*\})/.exec(body);
    if (m && Number(m[1]) === run.fd) {
      found.select.push(m[2]!);
      continue;
    }
    m = /^poll\(\[\{fd=(\d+), events=POLLOUT\}\], 1, (-?\d+)/.exec(body);
    if (m && Number(m[1]) === run.fd) {
      found.poll.push(m[2]!);
      continue;
    }
    m = /^epoll_wait\((\d+), .*, (\d+), (-?\d+)/.exec(body);
    if (m && Number(m[1]) === run.epfd) found.epoll.push(m[3]!);
  }
  return found;
}

describe("timeout parity with CPython", { skip: !python || !deno }, () => {
  it("every timeout of the table gives the same outcome (class and message)", () => {
    const ours = iomux();
    const theirs = cpython();
    for (const api of APIS) {
      TIMEOUTS[api].forEach((timeout, i) => {
        assert.deepEqual(
          ours[api][i],
          theirs[api][i],
          `${api}(${toPy(timeout)}): iomux ${JSON.stringify(ours[api][i])}, ` +
            `CPython ${JSON.stringify(theirs[api][i])}`,
        );
      });
    }
  });

  it(
    "the system call gets the same timeout argument as CPython passes (strace)",
    { skip: !strace || process.platform !== "linux" },
    () => {
      const dir = mkdtempSync(join(tmpdir(), "iomux-parity-"));
      try {
        const oursRun = iomux(join(dir, "iomux.trace"));
        const theirsRun = cpython(join(dir, "cpython.trace"));
        const ours = timeoutsIn(join(dir, "iomux.trace"), oursRun);
        const theirs = timeoutsIn(join(dir, "cpython.trace"), theirsRun);
        for (const api of APIS) {
          const calls = oursRun[api].filter((o) => o === "ok").length;
          assert.equal(ours[api].length, calls, `${api}: one system call per successful call`);
          assert.deepEqual(ours[api], theirs[api], `${api}: syscall timeouts differ`);
        }
        // Spot checks of the table (each API rounds its own way: select up to whole
        // µs, poll away from zero, epoll toward +∞), so that a parity that went
        // wrong on both sides still shows.
        assert.equal(ours.select[3], "{tv_sec=0, tv_nsec=1000}", "select(1e-10) waits 1 µs");
        assert.equal(ours.select[0], "NULL");
        assert.deepEqual(ours.poll.slice(3, 11), ["1", "1", "2", "21", "1001", "-1", "-1", "-1"]);
        assert.deepEqual(ours.epoll.slice(3, 10), ["0", "0", "-1", "-1", "-1", "1", "2"]);
      } finally {
        rmSync(dir, { recursive: true });
      }
    },
  );
});
