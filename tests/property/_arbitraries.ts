/**
 * The fast-check arbitraries of the property tests: argument values of every kind
 * (edge numbers, non-numbers, fd numbers that name no open fd, file objects), as
 * {@linkcode Desc} descriptions that both processes can build (`_parity.ts`).
 *
 * @module
 */
import fc from "npm:fast-check@4.11.0";
import type { Desc } from "./_parity.ts";

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
