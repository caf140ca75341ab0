/**
 * Every fast path of the readiness calls is taken where it should be, and hands over
 * to the full path (CPython's checks and errors) where it must: counted through
 * `fastPaths` (select/_internal.ts), never timed. Each case checks the answer too, so
 * that a fast path that answers wrongly fails here as well as in the suites.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OSError } from "../../errors.ts";
import { RuntimeError, ValueError } from "../../_plain_errors.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { Epoll, EPOLLIN, EPOLLOUT, poll, POLLIN, POLLOUT, select } from "../../select/mod.ts";
import { fastPaths } from "../../select/_internal.ts";
import {
  EpollSelector,
  EVENT_READ,
  EVENT_WRITE,
  KqueueSelector,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import { counted as countedIn } from "../_kit/counters.ts";
import { withPipe } from "../_kit/fds.ts";
import { POSIX_FDS } from "../_kit/platform.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";

/** What \`body\` added to each counter. */
const counted = (body: () => void) => countedIn(fastPaths, body);

const one = new Uint8Array([1]);

/** Pairs in fd order: epoll reports in the kernel's order, not registration order. */
function byFd<P extends [number | { fd: number }, number]>(pairs: P[]): P[] {
  const fd = (p: P) => typeof p[0] === "number" ? p[0] : p[0].fd;
  return pairs.sort((a, b) => fd(a) - fd(b));
}

describe("fast paths: taken for timeout 0 and none, full path for everything else", {
  // Windows takes the full path always (its fd_set is a list of handles).
  skip: POSIX_FDS,
}, () => {
  it("Epoll.poll: 0, null and undefined are fast; a timeout, maxevents or a closed object are not", () =>
    withPipe((r, w) => {
      const ep = new Epoll();
      ep.register(r, EPOLLIN);
      ep.register(w, EPOLLOUT);
      write(w, one);
      assert.deepEqual(
        counted(() => {
          assert.deepEqual(byFd(ep.poll(0)), [[r, EPOLLIN], [w, EPOLLOUT]]);
          assert.deepEqual(byFd(ep.poll(null)), [[r, EPOLLIN], [w, EPOLLOUT]]);
          assert.deepEqual(byFd(ep.poll()), [[r, EPOLLIN], [w, EPOLLOUT]]);
          assert.deepEqual(byFd(ep.poll(0, -1)), [[r, EPOLLIN], [w, EPOLLOUT]]);
        }),
        { epollPoll: 4 },
      );
      assert.deepEqual(
        counted(() => {
          assert.deepEqual(byFd(ep.poll(0.001)), [[r, EPOLLIN], [w, EPOLLOUT]]);
          assert.equal(ep.poll(0, 1).length, 1);
        }),
        {},
      );
      ep.close();
      assert.deepEqual(
        counted(() =>
          assert.throws(
            () => ep.poll(0),
            new ValueError("I/O operation on closed epoll object"),
          )
        ),
        { epollPollFallback: 1 },
      );
    }));

  it("Poll.poll: 0 and null are fast, and a pending pollAsync makes the full path raise", async () => {
    await withPipe(async (r, w) => {
      const p = poll();
      p.register(r, POLLIN);
      assert.deepEqual(counted(() => assert.deepEqual(p.poll(0), [])), { pollPoll: 1 });
      p.register(w, POLLOUT);
      assert.deepEqual(counted(() => assert.deepEqual(p.poll(null), [[w, POLLOUT]])), {
        pollPoll: 1,
      });
      p.unregister(w);
      const pending = p.pollAsync(5000);
      assert.deepEqual(
        counted(() =>
          assert.throws(() => p.poll(0), new RuntimeError("concurrent poll() invocation"))
        ),
        { pollPollFallback: 1 },
      );
      write(w, one);
      assert.deepEqual(await pending, [[r, POLLIN]]);
      assert.deepEqual(counted(() => assert.deepEqual(p.poll(10), [[r, POLLIN]])), {});
    });
  });

  it("select(): arrays of plain fds are fast; objects, closed fds and timeouts are not", () =>
    withPipe((r, w) => {
      write(w, one);
      assert.deepEqual(
        counted(() => {
          assert.deepEqual(select([r, w, r], [w], [], 0), [[r, r], [w], []]);
          assert.deepEqual(select([r], [], [], null), [[r], [], []]);
          assert.deepEqual(select([], [], [], 0), [[], [], []]);
        }),
        { select: 3 },
      );
      const file = { fileno: () => r };
      assert.deepEqual(
        counted(() => assert.deepEqual(select([file], [], [], 0), [[file], [], []])),
        { selectFallback: 1 },
      );
      // Not an array: the fast path is not even tried.
      assert.deepEqual(
        counted(() => assert.deepEqual(select(new Set([r]), [], [], 0), [[r], [], []])),
        {},
      );
      assert.deepEqual(
        counted(() => assert.deepEqual(select([r], [], [], 0.5), [[r], [], []])),
        {},
      );
      const [r2, w2] = pipe();
      close(r2);
      close(w2);
      assert.deepEqual(
        counted(() =>
          assert.throws(() => select([r2], [], [], 0), (e) => e instanceof OSError && e.errno === 9)
        ),
        { selectFallback: 1 },
      );
      assert.deepEqual(
        counted(() =>
          assert.throws(
            () => select([1024], [], [], 0),
            new ValueError("filedescriptor out of range in select()"),
          )
        ),
        { selectFallback: 1 },
      );
    }));

  for (const make of [() => new EpollSelector(), () => new PollSelector()]) {
    const name = make().constructor.name;
    it(`${name}.select: timeouts <= 0 and none are fast; a positive timeout is not`, () =>
      withPipe((r, w) => {
        const sel = make();
        const rKey = sel.register(r, EVENT_READ);
        const wKey = sel.register(w, EVENT_READ | EVENT_WRITE);
        write(w, one);
        assert.deepEqual(
          counted(() => {
            for (const timeout of [0, -1, -0, null, undefined]) {
              assert.deepEqual(byFd(sel.select(timeout)), [[rKey, EVENT_READ], [
                wKey,
                EVENT_WRITE,
              ]]);
            }
          }),
          { selector: 5 },
        );
        assert.deepEqual(
          counted(() =>
            assert.deepEqual(byFd(sel.select(0.01)), [[rKey, EVENT_READ], [wKey, EVENT_WRITE]])
          ),
          {},
        );
        sel.close();
      }));
  }

  it("KqueueSelector.select: one entry per filter, fast for 0 and none; closed falls back", {
    skip: kqueueUnavailable,
  }, () =>
    withPipe((r, w) => {
      const sel = new KqueueSelector();
      const rKey = sel.register(r, EVENT_READ);
      const wKey = sel.register(w, EVENT_READ | EVENT_WRITE);
      write(w, one);
      assert.deepEqual(
        counted(() => {
          for (const timeout of [0, -1, null]) {
            assert.deepEqual(byFd(sel.select(timeout)), [[rKey, EVENT_READ], [wKey, EVENT_WRITE]]);
          }
        }),
        { selector: 3 },
      );
      assert.deepEqual(
        counted(() =>
          assert.deepEqual(byFd(sel.select(0.01)), [[rKey, EVENT_READ], [wKey, EVENT_WRITE]])
        ),
        {},
      );
      sel.close();
      assert.deepEqual(
        counted(() =>
          assert.throws(
            () => sel.select(0),
            new ValueError("I/O operation on closed kqueue object"),
          )
        ),
        { selectorFallback: 1 },
      );
    }));

  it("EpollSelector.select after close: the fast wait declines, the full path raises", () => {
    const sel = new EpollSelector();
    sel.close();
    assert.deepEqual(
      counted(() =>
        assert.throws(() => sel.select(0), new ValueError("I/O operation on closed epoll object"))
      ),
      { selectorFallback: 1 },
    );
  });

  it("SelectSelector.select: fast on plain fds; a closed fd falls back and raises EBADF", () =>
    withPipe((r, w) => {
      const sel = new SelectSelector();
      const rKey = sel.register(r, EVENT_READ);
      const wKey = sel.register(w, EVENT_READ | EVENT_WRITE);
      write(w, one);
      assert.deepEqual(
        counted(() => {
          assert.deepEqual(sel.select(0), [[rKey, EVENT_READ], [wKey, EVENT_WRITE]]);
          assert.deepEqual(sel.select(null), [[rKey, EVENT_READ], [wKey, EVENT_WRITE]]);
        }),
        { selector: 2 },
      );
      const [r2, w2] = pipe();
      sel.register(r2, EVENT_READ);
      close(r2);
      close(w2);
      assert.deepEqual(
        counted(() =>
          assert.throws(() => sel.select(0), (e) => e instanceof OSError && e.errno === 9)
        ),
        { selectorFallback: 1 },
      );
      sel.close();
    }));
});
