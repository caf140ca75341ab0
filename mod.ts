/**
 * iomux: Python's `select` and `selectors` modules for TypeScript, straight to the
 * operating system's `select`, `poll`, `epoll` and `kqueue` through FFI.
 *
 * This entry point re-exports everything; `@iomux/iomux/select`,
 * `@iomux/iomux/selectors`, `@iomux/iomux/os` and `@iomux/iomux/socket` export
 * one module each.
 *
 * @example Everything from one entry point
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, Epoll, EPOLLIN, pipe, write } from "@iomux/iomux";
 *
 * const [r, w] = pipe();
 * using ep = new Epoll();
 * ep.register(r, EPOLLIN);
 * write(w, new Uint8Array([1]));
 * assert.deepEqual(ep.poll(1), [[r, EPOLLIN]]);
 * close(r);
 * close(w);
 * ```
 *
 * @module
 */
export * from "./select/mod.ts";
export * from "./os/mod.ts";
export * from "./selectors/mod.ts";
export * from "./socket/mod.ts";
export * from "./watch/mod.ts";
