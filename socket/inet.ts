/**
 * IP address text ⇄ bytes, as Python's `socket.inet_pton`, `inet_ntop`, `inet_aton`
 * and `inet_ntoa`, written in TypeScript (glibc's algorithms) so that no libc call and
 * no struct is needed.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { errnoValue } from "./_errno.ts";

const { AF_INET, AF_INET6 } = abi.socket.constants;

/** Strict dotted quad (`inet_pton(AF_INET)`): four decimal parts, no leading zeros. */
export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    out[i] = value;
  }
  return out;
}

/**
 * `inet_aton`'s looser syntax, which `getaddrinfo` accepts for numeric hosts: one to
 * four parts, each decimal, octal (`0` prefix) or hex (`0x`), the last part filling the
 * remaining bytes (`"127.1"` is 127.0.0.1).
 */
export function parseInetAton(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) value = part.length === 2 ? 0 : parseInt(part, 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = Number(part);
    else return null;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return null;
  if (last >= 2 ** (8 * (4 - values.length))) return null;
  let address = last;
  values.forEach((v, i) => (address += v * 2 ** (24 - 8 * i)));
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, address, false);
  return out;
}

/** `inet_pton(AF_INET6)`: RFC 4291 text, at most one `::`, an optional dotted-quad tail. */
export function parseIPv6(text: string): Uint8Array | null {
  if (text.length === 0) return null;
  const out = new Uint8Array(16);
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === "") return [];
    const words: number[] = [];
    const pieces = half.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseIPv4(piece);
        if (v4 === null) return null;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
        words.push(parseInt(piece, 16));
      }
    }
    return words;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  // A dotted quad may only end the address.
  if (halves.length === 2 && halves[0]!.includes(".")) return null;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Dotted quad. */
export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * glibc's `inet_ntop(AF_INET6)`: the longest run (two or more) of zero words becomes
 * `::` (the first such run on a tie), and `::a.b.c.d` / `::ffff:a.b.c.d` keep the
 * IPv4 part dotted.
 */
export function formatIPv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (curBase < 0) curBase = i, curLen = 1;
      else curLen++;
    } else if (curBase >= 0) {
      if (curLen > bestLen) bestBase = curBase, bestLen = curLen;
      curBase = -1;
    }
  }
  if (bestLen < 2) bestBase = -1;
  let text = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) text += ":";
      continue;
    }
    if (i !== 0) text += ":";
    if (
      i === 6 && bestBase === 0 &&
      (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))
    ) {
      text += formatIPv4(bytes.subarray(12, 16));
      break;
    }
    text += words[i]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) text += ":";
  return text;
}

/**
 * Converts an IP address from text to packed bytes, as Python's `socket.inet_pton`.
 *
 * @param family `AF_INET` or `AF_INET6`.
 * @param text The address, such as `"127.0.0.1"` or `"::1"`.
 * @returns 4 or 16 bytes, most significant first.
 * @throws {OSError} `"illegal IP address string passed to inet_pton"`, or
 *   EAFNOSUPPORT for another family.
 *
 * @example The IPv6 loopback address as bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { AF_INET6, inetPton } from "@iomux/iomux/socket";
 *
 * const loopback = new Uint8Array(16);
 * loopback[15] = 1;
 * assert.deepEqual(inetPton(AF_INET6, "::1"), loopback);
 * ```
 */
export function inetPton(family: number, text: string): Uint8Array {
  if (family !== AF_INET && family !== AF_INET6) {
    throw osError(errnoValue("EAFNOSUPPORT"));
  }
  const bytes = family === AF_INET ? parseIPv4(text) : parseIPv6(text);
  if (bytes === null) throw new OSError("illegal IP address string passed to inet_pton");
  return bytes;
}

/**
 * Converts packed IP address bytes to text, as Python's `socket.inet_ntop`.
 *
 * @param family `AF_INET` or `AF_INET6`.
 * @param bytes 4 bytes for `AF_INET`, 16 for `AF_INET6`.
 * @returns The address in its canonical text form.
 * @throws {ValueError} `"invalid length of packed IP address string"`, or
 *   `"unknown address family N"`.
 *
 * @example Four bytes as a dotted quad
 * ```ts
 * import assert from "node:assert/strict";
 * import { AF_INET, inetNtop } from "@iomux/iomux/socket";
 *
 * assert.equal(inetNtop(AF_INET, new Uint8Array([127, 0, 0, 1])), "127.0.0.1");
 * ```
 */
export function inetNtop(family: number, bytes: Uint8Array): string {
  if (family === AF_INET) {
    if (bytes.length !== 4) throw new ValueError("invalid length of packed IP address string");
    return formatIPv4(bytes);
  }
  if (family === AF_INET6) {
    if (bytes.length !== 16) throw new ValueError("invalid length of packed IP address string");
    return formatIPv6(bytes);
  }
  throw new ValueError(`unknown address family ${family}`);
}

/**
 * Converts an IPv4 address in `inet_aton` syntax to 4 bytes, as Python's
 * `socket.inet_aton` (`"127.1"` is accepted).
 *
 * @param text The address.
 * @returns 4 bytes.
 * @throws {OSError} `"illegal IP address string passed to inet_aton"`.
 *
 * @example The short forms `inet_aton` accepts
 * ```ts
 * import assert from "node:assert/strict";
 * import { inetAton } from "@iomux/iomux/socket";
 *
 * assert.deepEqual(inetAton("127.1"), new Uint8Array([127, 0, 0, 1]));
 * ```
 */
export function inetAton(text: string): Uint8Array {
  const bytes = parseInetAton(text);
  if (bytes === null) throw new OSError("illegal IP address string passed to inet_aton");
  return bytes;
}

/**
 * Converts 4 bytes to a dotted quad, as Python's `socket.inet_ntoa`.
 *
 * @param bytes 4 bytes.
 * @returns The dotted quad.
 * @throws {OSError} `"packed IP wrong length for inet_ntoa"`.
 *
 * @example Four bytes as a dotted quad
 * ```ts
 * import assert from "node:assert/strict";
 * import { inetNtoa } from "@iomux/iomux/socket";
 *
 * assert.equal(inetNtoa(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
 * ```
 */
export function inetNtoa(bytes: Uint8Array): string {
  if (bytes.length !== 4) throw new OSError("packed IP wrong length for inet_ntoa");
  return formatIPv4(bytes);
}
