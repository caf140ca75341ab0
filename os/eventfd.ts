/**
 * Python 3.10's `os.eventfd` family (`Modules/posixmodule.c` `os_eventfd_impl`,
 * `os_eventfd_read_impl`, `os_eventfd_write_impl`): a kernel counter behind an fd,
 * readable while it is non-zero. Linux only, as in Python; elsewhere `eventfd`
 * throws `OSError` (ENOSYS) and the `Waker` of `./watch` uses a pipe instead.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { lastOsError, osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { cInt, fildes } from "../_py/convert.ts";
import { ValueError } from "../_plain_errors.ts";
import { retrying } from "./_fd.ts";

/** `EFD_CLOEXEC`: the fd is closed across `exec` (Linux's value, `O_CLOEXEC`). */
export const EFD_CLOEXEC = 0o2000000;
/** `EFD_NONBLOCK`: reads of a zero counter fail with EAGAIN (Linux's value, `O_NONBLOCK`). */
export const EFD_NONBLOCK = 0o4000;
/** `EFD_SEMAPHORE`: each read takes 1 from the counter instead of all of it. */
export const EFD_SEMAPHORE = 1;

const UINT_MAX = 0xffff_ffff;
const U64_LIMIT = 1n << 64n;

function integral(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError("an integer is required");
  }
  return BigInt(value);
}

/**
 * Creates an eventfd, as Python's `os.eventfd(initval, flags=EFD_CLOEXEC)`.
 *
 * @param initval The counter's first value, a C `unsigned int`.
 * @param flags `EFD_CLOEXEC`, `EFD_NONBLOCK`, `EFD_SEMAPHORE`, or'ed; `EFD_CLOEXEC` by default.
 * @returns The new fd.
 * @throws {ValueError} `initval` is negative ("value must be positive").
 * @throws {RangeError} `initval` does not fit a C `unsigned int` (Python's `OverflowError`).
 * @throws {OSError} The kernel refused (EINVAL for unknown flags, ENOSYS off Linux).
 *
 * @example Count wake-ups with a semaphore eventfd
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, EFD_NONBLOCK, EFD_SEMAPHORE, eventfd, eventfdRead } from "@iomux/iomux/os";
 *
 * const fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
 * assert.equal(eventfdRead(fd), 1n);
 * assert.equal(eventfdRead(fd), 1n);
 * close(fd);
 * ```
 */
export function eventfd(initval: number, flags: number = EFD_CLOEXEC): number {
  const initial = integral(initval);
  if (initial < 0n) throw new ValueError("value must be positive");
  if (initial > BigInt(UINT_MAX)) {
    throw new RangeError("Python int too large for C unsigned int");
  }
  const mode = cInt(flags);
  const c = libc();
  if (c.eventfd === null) throw osError(abi.errno.ENOSYS);
  const fd = c.eventfd(Number(initial), mode);
  if (fd < 0) throw lastOsError();
  return fd;
}

/**
 * Reads an eventfd's counter, as Python's `os.eventfd_read`: all of it (and resets it
 * to 0), or 1 with `EFD_SEMAPHORE`. Blocks while the counter is 0 unless `EFD_NONBLOCK`.
 *
 * @param fd An eventfd (or an object with `fileno()`).
 * @returns The value read, a BigInt (the counter is 64 bits).
 * @throws {BlockingIOError} A non-blocking eventfd's counter is 0.
 *
 * @example Read what was written
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, eventfd, eventfdRead, eventfdWrite } from "@iomux/iomux/os";
 *
 * const fd = eventfd(0);
 * eventfdWrite(fd, 3);
 * eventfdWrite(fd, 4n);
 * assert.equal(eventfdRead(fd), 7n);
 * close(fd);
 * ```
 */
export function eventfdRead(fd: number | { fileno(): number }): bigint {
  const target = fildes(fd);
  const counter = new BigUint64Array(1);
  const bytes = new Uint8Array(counter.buffer);
  const c = libc();
  retrying(() => c.read(target, bytes, 8));
  return counter[0]!;
}

/**
 * Adds `value` to an eventfd's counter, as Python's `os.eventfd_write`. Blocks (or,
 * with `EFD_NONBLOCK`, fails with EAGAIN) when the sum would exceed 2^64 - 2.
 *
 * @param fd An eventfd (or an object with `fileno()`).
 * @param value A C `unsigned long long` (2^64 - 1 itself the kernel refuses, EINVAL).
 * @throws {ValueError} `value` is negative ("value must be positive").
 * @throws {RangeError} `value` is 2^64 or more (Python's `OverflowError`).
 * @throws {BlockingIOError} A non-blocking eventfd's counter is full.
 *
 * @example Wake a waiter
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, eventfd, eventfdWrite } from "@iomux/iomux/os";
 * import { select } from "@iomux/iomux/select";
 *
 * const fd = eventfd(0);
 * eventfdWrite(fd, 1);
 * assert.deepEqual(select([fd], [], [], 0)[0], [fd]);
 * close(fd);
 * ```
 */
export function eventfdWrite(fd: number | { fileno(): number }, value: number | bigint): void {
  const target = fildes(fd);
  const amount = integral(value);
  if (amount < 0n) throw new ValueError("value must be positive");
  if (amount >= U64_LIMIT) throw new RangeError("int too big to convert");
  const counter = new BigUint64Array([amount]);
  const bytes = new Uint8Array(counter.buffer);
  const c = libc();
  retrying(() => c.write(target, bytes, 8));
}
