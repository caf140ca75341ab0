/**
 * `fcntl.ioctl` and `fcntl.fcntl`: the device-control calls, with CPython's rules
 * for integer and buffer arguments.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { lastOsError, retryOnEintr } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { cInt, fildes, type FileLike, pyTypeName } from "../_py/convert.ts";
import { byteLengthOf, bytesFrom, isWritable, plainBytes } from "../ffi/bytes.ts";

/** CPython's `IOCTL_BUFSZ`: the scratch buffer for copied arguments. */
const BUFSZ = 1024;
/**
 * CPython's stack buffer `buf[IOCTL_BUFSZ + 1]`, made once: the calls are synchronous,
 * and only the argument's own length is ever copied out of it.
 */
const scratchBuffer = new Uint8Array(new ArrayBuffer(BUFSZ + 1));
const encoder = new TextEncoder();

/** Python's `unsigned long` request, bitwise: ioctl encodings are 32-bit everywhere. */
function request(value: unknown): number {
  if (typeof value === "bigint") return Number(BigInt.asUintN(32, value));
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  return value >>> 0;
}

/** The bytes of a read-only argument (`s*`: a string or any bytes-like object). */
function readOnly(arg: unknown): Uint8Array | null {
  if (typeof arg === "string") return encoder.encode(arg);
  return plainBytes(arg) ?? null;
}

/**
 * Controls a device, as Python's `fcntl.ioctl` (`Modules/fcntlmodule.c`
 * `fcntl_ioctl_impl`):
 *
 * - a number `arg` (default 0) is passed as a C `int`; the call's result is returned;
 * - a writable buffer with `mutateFlag` (the default) is handed to the kernel and
 *   gets what the kernel wrote (through a 1024-byte scratch buffer when it is at
 *   most that long, so a request that writes more cannot overrun it); the call's
 *   result is returned;
 * - a string, an immutable buffer, or `mutateFlag` false: the bytes are copied into
 *   a 1024-byte buffer, and a copy of it, as long as `arg`, is returned.
 *
 * The buffer's extent is its real one (the engine's `byteLength`), never a
 * property the object could redefine.
 *
 * @param fd An fd, or an object with `fileno()`.
 * @param req The request number (`TIOCGWINSZ`, `FIONREAD`…).
 * @param arg A number, a bytes-like object or a string.
 * @param mutateFlag Whether a writable buffer is written back (default true).
 * @returns The call's result, or the bytes the kernel left in the copy.
 * @throws {OSError} The call failed (ENOTTY: not a device that knows `req`).
 * @throws {ValueError} A copied argument is longer than 1024 bytes.
 *
 * @example How many bytes wait in a pipe (FIONREAD)
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe, write } from "@iomux/iomux/os";
 * import { FIONREAD, ioctl } from "@iomux/iomux/fcntl";
 *
 * const [r, w] = pipe();
 * write(w, new Uint8Array(5));
 * const count = new Int32Array(1);
 * assert.equal(ioctl(r, FIONREAD, count), 0);
 * assert.equal(count[0], 5);
 * close(r);
 * close(w);
 * ```
 */
export function ioctl(
  fd: FileLike,
  req: number,
  arg: number | ArrayBufferView | ArrayBuffer | string = 0,
  mutateFlag = true,
): number | Uint8Array {
  const target = fildes(fd);
  const code = request(req);
  const c = libc();
  const raw = typeof arg === "string" ? undefined : plainBytes(arg);
  if (raw !== undefined && mutateFlag && isWritable(raw)) {
    // A fresh intrinsic view: the caller's object may carry own `set` or `byteLength`.
    const bytes = bytesFrom(raw, 0);
    const length = byteLengthOf(bytes);
    const scratch = length <= BUFSZ ? scratchBuffer : null;
    if (scratch !== null) {
      scratch.set(bytes);
      scratch[length] = 0; // CPython's buf[len] = '\0'
    }
    const ret = c.ioctl_buffer(target, code, scratch ?? bytes);
    if (scratch !== null) bytes.set(scratch.subarray(0, length));
    if (ret < 0) throw lastOsError();
    return ret;
  }
  const bytes = raw ?? readOnly(arg);
  if (bytes !== null) {
    const length = byteLengthOf(bytes);
    if (length > BUFSZ) throw new ValueError("ioctl string arg too long");
    const scratch = scratchBuffer;
    scratch.set(bytes);
    scratch[length] = 0;
    if (c.ioctl_buffer(target, code, scratch) < 0) throw lastOsError();
    return scratch.slice(0, length);
  }
  if (typeof arg !== "number" && typeof arg !== "bigint") {
    throw new TypeError(
      "ioctl requires a file or file descriptor, an integer and optionally an integer or buffer argument",
    );
  }
  const value = cInt(arg);
  const ret = c.ioctl(target, code, value);
  if (ret < 0) throw lastOsError();
  return ret;
}

/**
 * Performs `cmd` on `fd`, as Python's `fcntl.fcntl` (`Modules/fcntlmodule.c`
 * `fcntl_fcntl_impl`): a number `arg` (default 0) is passed as an int and the
 * result returned; a bytes-like or string `arg` (a `struct flock`, say) is copied
 * into a 1024-byte buffer and a copy as long as `arg` is returned. Interrupted
 * calls are retried.
 *
 * @param fd An fd, or an object with `fileno()`.
 * @param cmd An `F_*` command.
 * @param arg A number, a bytes-like object or a string.
 * @returns The call's result, or the bytes the call left in the copy.
 * @throws {OSError} The call failed.
 * @throws {ValueError} A buffer argument is longer than 1024 bytes.
 *
 * @example Read and change fd flags
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, O_NONBLOCK, pipe } from "@iomux/iomux/os";
 * import { F_GETFL, F_SETFL, fcntl } from "@iomux/iomux/fcntl";
 *
 * const [r, w] = pipe();
 * const flags = fcntl(r, F_GETFL) as number;
 * fcntl(r, F_SETFL, flags | O_NONBLOCK);
 * assert.ok((fcntl(r, F_GETFL) as number) & O_NONBLOCK);
 * close(r);
 * close(w);
 * ```
 */
export function fcntl(
  fd: FileLike,
  cmd: number,
  arg: number | ArrayBufferView | ArrayBuffer | string = 0,
): number | Uint8Array {
  const target = fildes(fd);
  const command = cInt(cmd);
  const c = libc();
  const bytes = readOnly(arg);
  if (bytes !== null) {
    const length = byteLengthOf(bytes);
    if (length > BUFSZ) throw new ValueError("fcntl string arg too long");
    const scratch = scratchBuffer;
    scratch.set(bytes);
    retryOnEintr(() => c.fcntl_buffer(target, command, scratch));
    return scratch.slice(0, length);
  }
  if (typeof arg !== "number" && typeof arg !== "bigint") {
    throw new TypeError(
      "fcntl requires a file or file descriptor, an integer and optionally a third integer or a string",
    );
  }
  const value = Number(BigInt.asIntN(32, BigInt(arg)));
  return retryOnEintr(() => c.fcntl(target, command, value));
}
