/**
 * `os.posix_spawn` and `os.posix_spawnp`: start a program on fds of your choosing
 * (a pty, a pipe, a serial port), which `Deno.Command` and `child_process` cannot.
 *
 * @module
 */
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import { pyTypeName } from "../_py/convert.ts";
import { cString, cStringArrays } from "./_cstrings.ts";
import { fdArgument } from "./_fd.ts";

/** File action tag: `[POSIX_SPAWN_OPEN, fd, path, flags, mode]` opens `path` as `fd`. */
export const POSIX_SPAWN_OPEN = 0;
/** File action tag: `[POSIX_SPAWN_CLOSE, fd]` closes `fd` in the child. */
export const POSIX_SPAWN_CLOSE = 1;
/** File action tag: `[POSIX_SPAWN_DUP2, fd, newfd]` makes `newfd` a copy of `fd`. */
export const POSIX_SPAWN_DUP2 = 2;

/** One of Python's `file_actions` tuples, applied in the child in order. */
export type FileAction =
  | readonly [tag: typeof POSIX_SPAWN_OPEN, fd: number, path: string, flags: number, mode: number]
  | readonly [tag: typeof POSIX_SPAWN_CLOSE, fd: number]
  | readonly [tag: typeof POSIX_SPAWN_DUP2, fd: number, newfd: number];

/** Python's keyword-only arguments of `os.posix_spawn`. */
export interface PosixSpawnOptions {
  /** Opens, closes and dup2s made in the child before the program runs. */
  readonly fileActions?: Iterable<FileAction>;
  /** Put the child in process group `setpgroup` (0: a new group of its own). */
  readonly setpgroup?: number | null;
  /** Reset the effective uid and gid to the real ones. */
  readonly resetids?: boolean;
  /** Make the child a session leader (`POSIX_SPAWN_SETSID`). */
  readonly setsid?: boolean;
  /** Signals blocked in the child. */
  readonly setsigmask?: Iterable<number>;
  /** Signals reset to their default action in the child. */
  readonly setsigdef?: Iterable<number>;
}

/** The environment: `name → value`, or `null` for this process's own. */
export type SpawnEnv = Readonly<Record<string, string>> | null;

const flagBits = abi.devices.spawnFlags;

function environment(env: SpawnEnv): string[] {
  let entries: [string, string][];
  if (env === null) {
    // deno-lint-ignore no-explicit-any
    const g = globalThis as any;
    entries = g.Deno ? Object.entries(g.Deno.env.toObject()) : Object.entries(g.process.env);
  } else if (typeof env === "object" && !Array.isArray(env)) {
    entries = Object.entries(env);
  } else {
    throw new TypeError("posix_spawn: environment must be a mapping object");
  }
  return entries.map(([name, value]) => {
    if (typeof value !== "string") {
      throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(value)}`);
    }
    if (name.length === 0 || name.includes("=")) {
      throw new ValueError("illegal environment variable name");
    }
    return `${name}=${value}`;
  });
}

/** Runs `use` with a libc-initialised object of `size` bytes, destroyed after. */
function withObject<R>(
  size: number,
  init: (p: Uint8Array) => number,
  destroy: (p: Uint8Array) => number,
  use: (p: Uint8Array) => R,
): R {
  // Generous: twice the header's size, so a libc newer than the table still fits.
  const object = new Uint8Array(new ArrayBuffer(Math.max(16, size * 2)));
  const err = init(object);
  if (err !== 0) throw osError(err);
  try {
    return use(object);
  } finally {
    destroy(object);
  }
}

function check(err: number): void {
  if (err !== 0) throw osError(err);
}

function addFileActions(
  actions: Uint8Array,
  list: Iterable<FileAction>,
  keep: Uint8Array[],
): void {
  const c = libc();
  for (const action of list as Iterable<unknown>) {
    if (!Array.isArray(action) || action.length === 0) {
      throw new TypeError("Each file_actions element must be a non-empty tuple");
    }
    const [tag, ...rest] = action as unknown[];
    const arity = (n: number, name: string) => {
      if (rest.length !== n) {
        throw new TypeError(`${name}() takes exactly ${n} arguments (${rest.length} given)`);
      }
    };
    if (tag === POSIX_SPAWN_OPEN) {
      arity(4, "posix_spawn_file_actions_addopen");
      const path = cString(String(rest[1]));
      keep.push(path);
      check(c.posix_spawn_file_actions_addopen(
        actions,
        fdArgument(rest[0]),
        path,
        fdArgument(rest[2]),
        fdArgument(rest[3]),
      ));
    } else if (tag === POSIX_SPAWN_CLOSE) {
      arity(1, "posix_spawn_file_actions_addclose");
      check(c.posix_spawn_file_actions_addclose(actions, fdArgument(rest[0])));
    } else if (tag === POSIX_SPAWN_DUP2) {
      arity(2, "posix_spawn_file_actions_adddup2");
      check(c.posix_spawn_file_actions_adddup2(
        actions,
        fdArgument(rest[0]),
        fdArgument(rest[1]),
      ));
    } else {
      throw new TypeError("Unknown file_actions identifier");
    }
  }
}

function sigset(signals: Iterable<number>): Uint8Array {
  const c = libc();
  const set = new Uint8Array(new ArrayBuffer(abi.devices.sigsetSize * 2));
  c.sigemptyset(set);
  for (const signal of signals) {
    if (c.sigaddset(set, fdArgument(signal)) !== 0) {
      throw new ValueError(`signal number ${signal} out of range [1; 64]`);
    }
  }
  return set;
}

function setAttributes(attr: Uint8Array, options: PosixSpawnOptions): void {
  const c = libc();
  let flags = 0;
  if (options.setpgroup !== undefined && options.setpgroup !== null) {
    check(c.posix_spawnattr_setpgroup(attr, fdArgument(options.setpgroup)));
    flags |= flagBits.SETPGROUP;
  }
  if (options.resetids) flags |= flagBits.RESETIDS;
  if (options.setsid) {
    if (flagBits.SETSID === 0) throw new Error("setsid is unavailable on this platform");
    flags |= flagBits.SETSID;
  }
  if (options.setsigmask !== undefined) {
    check(c.posix_spawnattr_setsigmask(attr, sigset(options.setsigmask)));
    flags |= flagBits.SETSIGMASK;
  }
  if (options.setsigdef !== undefined) {
    check(c.posix_spawnattr_setsigdefault(attr, sigset(options.setsigdef)));
    flags |= flagBits.SETSIGDEF;
  }
  check(c.posix_spawnattr_setflags(attr, flags));
}

function spawn(
  name: "posix_spawn" | "posix_spawnp",
  path: string,
  argv: readonly string[],
  env: SpawnEnv,
  options: PosixSpawnOptions,
): number {
  if (typeof path !== "string") {
    throw new TypeError(`${name}: path should be string, not ${pyTypeName(path)}`);
  }
  if (!Array.isArray(argv)) throw new TypeError(`${name}: argv must be a tuple or list`);
  if (argv.length < 1) throw new ValueError(`${name}: argv must not be empty`);
  const args = argv.map((a: unknown) => {
    if (typeof a !== "string") {
      throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(a)}`);
    }
    return a;
  });
  const file = cString(path);
  const strings = cStringArrays([args, environment(env)]);
  const c = libc();
  const keep: Uint8Array[] = [];
  return withObject(
    abi.devices.posixSpawnFileActionsSize,
    c.posix_spawn_file_actions_init,
    c.posix_spawn_file_actions_destroy,
    (actions) =>
      withObject(
        abi.devices.posixSpawnattrSize,
        c.posix_spawnattr_init,
        c.posix_spawnattr_destroy,
        (attr) => {
          addFileActions(actions, options.fileActions ?? [], keep);
          setAttributes(attr, options);
          const pid = new Int32Array(1);
          const [argvArray, envArray] = strings.arrays as [Uint8Array, Uint8Array];
          const err = c[name](pid, file, actions, attr, argvArray, envArray);
          if (err !== 0) {
            // posix_path_error: CPython's message names the path.
            const error = osError(err);
            error.message += `: ${JSON.stringify(path).replaceAll('"', "'")}`;
            throw error;
          }
          void strings.block; // the block the arrays point into lives until here
          void keep;
          return pid[0]!;
        },
      ),
  );
}

/**
 * Starts the program at `path`, as Python's `os.posix_spawn`: the child gets this
 * process's inheritable fds (iomux's own are not), changed by `fileActions` in
 * order, and the attributes asked for. Attributes are applied before file
 * actions, so a child made with `setsid` that opens a terminal without `O_NOCTTY`
 * gets it as its controlling terminal (Linux).
 *
 * @param path The program's path (no `PATH` search; see {@linkcode posixSpawnp}).
 * @param argv The arguments, program name first.
 * @param env The environment as `name → value`, or `null` for this process's.
 * @param options `fileActions`, `setpgroup`, `resetids`, `setsid`, `setsigmask`, `setsigdef`.
 * @returns The child's pid; reap it with `waitpid`.
 * @throws {OSError} The program cannot be run (ENOENT, EACCES…), with its errno.
 * @throws {TypeError} `argv` is not an array, a file action is malformed.
 * @throws {ValueError} `argv` is empty, a string contains a NUL.
 *
 * @example A child that writes into our pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   close, pipe, POSIX_SPAWN_DUP2, posixSpawn, read, waitpid, waitstatusToExitcode,
 * } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const pid = posixSpawn("/bin/sh", ["sh", "-c", "echo hello"], {}, {
 *   fileActions: [[POSIX_SPAWN_DUP2, w, 1]],
 * });
 * close(w);
 * assert.equal(new TextDecoder().decode(read(r, 100)), "hello\n");
 * assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
 * close(r);
 * ```
 */
export function posixSpawn(
  path: string,
  argv: readonly string[],
  env: SpawnEnv,
  options: PosixSpawnOptions = {},
): number {
  return spawn("posix_spawn", path, argv, env, options);
}

/**
 * {@linkcode posixSpawn} with a `PATH` search for `path`, as Python's
 * `os.posix_spawnp`.
 *
 * @param path A program name (`"sh"`) or a path.
 * @param argv The arguments, program name first.
 * @param env The environment as `name → value`, or `null` for this process's.
 * @param options As for {@linkcode posixSpawn}.
 * @returns The child's pid.
 * @throws {OSError} ENOENT when no such program is on `PATH`.
 *
 * @example Run `true` from PATH
 * ```ts
 * import assert from "node:assert/strict";
 * import { posixSpawnp, waitpid, waitstatusToExitcode } from "@iomux/iomux/os";
 *
 * const pid = posixSpawnp("true", ["true"], null);
 * assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
 * ```
 */
export function posixSpawnp(
  path: string,
  argv: readonly string[],
  env: SpawnEnv,
  options: PosixSpawnOptions = {},
): number {
  return spawn("posix_spawnp", path, argv, env, options);
}
