/**
 * Python's `select` module: {@linkcode select}, {@linkcode poll} and
 * {@linkcode epoll}, with CPython's semantics, straight to the system calls.
 *
 * @example Poll a pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { poll, POLLIN } from "@iomux/iomux/select";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const p = poll();
 * p.register(r, POLLIN);
 * write(w, new TextEncoder().encode("ping"));
 * const ready = p.poll(1000);
 * assert.deepEqual(ready, [[r, POLLIN]]);
 * assert.equal(new TextDecoder().decode(read(r, 100)), "ping");
 * close(r);
 * close(w);
 * ```
 *
 * @module
 */
export { select } from "./select.ts";
export { Poll, poll } from "./poll.ts";
export { Epoll, epoll } from "./epoll.ts";
export { KEvent, kevent } from "./kevent.ts";
export { Kqueue, kqueue } from "./kqueue.ts";
export type { FileLike } from "../_py/convert.ts";
export type { AsyncWaitOptions } from "../_wait/async_wait.ts";
export * from "./constants.ts";
export * from "./kq_constants.ts";
export * from "../errors.ts";
