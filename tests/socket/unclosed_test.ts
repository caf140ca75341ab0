/**
 * Objects that own an fd and are collected without `close()` close it, as CPython
 * does on deallocation: a socket warns first (`ResourceWarning: unclosed
 * <socket.socket …>`, `Modules/socketmodule.c` `sock_finalize`), an epoll object
 * and a selector close silently (`Modules/selectmodule.c` `pyepoll_dealloc`), and
 * a selector never closes the fds registered with it. An object closed (or
 * detached) by its owner is never closed again, even once its fd number is reused.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Epoll } from "../../select/mod.ts";
import { Socket } from "../../socket/mod.ts";
import { close, pipe } from "../../os/mod.ts";
import { collectUntil, isOpen } from "../_kit/collect.ts";
import { haveCommand } from "../_kit/child.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";

/** An Epoll dropped while open (it closes silently): its fd, which only its finalizer can close. */
function droppedOpenEpoll(): number {
  return new Epoll().fileno();
}

/**
 * Closes `owner`'s fd explicitly, then makes the kernel hand that number to a
 * new pipe, and drops `owner` beside an open control Epoll. After the control's
 * finalizer ran (so finalizers did run for that collection), the pipe must be open.
 */
async function assertReusedFdSurvives(makeAndClose: () => number): Promise<void> {
  const freed = makeAndClose();
  const [r, w] = pipe();
  try {
    assert.equal(r, freed, "premise: the kernel reused the closed fd number");
    const control = droppedOpenEpoll();
    const ran = await collectUntil(() => !isOpen(control));
    assert.ok(ran, "premise: garbage collection ran the control Epoll's finalizer");
    assert.ok(isOpen(r), "a finalizer closed an fd its owner had already closed");
  } finally {
    close(r);
    close(w);
  }
}

const extension = import.meta.url.slice(import.meta.url.lastIndexOf("."));
const fixture = fileURLToPath(new URL(`./_unclosed_fixture${extension}`, import.meta.url));

/** Runs the fixture in a child of this runtime, under `ulimit -n` when given. */
function runFixture(
  args: string[],
  fdLimit?: number,
): Promise<{ stdout: string; stderr: string }> {
  const isDeno = "Deno" in globalThis;
  const runtime = isDeno
    ? ["run", "--allow-ffi", "--allow-env", "--v8-flags=--expose-gc", fixture]
    : "Bun" in globalThis
    ? [fixture]
    : ["--expose-gc", fixture];
  const command = fdLimit === undefined ? [process.execPath, ...runtime, ...args] : [
    "sh",
    "-c",
    `ulimit -n ${fdLimit} && exec "$@"`,
    "sh",
    process.execPath,
    ...runtime,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(command[0]!, command.slice(1), { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe("objects collected while open close their fds", { skip: POSIX_HARNESS }, () => {
  it("a socket warns once with its repr; an Epoll and a selector close silently", async () => {
    const { stdout, stderr } = await runFixture([]);
    const report = JSON.parse(stdout) as {
      closed: boolean;
      sockets: { repr: string; open: boolean }[];
      epollOpen: boolean;
      selectorOpen: boolean;
      registeredOpen: boolean;
    };
    assert.equal(report.closed, true, `fds still open after collection: ${stdout}`);
    assert.equal(report.epollOpen, false);
    assert.equal(report.selectorOpen, false);
    assert.equal(report.registeredOpen, true, "the selector closed an fd registered with it");
    const collected = report.sockets.filter((socket) => !socket.open);
    // JavaScriptCore may keep one object alive (see the fixture); V8 collects all.
    assert.ok(collected.length >= ("Bun" in globalThis ? 2 : 3), stdout);
    const warnings = stderr.split("\n").filter((line) => line.includes("ResourceWarning"));
    for (const { repr, open } of report.sockets) {
      assert.match(
        repr,
        /^<socket\.socket fd=\d+, family=2, type=1, proto=0, laddr=\('127\.0\.0\.1', \d+\)>$/,
      );
      // A socket still open at the report may be collected before the child exits.
      const count = warnings.filter((line) => line.endsWith(`ResourceWarning: unclosed ${repr}`));
      assert.ok(open ? count.length <= 1 : count.length === 1, `warnings for ${repr}:\n${stderr}`);
    }
    assert.ok(warnings.length <= report.sockets.length, `stray warnings:\n${stderr}`);
  });

  it(
    "1,000 sockets dropped in a loop under ulimit -n 128 do not run out of fds",
    { skip: haveCommand("sh", "-c", "ulimit -n 128") ? false : "no sh with ulimit here" },
    async () => {
      const { stdout } = await runFixture(["loop"], 128);
      assert.deepEqual(JSON.parse(stdout), { made: 1000 });
    },
  );

  it("a socket closed explicitly is not closed again when its fd number is reused", async () => {
    await assertReusedFdSurvives(() => {
      const s = new Socket();
      const fd = s.fileno();
      s.close();
      return fd;
    });
  });

  it("an Epoll closed explicitly is not closed again when its fd number is reused", async () => {
    await assertReusedFdSurvives(() => {
      const ep = new Epoll();
      const fd = ep.fileno();
      ep.close();
      return fd;
    });
  });

  it("a detached socket's fd stays open when the socket is collected", async () => {
    const detached = (() => new Socket().detach())();
    try {
      const control = droppedOpenEpoll();
      assert.ok(await collectUntil(() => !isOpen(control)), "premise: finalizers ran");
      assert.ok(isOpen(detached), "the finalizer closed an fd that detach() gave away");
    } finally {
      close(detached);
    }
  });
});
