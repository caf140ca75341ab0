import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EVENT_READ, readable, watch, writable } from "../../watch/mod.ts";
import { close, getBlocking, pipe, read, write } from "../../os/mod.ts";
import { socketpair } from "../../socket/mod.ts";
import { isOpen, withPipe } from "../_kit/fds.ts";
import { randomBytes, watchLeakFree } from "./_watch_kit.ts";
import { PIPE_WAITS } from "../_kit/platform.ts";

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Resolves once `fd` is readable (the other side has written something). */
function readableNow(fd: number): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(fd, EVENT_READ, () => {
      watcher.close();
      resolve();
    });
  });
}

describe("readable / writable", { skip: PIPE_WAITS }, () => {
  it(
    "move 4 MiB byte-exact through a pipe, the writer held back while it is full",
    watchLeakFree(async () => {
      const [r, w] = pipe();
      const data = randomBytes(4 << 20);
      const writer = writable(w, { closeFd: true }).getWriter();
      let written = false;
      const done = writer.write(data).then(() => written = true);
      // Premise: the pipe (64 KiB) is full and the write is still pending.
      await readableNow(r);
      assert.equal(written, false);
      assert.ok(writer.desiredSize! <= 0, `desiredSize ${writer.desiredSize}`);
      const received = collect(readable(r, { closeFd: true }));
      await done;
      await writer.close();
      const got = await received;
      assert.equal(got.length, data.length);
      assert.deepEqual(got, data);
      assert.equal(isOpen(r) || isOpen(w), false);
    }),
  );

  it(
    "carry both directions of a socket pair at once",
    watchLeakFree(async () => {
      const [a, b] = socketpair();
      try {
        const there = randomBytes(1 << 20);
        const back = randomBytes(777_777);
        const aToB = new Blob([there]).stream().pipeTo(writable(a));
        const bToA = new Blob([back]).stream().pipeTo(writable(b));
        const readerA = readable(a).getReader();
        const readerB = readable(b).getReader();
        const take = async (reader: ReadableStreamDefaultReader<Uint8Array>, size: number) => {
          const out = new Uint8Array(size);
          let filled = 0;
          while (filled < size) {
            const { value, done } = await reader.read();
            assert.equal(done, false);
            out.set(value!, filled);
            filled += value!.length;
          }
          reader.releaseLock();
          return out;
        };
        const [atB, atA] = await Promise.all([
          take(readerB, there.length),
          take(readerA, back.length),
        ]);
        await Promise.all([aToB, bToA]);
        assert.deepEqual(atB, there);
        assert.deepEqual(atA, back);
      } finally {
        a.close();
        b.close();
      }
    }),
  );

  it("reads into the reader's own buffer (BYOB), at most its size", async () => {
    await withPipe(async (r, w) => {
      write(w, new Uint8Array([1, 2, 3, 4, 5, 6]));
      const reader = readable(r).getReader({ mode: "byob" });
      const first = await reader.read(new Uint8Array(4));
      assert.deepEqual(first.value, new Uint8Array([1, 2, 3, 4]));
      const second = await reader.read(new Uint8Array(new ArrayBuffer(16), 8, 8));
      assert.deepEqual(second.value, new Uint8Array([5, 6]));
      assert.equal(second.value!.byteOffset, 8);
      close(w);
      const end = await reader.read(new Uint8Array(4));
      assert.equal(end.done, true);
      assert.equal(isOpen(r), true, "closeFd is false by default");
    });
  });

  it("write only a view's real bytes, whatever its own properties claim", async () => {
    await withPipe(async (r, w) => {
      const view = new Uint8Array([9, 8, 7]);
      Object.defineProperty(view, "byteLength", { value: 1 << 20 });
      Object.defineProperty(view, "length", { value: 1 << 20 });
      const writer = writable(w).getWriter();
      await writer.write(view);
      await writer.write(new DataView(new Uint8Array([6, 5]).buffer) as unknown as Uint8Array);
      assert.deepEqual(read(r, 100), new Uint8Array([9, 8, 7, 6, 5]));
      await assert.rejects(writer.write("text" as unknown as Uint8Array), TypeError);
    });
  });

  it(
    "make the fd non-blocking; cancel() and abort() close it only with closeFd",
    watchLeakFree(async () => {
      const [r, w] = pipe();
      await readable(r).cancel();
      await writable(w).abort();
      assert.ok(isOpen(r) && isOpen(w));
      assert.equal(getBlocking(r), false);
      assert.equal(getBlocking(w), false);
      await readable(r, { closeFd: true }).cancel();
      await writable(w, { closeFd: true }).abort();
      assert.ok(!isOpen(r) && !isOpen(w));
    }),
  );

  it(
    "an AbortSignal ends a pending read at once",
    watchLeakFree(async () => {
      const [r, w] = pipe();
      const controller = new AbortController();
      const reader = readable(r, { signal: controller.signal, closeFd: true }).getReader();
      const pending = reader.read();
      setTimeout(() => controller.abort(new Error("stop")), 5);
      await assert.rejects(pending, { message: "stop" });
      assert.equal(isOpen(r), false);
      close(w);
    }),
  );

  it("a read error ends the stream with the OSError", async () => {
    const [r, w] = pipe();
    close(w);
    const stream = readable(r);
    close(r);
    await assert.rejects(collect(stream), { name: "OSError", code: "EBADF" });
  });
});
