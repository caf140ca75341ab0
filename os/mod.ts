/**
 * Raw file descriptors for runtimes that hand out none: pipes, `open`, reads and
 * writes, blocking mode. The fds work with every `select` and `selectors` API.
 *
 * @example Read a pipe without blocking
 * ```ts
 * import assert from "node:assert/strict";
 * import { close, pipe, read, setBlocking, write } from "@iomux/iomux/os";
 * import { BlockingIOError } from "@iomux/iomux";
 *
 * const [r, w] = pipe();
 * setBlocking(r, false);
 * assert.throws(() => read(r, 10), BlockingIOError); // nothing to read yet
 * write(w, new Uint8Array([1]));
 * assert.deepEqual(read(r, 10), new Uint8Array([1]));
 * close(r);
 * close(w);
 * ```
 *
 * @module
 */
export { close, read, write } from "./fd.ts";
export { pipe } from "./pipe.ts";
export { open } from "./open.ts";
export { getBlocking, setBlocking } from "./blocking.ts";
export * from "./constants.ts";
export * from "../errors.ts";
export { dup, dup2, getInheritable, setInheritable } from "./dup.ts";
export { isatty, ttyname } from "./tty.ts";
export { openpty } from "./pty.ts";
export { spawnPty, type SpawnPtyOptions } from "./pty_spawn.ts";
export {
  type FileAction,
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  POSIX_SPAWN_OPEN,
  posixSpawn,
  type PosixSpawnOptions,
  posixSpawnp,
  type SpawnEnv,
} from "./spawn.ts";
export {
  waitpid,
  waitstatusToExitcode,
  WCONTINUED,
  WEXITSTATUS,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WNOHANG,
  WSTOPSIG,
  WTERMSIG,
  WUNTRACED,
} from "./wait.ts";
export {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EFD_SEMAPHORE,
  eventfd,
  eventfdRead,
  eventfdWrite,
} from "./eventfd.ts";
