/**
 * `os.O_*` flags with this platform's values.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const f = abi.fcntl;

/** Open for reading only. */
export const O_RDONLY: number = f.O_RDONLY;
/** Open for writing only. */
export const O_WRONLY: number = f.O_WRONLY;
/** Open for reading and writing. */
export const O_RDWR: number = f.O_RDWR;
/** Append on each write. */
export const O_APPEND: number = f.O_APPEND;
/** Create the file if it does not exist. */
export const O_CREAT: number = f.O_CREAT;
/** With `O_CREAT`: fail if the file exists. */
export const O_EXCL: number = f.O_EXCL;
/** Truncate to length 0. */
export const O_TRUNC: number = f.O_TRUNC;
/** Non-blocking mode. */
export const O_NONBLOCK: number = f.O_NONBLOCK;
/** Do not make a terminal the controlling terminal. */
export const O_NOCTTY: number = f.O_NOCTTY;
/** Synchronous writes. */
export const O_SYNC: number = f.O_SYNC;
/** Fail unless the path is a directory. */
export const O_DIRECTORY: number = f.O_DIRECTORY;
/** Fail if the path is a symbolic link. */
export const O_NOFOLLOW: number = f.O_NOFOLLOW;
/** Close on exec (iomux's `open` always adds it, as Python does). */
export const O_CLOEXEC: number = f.O_CLOEXEC;
