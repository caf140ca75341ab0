/**
 * Python's `socket.gaierror`, and the error a failed `getaddrinfo`/`getnameinfo`
 * raises: CPython's `set_gaierror` (`Modules/socketmodule.c`).
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { lastOsError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import type { NetdbConstantName } from "../ffi/abi/netdb_types.ts";

/**
 * A host or service name could not be resolved, as Python's `socket.gaierror` (a
 * subclass of `OSError`). `errno` holds the `EAI_*` code `getaddrinfo` returned
 * (negative on glibc, a Winsock error on Windows), `code` its name, and the message
 * is libc's `gai_strerror` text, as Python prints it: `"[Errno -2] Name or service
 * not known"` on glibc, `"[Errno 11001] getaddrinfo failed"` on Windows.
 *
 * @example A host name that does not resolve
 * ```ts
 * import assert from "node:assert/strict";
 * import { EAI_NONAME, gaierror, getaddrinfo } from "@iomux/iomux/socket";
 *
 * assert.throws(
 *   () => getaddrinfo("example.invalid", 80),
 *   (e) => e instanceof gaierror && e.errno === EAI_NONAME && e.code === "EAI_NONAME",
 * );
 * ```
 */
// deno-lint-ignore camelcase
export class gaierror extends OSError {}

/** `EAI_*` names by value; where two share a value (Windows), the first listed wins. */
const NAMES = new Map<number, NetdbConstantName>();
for (
  const name of [
    "EAI_NONAME",
    "EAI_AGAIN",
    "EAI_FAIL",
    "EAI_FAMILY",
    "EAI_SOCKTYPE",
    "EAI_SERVICE",
    "EAI_BADFLAGS",
    "EAI_MEMORY",
    "EAI_SYSTEM",
    "EAI_OVERFLOW",
    "EAI_ADDRFAMILY",
    "EAI_NODATA",
    "EAI_BADHINTS",
    "EAI_PROTOCOL",
  ] as const
) {
  const value = abi.netdb.constants[name];
  if (value !== 0 && !NAMES.has(value)) NAMES.set(value, name);
}

/**
 * The error for a non-zero `getaddrinfo`/`getnameinfo` result: `EAI_SYSTEM` is the
 * `OSError` of errno, as CPython's `set_gaierror` raises it (so call this right after
 * the failing call); any other code a {@linkcode gaierror} with `gai_strerror`'s text.
 */
export function gaiError(code: number): OSError {
  const { EAI_SYSTEM } = abi.netdb.constants;
  if (EAI_SYSTEM !== 0 && code === EAI_SYSTEM) return lastOsError();
  const text = abi.netdb.fixedMessage ?? libc().gai_strerror?.(code) ?? "getaddrinfo failed";
  const name = NAMES.get(code);
  return new gaierror(code, text, undefined, name === undefined ? {} : { code: name });
}
