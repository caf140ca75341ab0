/**
 * CPython's argument converters, as the `select` module applies them (Argument Clinic's
 * `int`/`unsigned_short`/`unsigned_int(bitwise=True)` converters, `Objects/fileobject.c`).
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";

/** An fd, or an object whose `fileno()` returns one. */
export type FileLike = number | { fileno(): number };

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** Python's name for the type of a JS value, for CPython's messages. */
export function pyTypeName(value: unknown): string {
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "undefined":
      return "NoneType";
    case "function":
      return "function";
    case "symbol":
      return "symbol";
  }
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return "dict";
  return (value as { constructor?: { name?: string } }).constructor?.name || "object";
}

function isIntegral(value: unknown): value is number | bigint {
  return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
}

/**
 * `PyLong_AsInt`: an integral number or BigInt within C `int`, else
 * `RangeError("Python int too large to convert to C int")`. `-0` becomes 0.
 */
function asCInt(value: number | bigint): number {
  const n = Number(value);
  if (n > INT_MAX || n < INT_MIN) {
    throw new RangeError("Python int too large to convert to C int");
  }
  return n | 0;
}

/** Deno's I/O classes: none has a `fileno()`, and Deno exposes none of their fds. */
const DENO_HANDLES: Readonly<Record<string, string>> = {
  Stdin: "Deno.stdin has no fileno(): pass its fd, 0",
  Stdout: "Deno.stdout has no fileno(): pass its fd, 1",
  Stderr: "Deno.stderr has no fileno(): pass its fd, 2",
  FsFile: "a Deno.FsFile carries no file descriptor that FFI can use: " +
    "open the path with iomux's os open() to get one",
};

/**
 * What to use instead when `obj` is one of Deno's own I/O objects (a `Deno.FsFile`,
 * a `Deno.Conn` or listener, `Deno.stdin`), as a sentence to append to CPython's
 * message; `""` for anything else.
 */
export function denoHandleHint(obj: unknown): string {
  if (!("Deno" in globalThis) || obj === null || typeof obj !== "object") return "";
  const name = (obj as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== "string") return "";
  const hint = DENO_HANDLES[name] ??
    (/^(Tcp|Unix|Tls|Vsock|Quic|Datagram)?(Conn|Listener)$/.test(name)
      ? `a Deno.${name} carries no file descriptor that FFI can use: ` +
        "make the socket with iomux's socket module (Socket, socketpair)"
      : undefined);
  return hint === undefined ? "" : ` (${hint})`;
}

/**
 * `PyObject_AsFileDescriptor` (`Objects/fileobject.c`): an integer, or the result of
 * `fileno()`, which must be an integer; then range and sign checks. The fd is not
 * checked against the kernel.
 */
export function fildes(obj: unknown): number {
  let value: unknown = obj;
  if (!isIntegral(obj)) {
    const fileno = obj !== null && (typeof obj === "object" || typeof obj === "function")
      ? (obj as { fileno?: unknown }).fileno
      : undefined;
    if (fileno === undefined) {
      throw new TypeError(
        `argument must be an int, or have a fileno() method.${denoHandleHint(obj)}`,
      );
    }
    if (typeof fileno !== "function") {
      throw new TypeError(`'${pyTypeName(fileno)}' object is not callable`);
    }
    value = fileno.call(obj);
    if (!isIntegral(value)) throw new TypeError("fileno() returned a non-integer");
  }
  const fd = asCInt(value as number | bigint);
  if (fd < 0) throw new ValueError(`file descriptor cannot be a negative integer (${fd})`);
  return fd;
}

/**
 * A C `int` argument parsed by Argument Clinic: a non-integer is a `TypeError`
 * naming its type, an integer outside the range a `RangeError`.
 */
export function cInt(value: unknown): number {
  if (!isIntegral(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  return asCInt(value);
}

/** C `long`'s range: 32 bits on Windows (LLP64), 64 elsewhere (LP64). */
const LONG_BITS = abi.os === "windows" ? 32 : 64;

/**
 * A C `int` argument parsed by `PyArg_ParseTuple`'s `"i"` format, as the socket
 * module's methods parse theirs (`Python/getargs.c` `convertsimple`, case `'i'`):
 * `PyLong_AsLong` first, so an integer beyond C `long` is `"Python int too large to
 * convert to C long"`, then the `int` range, `"signed integer is greater than
 * maximum"` or `"signed integer is less than minimum"`. A non-integer is the same
 * `TypeError` as {@linkcode cInt}'s.
 *
 * @example A flag beyond C `int`
 * ```ts
 * import assert from "node:assert/strict";
 * import { argInt } from "./convert.ts";
 *
 * assert.equal(argInt(7), 7);
 * assert.throws(() => argInt(2 ** 31), { message: "signed integer is greater than maximum" });
 * ```
 */
export function argInt(value: unknown): number {
  if (!isIntegral(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  const n = Number(value);
  const big = typeof value === "bigint" ? value : undefined;
  const longMax = 2 ** (LONG_BITS - 1);
  if (
    big !== undefined
      ? big >= BigInt(longMax) || big < -BigInt(longMax)
      : n >= longMax || n < -longMax
  ) {
    throw new RangeError("Python int too large to convert to C long");
  }
  if (n > INT_MAX) throw new RangeError("signed integer is greater than maximum");
  if (n < INT_MIN) throw new RangeError("signed integer is less than minimum");
  return n | 0;
}

/**
 * The `unsigned short` converter that `poll` applies to event masks (3.13
 * messages; `Objects/longobject.c` `_PyLong_UnsignedShort_Converter`).
 */
export function ushort(value: unknown): number {
  if (!isIntegral(value)) throw new TypeError("an integer is required");
  const n = Number(value);
  if (n < 0) throw new ValueError("value must be positive");
  if (typeof value === "bigint" ? value >= 1n << 64n : n >= 2 ** 64) {
    throw new RangeError("Python int too large to convert to C unsigned long");
  }
  if (n > 0xffff) throw new RangeError("Python int too large for C unsigned short");
  return n;
}

/**
 * The `unsigned_int(bitwise=True)` converter that `epoll` applies to event masks:
 * any integer, truncated modulo 2^32.
 */
export function uintBitwise(value: unknown): number {
  if (typeof value === "bigint") return Number(BigInt.asUintN(32, value));
  if (typeof value === "number" && Number.isInteger(value)) return value >>> 0;
  throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
}

/**
 * A `Py_ssize_t` argument (`PyArg_ParseTuple`'s `"n"`, `PyNumber_AsSsize_t`): a
 * non-integer is a `TypeError` naming its type, an integer beyond 64 bits
 * `"Python int too large to convert to C ssize_t"`.
 */
export function ssizeArg(value: unknown): number {
  if (!isIntegral(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  if (value >= 2 ** 63 || value < -(2 ** 63)) {
    throw new RangeError("Python int too large to convert to C ssize_t");
  }
  return Number(value);
}
