import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PySet } from "../../selectors/_py_set.ts";
import { SelectSelector } from "../../selectors/mod.ts";
import { close, pipe } from "../../os/mod.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";

const NO_PYTHON = hasPython() ? false : "needs python3";

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Edge values: small fds, powers of two and their neighbours, INT_MAX and past it. */
const POOL = [
  0,
  1,
  2,
  3,
  7,
  8,
  9,
  15,
  16,
  31,
  32,
  33,
  64,
  1023,
  1024,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 40,
  2 ** 52 + 3,
];

describe("PySet: a set of fds in CPython's iteration order", () => {
  it("iterates as python3's set does after every add and discard", { skip: NO_PYTHON }, () => {
    const next = random(20261201);
    const pick = (n: number) => Math.floor(next() * n);
    const cases: [number, number][][] = [];
    for (let c = 0; c < 240; c++) {
      const ops: [number, number][] = [];
      const steps = 1 + pick(c % 3 === 0 ? 600 : 60);
      for (let k = 0; k < steps; k++) {
        const fd = next() < 0.5 ? POOL[pick(POOL.length)]! : pick(c < 120 ? 40 : 5000);
        ops.push([next() < (c % 2 ? 0.55 : 0.7) ? 1 : 0, fd]);
      }
      cases.push(ops);
    }
    const expected = pythonJson<number[][][]>(
      `import json, sys
out = []
for ops in json.load(sys.stdin):
    s, seq = set(), []
    for add, fd in ops:
        (s.add if add else s.discard)(fd)
        seq.append(list(s))
    out.append(seq)
print(json.dumps(out))`,
      [],
      JSON.stringify(cases),
    );
    let steps = 0;
    cases.forEach((ops, c) => {
      const set = new PySet();
      ops.forEach(([add, fd], k) => {
        if (add) set.add(fd);
        else set.delete(fd);
        assert.deepEqual([...set], expected[c]![k], `case ${c}, step ${k}`);
        assert.equal(set.size, expected[c]![k]!.length);
        steps++;
      });
    });
    assert.ok(steps > 10_000, `only ${steps} steps compared`);
  });

  it("is a Set: membership, size, clear and forEach follow its contents", () => {
    const set = new PySet();
    for (const fd of [9, 1, 17]) set.add(fd);
    set.add(1);
    assert.equal(set.size, 3);
    assert.ok(set.has(17) && !set.has(2));
    // 9 and 17 collide in an 8-slot table (hash & 7 == 1) with 1: linear probing.
    assert.deepEqual([...set], [9, 1, 17]);
    const seen: number[] = [];
    set.forEach((fd) => seen.push(fd));
    assert.deepEqual(seen, [...set.values()]);
    assert.equal(set.delete(1), true);
    assert.equal(set.delete(1), false);
    set.clear();
    assert.deepEqual([...set], []);
    set.add(3);
    assert.deepEqual([...set], [3]);
  });

  it(
    "SelectSelector reports the bad fd CPython's set order reaches first",
    { skip: NO_PYTHON },
    () => {
      const [r, w] = pipe();
      try {
        const sel = new SelectSelector();
        sel.register(w, 2, "guard");
        sel.close();
        // CPython's SelectSelector keeps its sets after close() and registers again.
        sel.register(2 ** 31 - 1, 3, -5);
        sel.register(2 ** 31, 1, "data");
        const python = pythonJson<[string, string]>(`import json, os, selectors
r, w = os.pipe()
s = selectors.SelectSelector()
s.register(w, 2, "guard")
s.close()
s.register(2**31 - 1, 3, -5)
s.register(2**31, 1, "data")
try:
    s.select()
except Exception as e:
    print(json.dumps([type(e).__name__, str(e)]))`);
        assert.deepEqual(python, ["OverflowError", "Python int too large to convert to C int"]);
        // 2**31 lands in slot 0 of the 8-slot table, before 2**31 - 1 in slot 7.
        assert.throws(() => sel.select(), { name: "RangeError", message: python[1] });
      } finally {
        close(r);
        close(w);
      }
    },
  );
});
