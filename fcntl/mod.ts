/**
 * Python's `fcntl` module: `ioctl` and `fcntl` on raw fds, with the `F_*`, `LOCK_*`
 * constants and the common `ioctl` requests (`TIOCGWINSZ`, `TIOCSWINSZ`,
 * `FIONREAD`…) with this platform's values.
 *
 * @example A pty's window size through ioctl
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, openpty } from "@iomux/iomux/os";
 * import { ioctl, TIOCGWINSZ, TIOCSWINSZ } from "@iomux/iomux/fcntl";
 *
 * const [master, slave] = openpty();
 * ioctl(master, TIOCSWINSZ, new Uint16Array([24, 80, 0, 0]));
 * const size = new Uint16Array(4);
 * ioctl(slave, TIOCGWINSZ, size);
 * assert.deepEqual([...size.subarray(0, 2)], [24, 80]);
 * close(master);
 * close(slave);
 * ```
 *
 * @module
 */
export type { FileLike } from "../_py/convert.ts";
export { fcntl, ioctl } from "./ioctl.ts";
export * from "./constants.ts";
export * from "../errors.ts";
