/**
 * Web streams over an fd: `readable()` is a byte stream (BYOB reads go straight to
 * read(2)), `writable()` waits for writability on EAGAIN, so a full pipe or socket
 * holds the writer back (backpressure) instead of blocking the JS thread.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";
import { osError } from "../ffi/errno.ts";
import { libc } from "../ffi/libc.ts";
import type { FileLike } from "../_py/convert.ts";
import { setBlocking } from "../os/blocking.ts";
import { FD_IO, setSocketNonBlocking, SOCKET_IO } from "../_wait/socket_wake.ts";
import { fileobjToFd } from "../selectors/_fileobj.ts";
import { EVENT_READ, EVENT_WRITE } from "../selectors/key.ts";
import { bytesView } from "./_bytes.ts";
import { readiness } from "./_once.ts";

const { EAGAIN, EINTR } = abi.errno;

/**
 * On Windows the fd is a socket (only sockets can be waited on there, as in CPython):
 * it is read with `recv`, written with `send`, closed with `closesocket` and made
 * non-blocking with `ioctlsocket(FIONBIO)`; the C runtime's `_read` and `fcntl` do
 * not take sockets.
 */
const WINDOWS = abi.winsock !== undefined;
const IO = WINDOWS ? SOCKET_IO : FD_IO;
const makeNonBlocking = WINDOWS ? setSocketNonBlocking : (fd: number) => setBlocking(fd, false);
// EIO is 5 on every platform iomux runs on; the ABI table names it (EWOULDBLOCK is EAGAIN there).
const EIO = Number(Object.entries(abi.errnoNames).find(([, name]) => name === "EIO")?.[0] ?? 5);

/** Options of {@linkcode readable} and {@linkcode writable}. */
export interface FdStreamOptions {
  /**
   * Close the fd when the stream ends: at end of file, on `cancel()`/`abort()`, on an
   * error, or on `close()` of a writable. Default `false`: the fd stays the caller's.
   */
  closeFd?: boolean | undefined;
  /** Aborting it errors the stream with `signal.reason` (and closes the fd with `closeFd`). */
  signal?: AbortSignal | undefined;
}

/** Options of {@linkcode readable}. */
export interface ReadableFdOptions extends FdStreamOptions {
  /** Bytes per read when the reader brings no buffer of its own. Default 65,536. */
  chunkSize?: number | undefined;
}

function closer(fd: number, options: FdStreamOptions | undefined): () => void {
  let closed = false;
  return () => {
    if (closed || options?.closeFd !== true) return;
    closed = true;
    IO.close(fd);
  };
}

/**
 * One stream's stop switch. Its `signal` is given to every wait for readiness, so
 * that no watcher outlives the stream: `stop()` (the stream's `cancel()`/`abort()`)
 * and `follow(other)` (a writable's controller signal, which `abort()` fires while a
 * write is still in flight) only end that wait; the caller's `signal` also errors the
 * stream through `onAbort`.
 */
function stopSwitch(signal: AbortSignal | undefined, onAbort: (reason: unknown) => void): {
  signal: AbortSignal;
  stop(reason: unknown): void;
  follow(other: AbortSignal | undefined): void;
} {
  const own = new AbortController();
  const follow = (other: AbortSignal | undefined, then?: () => void) => {
    if (other === undefined) return;
    const onOther = () => {
      own.abort(other.reason);
      then?.();
    };
    if (other.aborted) return onOther();
    other.addEventListener("abort", onOther, { once: true });
    own.signal.addEventListener("abort", () => other.removeEventListener("abort", onOther), {
      once: true,
    });
  };
  follow(signal, () => onAbort(signal!.reason));
  return { signal: own.signal, stop: (reason) => own.abort(reason), follow };
}

/**
 * A byte stream of what `fileobj` reads. The fd is made non-blocking; a read that
 * finds nothing waits for readability beside the event loop. The stream ends at end
 * of file, and on `EIO`, which a pty master reads once the child side has closed.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @param options `closeFd`, `signal`, `chunkSize`.
 * @returns A `ReadableStream` of type `"bytes"`: `getReader({ mode: "byob" })` works.
 * @throws {OSError} The fd is not open.
 *
 * @example Read a pipe to its end
 * ```ts
 * import assert from "node:assert/strict";
 * import { readable } from "@iomux/iomux/watch";
 * import { close, pipe, write } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * write(w, new TextEncoder().encode("hello"));
 * close(w);
 * const text = await new Response(readable(r, { closeFd: true })).text();
 * assert.equal(text, "hello");
 * ```
 */
export function readable(
  fileobj: FileLike,
  options?: ReadableFdOptions,
): ReadableStream<Uint8Array> {
  const fd = fileobjToFd(fileobj);
  const chunkSize = options?.chunkSize ?? 65536;
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError("chunkSize must be a positive integer");
  }
  makeNonBlocking(fd);
  const release = closer(fd, options);
  let stream: ReadableByteStreamController | undefined;
  const { signal, stop } = stopSwitch(options?.signal, (reason) => {
    release();
    stream?.error(reason);
  });
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: chunkSize,
    start(controller) {
      stream = controller;
      if (signal.aborted) {
        release();
        controller.error(signal.reason);
      }
    },
    async pull(controller) {
      const request = controller.byobRequest!;
      const target = bytesView(request.view);
      const c = libc();
      for (;;) {
        signal.throwIfAborted();
        const got = IO.read(fd, target, target.byteLength);
        if (got > 0) return request.respond(got);
        const errno = got === 0 ? 0 : c.errno();
        if (got === 0 || errno === EIO) {
          release();
          controller.close();
          return request.respond(0);
        }
        if (errno === EINTR) continue;
        if (errno !== EAGAIN) {
          release();
          throw osError(errno);
        }
        await readiness(fd, EVENT_READ, signal);
      }
    },
    cancel(reason) {
      // A pull may be waiting for readiness: end that wait (its watcher) too.
      stop(reason);
      release();
    },
  });
}

/**
 * A sink that writes to `fileobj`. The fd is made non-blocking; when it is full
 * (EAGAIN) the pending write waits for writability beside the event loop, and the
 * writer's `ready` stays pending meanwhile (backpressure). Each chunk is written
 * whole before the next starts.
 *
 * @param fileobj An fd or an object with `fileno()`.
 * @param options `closeFd` (also on the stream's `close()`), `signal`.
 * @returns A `WritableStream` of bytes (any `ArrayBufferView` is accepted).
 * @throws {OSError} The fd is not open.
 *
 * @example Pipe text through a pipe
 * ```ts
 * import assert from "node:assert/strict";
 * import { readable, writable } from "@iomux/iomux/watch";
 * import { pipe } from "@iomux/iomux/os";
 *
 * const [r, w] = pipe();
 * const sent = new Blob(["to the other end"]).stream().pipeTo(writable(w, { closeFd: true }));
 * const text = await new Response(readable(r, { closeFd: true })).text();
 * await sent;
 * assert.equal(text, "to the other end");
 * ```
 */
export function writable(
  fileobj: FileLike,
  options?: FdStreamOptions,
): WritableStream<Uint8Array> {
  const fd = fileobjToFd(fileobj);
  makeNonBlocking(fd);
  const release = closer(fd, options);
  let sink: WritableStreamDefaultController | undefined;
  const { signal, stop, follow } = stopSwitch(options?.signal, (reason) => {
    release();
    sink?.error(reason);
  });
  return new WritableStream<Uint8Array>({
    start(controller) {
      sink = controller;
      // abort() fires it at once, while a write waiting for room is still in flight
      // (the sink's own abort() runs only after that write settles).
      follow((controller as { signal?: AbortSignal }).signal);
      if (signal.aborted) {
        release();
        controller.error(signal.reason);
      }
    },
    async write(chunk) {
      const bytes = bytesView(chunk);
      const length = bytes.byteLength;
      const c = libc();
      let offset = 0;
      while (offset < length) {
        signal.throwIfAborted();
        const rest = offset === 0 ? bytes : bytes.subarray(offset);
        const wrote = IO.write(fd, rest, length - offset);
        if (wrote >= 0) {
          offset += wrote;
          continue;
        }
        const errno = c.errno();
        if (errno === EINTR) continue;
        if (errno !== EAGAIN) {
          release();
          throw osError(errno);
        }
        await readiness(fd, EVENT_WRITE, signal);
        // The chunk's buffer may have been transferred or shrunk meanwhile.
        if (bytes.byteLength !== length) {
          throw new TypeError("the chunk's buffer was detached or resized during the write");
        }
      }
    },
    close() {
      release();
    },
    abort(reason) {
      stop(reason);
      release();
    },
  });
}
