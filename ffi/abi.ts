/**
 * The running platform's ABI table, chosen once from the runtime's OS and CPU names.
 * Everything above `ffi/` reads struct sizes, offsets and constants from here.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import { LINUX_AARCH64, LINUX_X86_64 } from "./abi/linux.ts";
import { DARWIN_AARCH64, DARWIN_X86_64 } from "./abi/darwin.ts";
import { FREEBSD_AARCH64, FREEBSD_X86_64 } from "./abi/freebsd.ts";
import { WINDOWS_AARCH64, WINDOWS_X86_64 } from "./abi/windows.ts";
import { platformKey } from "./_native.ts";

export type { Abi } from "./abi/types.ts";
export { platformKey };

/** Every table iomux ships, by `os-arch`. */
export const ABI_TABLES: Readonly<Record<string, Abi>> = {
  "linux-x86_64": LINUX_X86_64,
  "linux-aarch64": LINUX_AARCH64,
  "darwin-x86_64": DARWIN_X86_64,
  "darwin-aarch64": DARWIN_AARCH64,
  "freebsd-x86_64": FREEBSD_X86_64,
  "freebsd-aarch64": FREEBSD_AARCH64,
  "windows-x86_64": WINDOWS_X86_64,
  "windows-aarch64": WINDOWS_AARCH64,
};

function pick(): Abi {
  const key = platformKey();
  const table = ABI_TABLES[key];
  // An unknown platform gets Linux x86_64's constants so that the module still
  // imports; loading libc will fail with a clear message instead (see libc.ts).
  return table ?? LINUX_X86_64;
}

/** This platform's ABI table. */
export const abi: Abi = pick();

/** Whether iomux has a table for this platform. */
export const abiSupported: boolean = platformKey() in ABI_TABLES;
