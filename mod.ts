/**
 * iomux: Python's `select` and `selectors` modules for TypeScript, straight to the
 * operating system's `select`, `poll`, `epoll` and `kqueue` through FFI.
 *
 * This entry point re-exports everything; `@iomux/iomux/select`,
 * `@iomux/iomux/selectors`, `@iomux/iomux/os` and `@iomux/iomux/socket` export
 * one module each.
 *
 * @example
 * ```ts
 * import { Epoll, EPOLLIN, pipe, write, close } from "@iomux/iomux";
 *
 * const [r, w] = pipe();
 * using ep = new Epoll();
 * ep.register(r, EPOLLIN);
 * write(w, new Uint8Array([1]));
 * console.log(ep.poll(1)); // [ [ r, 1 ] ]
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
