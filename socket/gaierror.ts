/**
 * Python's `socket.gaierror`.
 *
 * @module
 */
import { OSError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";

/**
 * A host name could not be turned into an address, as Python's `socket.gaierror`.
 * iomux does not call `getaddrinfo`: it accepts numeric IPv4 and IPv6 hosts, `""`
 * (any address) and `"localhost"`, and raises this for every other name.
 * `errno` holds the `EAI_*` value (negative on glibc), `code` its name.
 *
 * @example A host name that does not resolve
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaierror, Socket } from "@iomux/iomux/socket";
 *
 * using s = new Socket();
 * assert.throws(
 *   () => s.bind(["example.invalid", 0]),
 *   (e) => e instanceof gaierror && e.code === "EAI_NONAME",
 * );
 * ```
 */
// deno-lint-ignore camelcase
export class gaierror extends OSError {}

/** The `gaierror` that `getaddrinfo` gives for a name it cannot resolve. */
export function noSuchName(): gaierror {
  const { EAI_NONAME, eaiNonameMessage } = abi.socket;
  return new gaierror(EAI_NONAME, eaiNonameMessage, undefined, { code: "EAI_NONAME" });
}

/** The `gaierror` for an address of the other IP family (`"::1"` on an IPv4 socket). */
export function wrongFamily(): gaierror {
  const { EAI_ADDRFAMILY, eaiAddrfamilyMessage } = abi.socket;
  return new gaierror(EAI_ADDRFAMILY, eaiAddrfamilyMessage, undefined, {
    code: "EAI_ADDRFAMILY",
  });
}
