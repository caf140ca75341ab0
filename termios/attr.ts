/**
 * `termios.tcgetattr` and `termios.tcsetattr`: a terminal's modes as Python's
 * seven-item list.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { cInt, fildes, type FileLike, pyTypeName } from "../_py/convert.ts";
import { lastTermiosError } from "./error.ts";

const layout = abi.devices.termios;
const { ICANON, VMIN, VTIME, NCCS } = abi.devices.termiosConstants;

/** One `c_cc` slot: a 1-byte `Uint8Array`, or a number (`VMIN`/`VTIME` when not canonical). */
export type ControlChar = Uint8Array | number;

/**
 * Python's attribute list: `[iflag, oflag, cflag, lflag, ispeed, ospeed, cc]`, with
 * `cc` holding `NCCS` control characters.
 */
export type TermiosAttributes = [
  iflag: number,
  oflag: number,
  cflag: number,
  lflag: number,
  ispeed: number,
  ospeed: number,
  cc: ControlChar[],
];

function readFlag(view: DataView, offset: number): number {
  return layout.flagBytes === 8
    ? Number(view.getBigUint64(offset, true) & 0xffffffffn)
    : view.getUint32(offset, true);
}

function writeFlag(view: DataView, offset: number, value: number): void {
  if (layout.flagBytes === 8) view.setBigUint64(offset, BigInt(value >>> 0), true);
  else view.setUint32(offset, value >>> 0, true);
}

/** A `struct termios` filled by `tcgetattr(2)`. */
function getMode(fd: number): Uint8Array {
  const mode = new Uint8Array(new ArrayBuffer(layout.size));
  if (libc().tcgetattr(fd, mode) < 0) throw lastTermiosError();
  return mode;
}

/**
 * A terminal's modes, as Python's `termios.tcgetattr` (`Modules/termios.c`
 * `termios_tcgetattr_impl`): the four flag words, the input and output speeds (as
 * `B*` constants) and the control characters, each a 1-byte `Uint8Array` except
 * `cc[VMIN]` and `cc[VTIME]`, which are numbers when `ICANON` is off.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @returns The seven-item list.
 * @throws {error} `termios.error` (ENOTTY when `fd` is not a terminal).
 *
 * @example Read a pty's modes
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { ECHO, ICANON, NCCS, tcgetattr, VINTR } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * const [, , , lflag, , , cc] = tcgetattr(slave);
 * assert.ok(lflag & ECHO && lflag & ICANON); // a fresh pty echoes, line by line
 * assert.equal(cc.length, NCCS);
 * assert.deepEqual(cc[VINTR], new Uint8Array([3])); // Ctrl-C
 * close(master);
 * close(slave);
 * ```
 */
export function tcgetattr(fd: FileLike): TermiosAttributes {
  const target = fildes(fd);
  const mode = getMode(target);
  const view = new DataView(mode.buffer);
  const c = libc();
  const lflag = readFlag(view, layout.lflag);
  const cc: ControlChar[] = [];
  // Each a 1-byte view of one copy of c_cc: 32 separate typed arrays would cost about
  // 8 µs (one backing store each), the views 1 µs.
  const chars = mode.slice(layout.cc, layout.cc + NCCS).buffer;
  for (let i = 0; i < NCCS; i++) cc.push(new Uint8Array(chars, i, 1));
  if ((lflag & ICANON) === 0) {
    cc[VMIN] = mode[layout.cc + VMIN]!;
    cc[VTIME] = mode[layout.cc + VTIME]!;
  }
  return [
    readFlag(view, layout.iflag),
    readFlag(view, layout.oflag),
    readFlag(view, layout.cflag),
    lflag,
    c.cfgetispeed(mode) >>> 0,
    c.cfgetospeed(mode) >>> 0,
    cc,
  ];
}

/** Python's `PyLong_AsLong` on one attribute. */
function longOf(value: unknown): number {
  if (typeof value === "bigint") return Number(BigInt.asIntN(64, value));
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  return value;
}

/**
 * Sets a terminal's modes, as Python's `termios.tcsetattr`
 * (`Modules/termios.c` `termios_tcsetattr_impl`): the current modes are read first
 * so that fields the list does not carry keep their values, then the list's flags,
 * control characters and speeds are written.
 *
 * @param fd A terminal fd, or an object with `fileno()`.
 * @param when `TCSANOW`, `TCSADRAIN` (after output drains) or `TCSAFLUSH` (also
 *   discarding pending input).
 * @param attributes A list as {@linkcode tcgetattr} returns it.
 * @throws {TypeError} `attributes` is not a 7-item list, `cc` not an `NCCS`-item list.
 * @throws {error} `termios.error` from the system call.
 *
 * @example Turn echo off
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { ECHO, TCSANOW, tcgetattr, tcsetattr } from "@iomux/iomux/termios";
 *
 * const [master, slave] = openpty();
 * const attrs = tcgetattr(slave);
 * attrs[3] &= ~ECHO;
 * tcsetattr(slave, TCSANOW, attrs);
 * assert.equal(tcgetattr(slave)[3] & ECHO, 0);
 * close(master);
 * close(slave);
 * ```
 */
export function tcsetattr(fd: FileLike, when: number, attributes: TermiosAttributes): void {
  const target = fildes(fd);
  const optional = cInt(when);
  if (!Array.isArray(attributes) || attributes.length !== 7) {
    throw new TypeError("tcsetattr, arg 3: must be 7 element list");
  }
  const mode = getMode(target);
  const view = new DataView(mode.buffer);
  writeFlag(view, layout.iflag, longOf(attributes[0]));
  writeFlag(view, layout.oflag, longOf(attributes[1]));
  writeFlag(view, layout.cflag, longOf(attributes[2]));
  writeFlag(view, layout.lflag, longOf(attributes[3]));
  const ispeed = longOf(attributes[4]);
  const ospeed = longOf(attributes[5]);
  const cc: unknown = attributes[6];
  if (!Array.isArray(cc) || cc.length !== NCCS) {
    throw new TypeError(`tcsetattr: attributes[6] must be ${NCCS} element list`);
  }
  for (let i = 0; i < NCCS; i++) {
    const v: unknown = cc[i];
    if (v instanceof Uint8Array && v.byteLength === 1) mode[layout.cc + i] = v[0]!;
    else if (typeof v === "number" && Number.isInteger(v)) mode[layout.cc + i] = v & 0xff;
    else {
      throw new TypeError("tcsetattr: elements of attributes must be characters or integers");
    }
  }
  const c = libc();
  if (c.cfsetispeed(mode, ispeed >>> 0) < 0) throw lastTermiosError();
  if (c.cfsetospeed(mode, ospeed >>> 0) < 0) throw lastTermiosError();
  if (c.tcsetattr(target, optional, mode) < 0) throw lastTermiosError();
}
