/**
 * PEP 475 beyond the select module (whose calls tests/select/eintr_test.ts covers): every
 * selector's `select(timeout)`, `Kqueue.control` where kqueue exists, and the blocking
 * socket calls (`recv`, `accept`, `recv` under `settimeout`) keep their deadline when
 * real signals arrive while they block: no shorter, and not restarted with the whole
 * timeout (which three signals would stretch past the upper bound).
 *
 * The signals are aimed at the thread that runs JS, found as in tests/select/eintr_test.ts
 * (a child reads /proc/<pid>/task/<tid>/syscall while that thread blocks in a poll
 * with a marker timeout); a premise test proves that they do interrupt a raw poll(2)
 * there. SIGWINCH: harmless by default, and unlike SIGUSR1/SIGUSR2 no runtime acts on it
 * (SIGUSR1 starts the inspector; Node 26's test runner writes a report on SIGUSR2).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { libc, toNfds } from "../../ffi/libc.ts";
import { close, pipe } from "../../os/mod.ts";
import { kevent, KQ_EV_ADD, KQ_FILTER_READ, kqueue } from "../../select/mod.ts";
import {
  type BaseSelector,
  DefaultSelector,
  EpollSelector,
  EVENT_READ,
  KqueueSelector,
  PollSelector,
  SelectSelector,
} from "../../selectors/mod.ts";
import { createServer, socketpair, TimeoutError } from "../../socket/mod.ts";
import { type Child, leakFree, sleep, spawnShell } from "../_kit/select.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";
import { findJsThread } from "../_kit/js_thread.ts";

const EINTR = 4;
const MARKER_MS = 1237;
const linux = process.platform === "linux";
let target = process.pid;
let delivered = 0;
const onSignal = () => {
  delivered++;
};

/** A child that sends SIGWINCH to the JS thread at 0.2, 0.4 and 0.6 s. */
function signaller(): Child {
  return spawnShell(
    `sleep 0.2; kill -WINCH ${target}; sleep 0.2; kill -WINCH ${target}; ` +
      `sleep 0.2; kill -WINCH ${target}`,
  );
}

/** Runs a blocking call of `timeoutMs` under three signals; checks the deadline held. */
async function underSignals(call: () => unknown, timeoutMs: number): Promise<unknown> {
  const before = delivered;
  const child = signaller();
  const start = performance.now();
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    result = error;
  }
  const elapsed = performance.now() - start;
  assert.equal(await child.exited, 0);
  await sleep(20); // the runtime hands the signals to the listener once the thread is free
  assert.ok(delivered > before, "no signal reached the process");
  assert.ok(elapsed >= timeoutMs - 5, `returned early, after ${elapsed} ms: ${String(result)}`);
  assert.ok(elapsed < timeoutMs + 500, `deadline extended: ${elapsed} ms`);
  return result;
}

function selectors(): [string, () => BaseSelector][] {
  const list: [string, () => BaseSelector][] = [
    ["SelectSelector", () => new SelectSelector()],
    ["PollSelector", () => new PollSelector()],
    ["DefaultSelector", () => new DefaultSelector()],
  ];
  if (linux) list.push(["EpollSelector", () => new EpollSelector()]);
  if (!kqueueUnavailable) list.push(["KqueueSelector", () => new KqueueSelector()]);
  return list;
}

describe("EINTR in selectors, kqueue and sockets: the deadline holds (PEP 475)", {
  skip: linux ? false : "finds the JS thread through /proc",
}, () => {
  before(async () => {
    process.on("SIGWINCH", onSignal);
    target = (await findJsThread(MARKER_MS)) ?? process.pid;
  });
  after(() => {
    process.off("SIGWINCH", onSignal);
  });

  it("premise: the signals interrupt a raw poll(2) on the JS thread with EINTR", async () => {
    const c = libc();
    const child = signaller();
    const n = c.poll(null, toNfds(0), 2000);
    const errno = c.errno();
    assert.equal(await child.exited, 0);
    assert.equal(n, -1, "no EINTR: the signals missed the JS thread");
    assert.equal(errno, EINTR);
  });

  for (const [name, make] of selectors()) {
    // libkqueue (kqueue on Linux) keeps fds of its own once used: no fd accounting there.
    const accounted = name === "KqueueSelector" ? (f: () => Promise<void>) => f : leakFree;
    it(
      `${name}.select(1.0) on an idle pipe lasts 1 s and returns []`,
      accounted(async () => {
        const [r, w] = pipe();
        const sel = make();
        try {
          sel.register(r, EVENT_READ);
          assert.deepEqual(await underSignals(() => sel.select(1.0), 1000), []);
          // An empty selector sleeps its timeout too (KqueueSelector asks for 1 event).
          sel.unregister(r);
          assert.deepEqual(await underSignals(() => sel.select(1.0), 1000), []);
        } finally {
          sel.close();
          close(r);
          close(w);
        }
      }),
    );
  }

  it("Kqueue.control(None, 1, 1.0) lasts 1 s", { skip: kqueueUnavailable }, async () => {
    const [r, w] = pipe();
    const kq = kqueue();
    try {
      // The change goes in first: libkqueue reports a signal that lands during a call
      // with changes as an EV_ERROR event (data EINTR) for the change, where a BSD
      // kernel fails the call with EINTR (and iomux retries).
      kq.control([kevent(r, KQ_FILTER_READ, KQ_EV_ADD)], 0, 0);
      const result = await underSignals(() => kq.control(null, 1, 1.0), 1000);
      assert.deepEqual(result, []);
    } finally {
      kq.close();
      close(r);
      close(w);
    }
  });

  it(
    "a blocking Socket.recv is not ended by signals: it waits for the data",
    leakFree(async () => {
      const [a, b] = socketpair();
      try {
        // The child writes into the socket only after two signals.
        const child = spawnShell(
          `sleep 0.2; kill -WINCH ${target}; sleep 0.2; kill -WINCH ${target}; sleep 0.3; echo x`,
          b.fileno(),
        );
        const start = performance.now();
        const data = a.recv(10);
        const elapsed = performance.now() - start;
        assert.equal(new TextDecoder().decode(data), "x\n");
        assert.ok(elapsed >= 600, `recv returned after ${elapsed} ms`);
        assert.equal(await child.exited, 0);
      } finally {
        a.close();
        b.close();
      }
    }),
  );

  it(
    "Socket.accept with settimeout(1.0) times out after 1 s, signals or not",
    leakFree(async () => {
      const server = createServer(["127.0.0.1", 0]);
      try {
        server.settimeout(1.0);
        const error = await underSignals(() => server.accept(), 1000);
        assert.ok(error instanceof TimeoutError, String(error));
      } finally {
        server.close();
      }
    }),
  );

  it(
    "Socket.recv with settimeout(1.0) times out after 1 s, signals or not",
    leakFree(async () => {
      const [a, b] = socketpair();
      try {
        a.settimeout(1.0);
        const error = await underSignals(() => a.recv(1), 1000);
        assert.ok(error instanceof TimeoutError, String(error));
      } finally {
        a.close();
        b.close();
      }
    }),
  );
});
