/**
 * Python's `selectors` module: high-level I/O multiplexing on top of
 * `@iomux/iomux/select`. Register file objects (fds, or objects with `fileno()`)
 * for {@linkcode EVENT_READ} and {@linkcode EVENT_WRITE}, attach data, and
 * `select()` the ready ones. {@linkcode DefaultSelector} picks the best mechanism
 * the platform has (epoll on Linux), with CPython's semantics and error messages.
 *
 * @example A tiny event loop over a pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { DefaultSelector, EVENT_READ } from "@iomux/iomux/selectors";
 * import { close, pipe, read, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const received: string[] = [];
 * using sel = new DefaultSelector<(fd: number) => void>();
 * sel.register(r, EVENT_READ, (fd) => received.push(new TextDecoder().decode(read(fd, 100))));
 * write(w, new TextEncoder().encode("hello"));
 * for (const [key] of sel.select(1)) key.data(key.fd);
 * assert.deepEqual(received, ["hello"]);
 * close(r);
 * close(w);
 * ```
 *
 * @module
 */
export { EVENT_READ, EVENT_WRITE, SelectorKey } from "./key.ts";
export { SelectorMapping } from "./mapping.ts";
export { BaseSelector } from "./base.ts";
export { BaseSelectorImpl } from "./impl.ts";
export { type Poller, PollLikeSelector } from "./poll_like.ts";
export { SelectSelector } from "./select_selector.ts";
export { PollSelector } from "./poll_selector.ts";
export { EpollSelector } from "./epoll_selector.ts";
export { KqueueSelector } from "./kqueue_selector.ts";
export { DefaultSelector, type DefaultSelectorConstructor } from "./default.ts";
export type { FileLike } from "../_py/convert.ts";
export type { AsyncWaitOptions } from "../_wait/async_wait.ts";
export * from "../errors.ts";
