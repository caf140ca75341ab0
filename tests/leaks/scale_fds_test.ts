// Scale: 10,000+ registered fds in poll, epoll and their selectors report exactly the
// ready ones; epoll's maxevents truncates and level-triggered calls then cycle through
// every ready fd; select() refuses real open fds at and beyond FD_SETSIZE, and more than
// FD_SETSIZE entries, before anything is written into an fd_set.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { close, pipe, read, write } from "../../os/mod.ts";
import {
  epoll,
  EPOLLIN,
  EPOLLOUT,
  poll,
  POLLIN,
  POLLOUT,
  select,
  ValueError,
} from "../../select/mod.ts";
import {
  type BaseSelector,
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import { fdLimits, raiseFdLimit } from "../_kit/selectors.ts";
import { openFds } from "../_kit/fds.ts";

const linux = process.platform === "linux";
/** Pipes opened: 5,100 give 10,200 fds, well above FD_SETSIZE. */
const PIPES = 5_100;
/** Every STRIDE-th pipe gets a byte, so its read end is ready. */
const STRIDE = 7;
const FD_SETSIZE = 1024;
const ONE = new Uint8Array([1]);

let pipes: [number, number][] = [];
let restoreLimit = () => {};
let fdsBefore: number[] = [];
const enoughFds = fdLimits().hard >= 2 * PIPES + 200;

function readEnds(): number[] {
  return pipes.map(([r]) => r);
}

function readyReadEnds(): Set<number> {
  return new Set(pipes.filter((_, i) => i % STRIDE === 0).map(([r]) => r));
}

describe(`scale: ${2 * PIPES} fds`, { skip: enoughFds ? false : "RLIMIT_NOFILE too low" }, () => {
  before(async () => {
    // One real off-thread wait first: under node:ffi the waiting thread's worker
    // opens fds of its own, once, on first use.
    const [idleR, idleW] = pipe();
    const p = poll();
    p.register(idleR, POLLIN);
    await p.pollAsync(1);
    close(idleR);
    close(idleW);
    fdsBefore = openFds(1 << 16);
    restoreLimit = raiseFdLimit();
    for (let i = 0; i < PIPES; i++) pipes.push(pipe());
    for (const [i, [, w]] of pipes.entries()) if (i % STRIDE === 0) write(w, ONE);
    assert.ok(Math.max(...readEnds()) >= 2 * PIPES, "fds are not above 10,000");
  });
  after(() => {
    for (const [r, w] of pipes) {
      close(r);
      close(w);
    }
    pipes = [];
    restoreLimit();
    assert.deepEqual(openFds(1 << 16), fdsBefore, "fds leaked");
  });

  it("poll: 10,200 registered, exactly the ready ones reported, in registration order", () => {
    const p = poll();
    for (const [r, w] of pipes) {
      p.register(r, POLLIN);
      p.register(w, POLLIN); // a write end never becomes readable
    }
    const start = performance.now();
    const result = p.poll(0);
    const elapsed = performance.now() - start;
    const expected = pipes.filter((_, i) => i % STRIDE === 0).map(([r]) => [r, POLLIN]);
    assert.deepEqual(result, expected);
    assert.ok(elapsed < 2000, `poll over 10,200 fds took ${elapsed} ms`);
    // Every write end registered for POLLOUT too: all of them come back.
    for (const [, w] of pipes) p.modify(w, POLLOUT);
    assert.equal(p.poll(0).length, expected.length + PIPES);
  });

  it("epoll: 10,200 registered, exactly the ready ones reported", { skip: !linux }, () => {
    using ep = epoll();
    for (const [r, w] of pipes) {
      ep.register(r, EPOLLIN);
      ep.register(w, EPOLLIN);
    }
    const ready = readyReadEnds();
    const result = ep.poll(0, 2 * PIPES);
    assert.equal(result.length, ready.size);
    for (const [fd, events] of result) {
      assert.ok(ready.has(fd), `fd ${fd} reported but not ready`);
      assert.equal(events, EPOLLIN);
    }
    assert.equal(new Set(result.map(([fd]) => fd)).size, ready.size, "duplicates");
  });

  it("epoll: maxevents truncates, and level-triggered calls cycle through all ready fds", {
    skip: !linux,
  }, () => {
    using ep = epoll();
    for (const [, w] of pipes) ep.register(w, EPOLLOUT); // all 5,100 ready
    // The default, -1, means FD_SETSIZE - 1 events.
    assert.equal(ep.poll(0).length, FD_SETSIZE - 1);
    for (const max of [1, 7, 1000, 1023, 1024, PIPES - 1, PIPES, PIPES + 5, 1 << 20, 2 ** 31 - 1]) {
      const result = ep.poll(0, max);
      assert.equal(result.length, Math.min(max, PIPES), `maxevents ${max}`);
      assert.equal(new Set(result.map(([fd]) => fd)).size, result.length, "duplicates");
    }
    // The kernel rotates its ready list: ceil(N / k) calls of k events see every fd once.
    for (const k of [1000, 1023, 3000]) {
      const seen = new Map<number, number>();
      for (let call = 0; call < Math.ceil(PIPES / k); call++) {
        for (const [fd, events] of ep.poll(0, k)) {
          assert.equal(events, EPOLLOUT);
          seen.set(fd, (seen.get(fd) ?? 0) + 1);
        }
      }
      assert.equal(seen.size, PIPES, `k = ${k}: ${seen.size} distinct fds seen`);
    }
  });

  const selectors: [string, () => BaseSelector][] = [["PollSelector", () => new PollSelector()]];
  if (linux) selectors.push(["EpollSelector", () => new EpollSelector()]);
  for (const [name, make] of selectors) {
    it(`${name}: 10,200 registered keys, exactly the ready ones selected`, () => {
      using sel = make() as BaseSelector & Disposable;
      for (const [i, [r, w]] of pipes.entries()) {
        sel.register(r, EVENT_READ, i);
        sel.register(w, EVENT_READ, i);
      }
      assert.equal(sel.getMap().size, 2 * PIPES);
      const ready = readyReadEnds();
      const result = sel.select(0);
      assert.equal(result.length, ready.size);
      for (const [key, events] of result) {
        assert.ok(ready.has(key.fd));
        assert.equal(events, EVENT_READ);
        assert.equal(pipes[key.data as number]![0], key.fd);
      }
      // Half the write ends switched to WRITE: those come back too, and only once each.
      for (const [i, [, w]] of pipes.entries()) if (i % 2 === 0) sel.modify(w, EVENT_WRITE, i);
      const again = sel.select(0);
      assert.equal(again.length, ready.size + Math.ceil(PIPES / 2));
      assert.equal(new Set(again.map(([key]) => key.fd)).size, again.length);
      for (const [r] of pipes) sel.unregister(r);
      assert.equal(sel.getMap().size, PIPES);
    });
  }

  for (const [name, make] of selectors) {
    const idleKeys = 2 * (PIPES - Math.ceil(PIPES / STRIDE));
    it(`${name}.selectAsync: ${idleKeys} idle keys, woken by the one pipe that gets a byte`, async () => {
      const sel = make();
      try {
        const idle = pipes.filter((_, i) => i % STRIDE !== 0);
        assert.equal(2 * idle.length, idleKeys);
        for (const [r, w] of idle) {
          sel.register(r, EVENT_READ);
          sel.register(w, EVENT_READ);
        }
        const pending = sel.selectAsync(10);
        const [r, w] = idle.at(-1)!;
        setTimeout(() => write(w, ONE), 20);
        const ready = await pending;
        assert.deepEqual(ready.map(([key, events]) => [key.fd, events]), [[r, EVENT_READ]]);
        assert.deepEqual(Array.from(read(r, 10)), [1]);
      } finally {
        sel.close();
      }
    });
  }

  it("select() refuses real open fds at and above FD_SETSIZE before touching an fd_set", () => {
    const high = readEnds().filter((fd) => fd >= FD_SETSIZE);
    const low = readEnds().filter((fd) => fd < FD_SETSIZE);
    assert.ok(high.length > 4000 && low.length > 0);
    for (const fd of [high[0]!, FD_SETSIZE, high.at(-1)!]) {
      for (const lists of [[[fd], [], []], [[], [fd], []], [[], [], [fd]], [[low[0]!], [], [fd]]]) {
        assert.throws(
          () => select(lists[0]!, lists[1]!, lists[2]!, 0),
          (e: unknown) =>
            e instanceof ValueError && e.message === "filedescriptor out of range in select()",
        );
      }
    }
    // 1,024 entries (one fd repeated) are accepted; the 1,025th is refused.
    const [r0] = pipes[0]!;
    assert.equal(select(new Array(FD_SETSIZE).fill(r0), [], [], 0)[0].length, FD_SETSIZE);
    assert.throws(
      () => select(new Array(FD_SETSIZE + 1).fill(r0), [], [], 0),
      (e: unknown) =>
        e instanceof ValueError && e.message === "too many file descriptors in select()",
    );
    // The fds are untouched: the ready pipes still hold their byte.
    assert.deepEqual(Array.from(read(r0, 10)), [1]);
    write(pipes[0]![1], ONE);
  });

  it("SelectSelector: registering fds >= FD_SETSIZE works, select() then refuses", () => {
    using sel = new SelectSelector();
    const [r0] = pipes[0]!;
    sel.register(r0, EVENT_READ);
    assert.equal(sel.select(0).length, 1);
    const high = readEnds().find((fd) => fd >= FD_SETSIZE)!;
    sel.register(high, EVENT_READ);
    assert.throws(() => sel.select(0), /filedescriptor out of range in select\(\)/);
    sel.unregister(high);
    assert.equal(sel.select(0).length, 1);
  });
});
