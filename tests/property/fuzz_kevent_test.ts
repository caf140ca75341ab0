// Property tests of kqueue's pure parts, which run on every platform: kevent() with
// arbitrary arguments either works, with each field converted as CPython's C types
// convert it (ident size_t, filter range-checked short, flags/fflags masked to 16/32
// bits, data range-checked int64, udata masked to 64 bits), or fails with a documented
// error; and struct kevent encoding for every layout (macOS, FreeBSD, libkqueue) reads
// back what was written and writes nothing outside its slot.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { DARWIN_X86_64 } from "../../ffi/abi/darwin.ts";
import { FREEBSD_X86_64 } from "../../ffi/abi/freebsd.ts";
import { LIBKQUEUE_KEVENT } from "../../ffi/abi/linux.ts";
import type { KeventLayout } from "../../ffi/abi/types.ts";
import { decodeKevent, encodeKevents, type KeventFields } from "../../ffi/kevent.ts";
import { KEvent, kevent } from "../../select/mod.ts";
import { anyInt, anyNumber, fileObject } from "./_arbitraries.ts";
import { callsMade, type Desc, documented, Env, outcome, show, toJs } from "./_parity.ts";

const undef: Desc = { t: "undef" };
// Mostly values each C type accepts, so that most inputs make an event to check.
const field = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: -30000, max: 30000 }).map((v): Desc => ({ t: "num", v })),
  },
  { weight: 3, arbitrary: anyInt },
  { weight: 1, arbitrary: fc.constant(undef) },
);
const ident = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map((v): Desc => ({ t: "num", v })) },
  { weight: 2, arbitrary: anyNumber },
  { weight: 1, arbitrary: fileObject([]) },
  { weight: 1, arbitrary: anyInt },
);
const args = fc.tuple(ident, field, field, field, field, field);

/** What CPython stores for an integral argument, or undefined when it must fail. */
function expected(v: unknown, kind: "ident" | "short" | "u16" | "u32" | "i64" | "u64") {
  if (!(typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))) return undefined;
  const b = BigInt(v);
  switch (kind) {
    case "ident":
      return b >= 0n && b < 2n ** 64n ? b : undefined;
    case "short":
      return b >= -32768n && b <= 32767n ? b : undefined;
    case "u16":
      return BigInt.asUintN(16, b);
    case "u32":
      return BigInt.asUintN(32, b);
    case "i64":
      return b >= -(2n ** 63n) && b < 2n ** 63n ? b : undefined;
    case "u64":
      return BigInt.asUintN(64, b);
  }
}

const DEFAULTS = [undefined, -1n, 1n, 0n, 0n, 0n];
const KINDS = ["ident", "short", "u16", "u32", "i64", "u64"] as const;

describe("kevent() under arbitrary input", () => {
  it("works with CPython's conversions or throws a documented error (5,000 inputs)", () => {
    let made = 0;
    fc.assert(
      fc.property(args, (descs) => {
        const env = new Env({});
        const values = descs.map((d) => toJs(d, env));
        // Trailing undefined arguments are left out, as a caller would.
        let n = values.length;
        while (n > 1 && values[n - 1] === undefined) n--;
        const call = () => (kevent as (...a: unknown[]) => KEvent)(...values.slice(0, n));
        const o = documented(outcome(call, (e) => e));
        if (!("ok" in o)) return;
        const ev = o.ok as KEvent;
        made++;
        const fields = [ev.ident, ev.filter, ev.flags, ev.fflags, ev.data, ev.udata];
        for (const [i, kind] of KINDS.entries()) {
          const given = values[i];
          if (i === 0 && !(typeof given === "number" || typeof given === "bigint")) continue;
          const want = given === undefined ? DEFAULTS[i] : expected(given, kind);
          assert.notEqual(want, undefined, `field ${i} accepted ${show(descs[i])}`);
          assert.equal(BigInt(fields[i]!), want, `field ${i} of ${show(descs)}`);
          // Numbers while exact, BigInts beyond 2^53.
          assert.ok(typeof fields[i] === "number" ? Number.isSafeInteger(fields[i]) : true);
        }
        // The same fields through new KEvent(), and equal to themselves.
        const again = new (KEvent as unknown as new (...a: unknown[]) => KEvent)(
          ...values.slice(0, n),
        );
        assert.ok(again.equals(ev) && ev.compare(again) === 0);
      }),
      { numRuns: 5000 },
    );
    // Not vacuous: a good share of the inputs make an event whose fields are checked.
    assert.ok(made > 250, `only ${made} of 5,000 inputs made an event`);
  });

  it("setters convert as the constructor does", () => {
    fc.assert(
      fc.property(anyInt, fc.nat(5), (d, which) => {
        const ev = kevent(3);
        const value = toJs(d, new Env({}));
        const name = ["ident", "filter", "flags", "fflags", "data", "udata"][which]!;
        const o = documented(outcome(() => {
          (ev as unknown as Record<string, unknown>)[name] = value;
        }, () => null));
        if ("ok" in o) {
          const want = expected(value, KINDS[which]!);
          assert.equal(BigInt((ev as unknown as Record<string, number | bigint>)[name]!), want);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("comparison is a total order over (ident, filter, flags, fflags, data, udata)", () => {
    const small = fc.tuple(
      fc.nat(3),
      fc.integer({ min: -2, max: 1 }),
      fc.nat(2),
      fc.nat(2),
      fc.integer({ min: -1, max: 1 }),
      fc.nat(2),
    );
    fc.assert(
      fc.property(small, small, (a, b) => {
        const x = kevent(...a), y = kevent(...b);
        const lexicographic = a.map((v, i) => Math.sign(v - b[i]!)).find((s) => s !== 0) ?? 0;
        assert.equal(Math.sign(x.compare(y)), lexicographic);
        assert.equal(x.equals(y), lexicographic === 0);
      }),
    );
  });
});

const LAYOUTS: [string, KeventLayout][] = [
  ["macOS", DARWIN_X86_64.kevent!],
  ["FreeBSD", FREEBSD_X86_64.kevent!],
  ["libkqueue", LIBKQUEUE_KEVENT],
];

const fields: fc.Arbitrary<KeventFields> = fc.record({
  ident: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
  filter: fc.integer({ min: -32768, max: 32767 }),
  flags: fc.integer({ min: 0, max: 0xffff }),
  fflags: fc.integer({ min: 0, max: 0xffffffff }),
  data: fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
  udata: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
});

describe("struct kevent encoding", () => {
  for (const [name, layout] of LAYOUTS) {
    it(`${name} (${layout.size} bytes): round trip, nothing written outside the slots`, () => {
      fc.assert(
        fc.property(
          fc.array(fields, { minLength: 1, maxLength: 8 }),
          fc.nat(255),
          (events, canary) => {
            const pad = 16;
            const whole = new Uint8Array(pad + events.length * layout.size + pad).fill(canary);
            const slots = whole.subarray(pad, pad + events.length * layout.size);
            // FreeBSD's ext words are zeroed whatever the buffer held.
            encodeKevents(slots, layout, events);
            for (let i = 0; i < pad; i++) {
              assert.equal(whole[i], canary, "written before the buffer");
              assert.equal(whole[whole.length - 1 - i], canary, "written after the buffer");
            }
            for (const [i, event] of events.entries()) {
              const back = decodeKevent(slots, layout, i);
              for (const key of Object.keys(event) as (keyof KeventFields)[]) {
                assert.equal(BigInt(back[key]), BigInt(event[key]), `${key} of event ${i}`);
              }
              if (layout.ext !== null) {
                const at = i * layout.size;
                assert.ok(slots.subarray(at + layout.ext, at + layout.size).every((b) => b === 0));
              }
            }
          },
        ),
        { numRuns: 1000 },
      );
    });
  }
});

after(() => console.log(`${callsMade()} calls made with generated arguments`));
