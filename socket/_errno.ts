/**
 * errno values by name, for the socket errors iomux's own code tests for.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const byName = new Map<string, number>(
  Object.entries(abi.errnoNames).map(([value, name]) => [name, Number(value)]),
);

/** The errno value named `name` on this platform (`"EINPROGRESS"` → 115 on Linux). */
export function errnoValue(name: string): number {
  const value = byName.get(name);
  if (value === undefined) throw new Error(`iomux: no errno named ${name} here`);
  return value;
}
