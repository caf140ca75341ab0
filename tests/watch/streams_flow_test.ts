// readable()/writable() under load and at their ends: megabytes both ways through a
// pipe, a socket pair and a pty with a slow reader (the writer held back on EAGAIN),
// a pty master's stream ending at EIO once its child has exited, and cancel()/abort()
// ending a pending wait, closing the fd or leaving it as closeFd says.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readable, writable } from "../../watch/mod.ts";
import {
  close,
  openpty,
  pipe,
  POSIX_SPAWN_DUP2,
  posixSpawn,
  spawnPty,
  waitpid,
  waitstatusToExitcode,
} from "../../os/mod.ts";
import { select } from "../../select/mod.ts";
import { socketpair } from "../../socket/mod.ts";
import { setraw } from "../../termios/mod.ts";
import { closeQuietly, isOpen } from "../_kit/fds.ts";
import { loopLeakFree } from "../_kit/loop.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";
import { eventually } from "../_kit/time.ts";
import { hubStopped, randomBytes, watchLeakFree } from "./_watch_kit.ts";

const MiB = 1 << 20;
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The leak checks of these tests: fds, watchers, timers and Workers. */
const clean = (body: () => Promise<void>) => watchLeakFree(loopLeakFree(body));

/** Asserts that `got` is `want`, naming the first differing byte (deepEqual on MiBs is slow to read). */
function assertSameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const at = got.findIndex((byte, i) => byte !== want[i]);
  assert.equal(at, -1, `${what}: first difference at byte ${at}`);
}

/** Reads `size` bytes from `stream` slowly: 16 KiB BYOB reads, a timer turn after each. */
async function slowRead(stream: ReadableStream<Uint8Array>, size: number): Promise<Uint8Array> {
  const reader = stream.getReader({ mode: "byob" });
  const out = new Uint8Array(size);
  let filled = 0;
  let buffer = new ArrayBuffer(16384);
  try {
    while (filled < size) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      assert.equal(done, false, `the stream ended after ${filled} of ${size} bytes`);
      out.set(value!, filled);
      filled += value!.length;
      buffer = value!.buffer as ArrayBuffer;
      await tick();
    }
  } finally {
    await reader.cancel();
  }
  return out;
}

/**
 * Sends `data` from `from` to `to` through writable()/readable() with a slow reader,
 * and checks that the writer was held back first: with nobody reading, a write far
 * larger than any kernel buffer is still pending a few timer turns later, which
 * writable()'s write is only while it waits for room after EAGAIN. Where the kernel
 * reports it (`fullShows`), the fd is not writable meanwhile either; a pty's master
 * and slave can turn writable again as the tty layer moves bytes on, with no wakeup.
 */
async function transfer(
  from: number,
  to: number,
  data: Uint8Array,
  what: string,
  fullShows = true,
): Promise<void> {
  const writer = writable(from).getWriter();
  let settled = false;
  const written = writer.write(data).then(() => settled = true);
  try {
    for (let turn = 0; turn < 5; turn++) await tick();
    assert.equal(settled, false, `${what}: the write did not wait for room`);
    if (fullShows) {
      const full = await eventually(() => select([], [from], [], 0)[1].length === 0);
      assert.ok(full, `${what}: the fd never showed full`);
    }
    assert.ok(writer.desiredSize! <= 0, `${what}: desiredSize ${writer.desiredSize}`);
    const got = await slowRead(readable(to), data.length);
    await written;
    assertSameBytes(got, data, what);
  } catch (error) {
    // Leave no write waiting on an fd the test is about to close.
    await writer.abort(error);
    throw error;
  } finally {
    writer.releaseLock();
  }
}

describe("readable / writable under backpressure", { skip: POSIX_HARNESS }, () => {
  it(
    "a pipe: 4 MiB byte-exact to a slow reader",
    clean(async () => {
      const [r, w] = pipe();
      try {
        await transfer(w, r, randomBytes(4 * MiB), "pipe");
      } finally {
        close(r);
        close(w);
      }
    }),
  );

  it(
    "a socket pair: 3 MiB each way at once",
    clean(async () => {
      const [a, b] = socketpair();
      try {
        await Promise.all([
          transfer(a.fileno(), b.fileno(), randomBytes(3 * MiB), "a to b"),
          transfer(b.fileno(), a.fileno(), randomBytes(3 * MiB), "b to a"),
        ]);
      } finally {
        a.close();
        b.close();
      }
    }),
  );

  it(
    "a raw pty: 2 MiB each way at once, master and slave",
    clean(async () => {
      const [master, slave] = openpty();
      try {
        // Raw: no echo, no line editing, no CR/NL mapping, 8 bits: bytes pass unchanged.
        setraw(slave);
        await Promise.all([
          transfer(master, slave, randomBytes(2 * MiB), "master to slave", false),
          transfer(slave, master, randomBytes(2 * MiB), "slave to master", false),
        ]);
      } finally {
        close(master);
        close(slave);
      }
    }),
  );
});

describe("a pty master's stream at the child's exit", { skip: POSIX_HARNESS }, () => {
  /** A temporary file of `data`, removed after `body`. */
  async function withFile(data: Uint8Array, body: (path: string) => Promise<void>) {
    const dir = mkdtempSync(join(tmpdir(), "iomux-streams-"));
    try {
      const path = join(dir, "data");
      writeFileSync(path, data);
      await body(path);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }

  it(
    "ends without an error at EIO: a child started with spawnPty",
    clean(async () => {
      const data = randomBytes(MiB);
      await withFile(data, async (path) => {
        // stty raw before any output: cat's bytes reach us unchanged.
        const [pid, master] = spawnPty(
          "/bin/sh",
          ["sh", "-c", 'stty raw -echo && exec cat "$0"', path],
          null,
          { setsigdef: [13] },
        );
        const got = new Uint8Array(
          await new Response(readable(master, { closeFd: true })).arrayBuffer(),
        );
        assert.equal(isOpen(master), false, "closeFd closes the master at the end");
        assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
        assertSameBytes(got, data, "spawnPty");
      });
    }),
  );

  it(
    "ends without an error at EIO: a child started with posixSpawn on the slave",
    clean(async () => {
      const data = randomBytes(MiB);
      await withFile(data, async (path) => {
        const [master, slave] = openpty();
        let pid: number;
        try {
          setraw(slave);
          pid = posixSpawn("/bin/cat", ["cat", path], null, {
            fileActions: [0, 1, 2].map((fd) => [POSIX_SPAWN_DUP2, slave, fd] as const),
          });
        } finally {
          // The child holds the slave now; the master reads EIO once it has exited.
          close(slave);
        }
        const reader = readable(master).getReader();
        const got = new Uint8Array(data.length + 1);
        let filled = 0;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          got.set(value.subarray(0, got.length - filled), filled);
          filled += value.length;
        }
        assert.equal(isOpen(master), true, "without closeFd the master stays open");
        close(master);
        assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
        assertSameBytes(got.subarray(0, filled), data, "posixSpawn");
      });
    }),
  );
});

describe("cancel() and abort() with a wait pending", { skip: POSIX_HARNESS }, () => {
  for (const closeFd of [false, true]) {
    it(
      `cancel() ends a pending read${
        closeFd ? " and closes the fd (closeFd)" : "; the fd stays open"
      }`,
      clean(async () => {
        const [r, w] = pipe();
        try {
          const reader = readable(r, { closeFd }).getReader();
          const pending = reader.read();
          // Premise: the read waits for readability (nothing was written).
          assert.ok(await eventually(() => !hubStopped()), "the read is not waiting");
          await reader.cancel(new Error("enough"));
          assert.deepEqual(await pending, { value: undefined, done: true });
          assert.ok(await eventually(hubStopped), "the read's watcher outlived cancel()");
          assert.equal(isOpen(r), !closeFd);
        } finally {
          closeQuietly(r);
          close(w);
        }
      }),
    );

    it(
      `abort() ends a write waiting for room${
        closeFd ? " and closes the fd (closeFd)" : "; the fd stays open"
      }`,
      clean(async () => {
        const [r, w] = pipe();
        try {
          const writer = writable(w, { closeFd }).getWriter();
          const pending = writer.write(new Uint8Array(MiB));
          assert.ok(await eventually(() => select([], [w], [], 0)[1].length === 0), "never full");
          const reason = new Error("stop writing");
          await writer.abort(reason);
          await assert.rejects(pending, reason);
          await assert.rejects(writer.closed, reason);
          assert.ok(await eventually(hubStopped), "the write's watcher outlived abort()");
          assert.equal(isOpen(w), !closeFd);
        } finally {
          close(r);
          closeQuietly(w);
        }
      }),
    );
  }

  it(
    "the signal option errors both ends of a pipeTo mid-flow and closes their fds",
    clean(async () => {
      const [r1, w1] = pipe();
      const [r2, w2] = pipe();
      try {
        const controller = new AbortController();
        const { signal } = controller;
        // r1 -> w2 with nobody reading r2: w2 fills, the pipe stalls on EAGAIN.
        const piped = readable(r1, { signal, closeFd: true })
          .pipeTo(writable(w2, { signal, closeFd: true }));
        const feeder = writable(w1).getWriter();
        const fed = feeder.write(new Uint8Array(MiB)).catch(() => {});
        assert.ok(await eventually(() => select([], [w2], [], 0)[1].length === 0), "never full");
        const reason = new Error("shutdown");
        controller.abort(reason);
        await assert.rejects(piped, reason);
        assert.equal(isOpen(r1) || isOpen(w2), false, "closeFd closed both ends");
        await feeder.abort();
        await fed;
        assert.ok(await eventually(hubStopped), "a watcher outlived the abort");
      } finally {
        for (const fd of [r1, w1, r2, w2]) closeQuietly(fd);
      }
    }),
  );
});
