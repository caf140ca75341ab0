/**
 * PEP 475 beyond the select module (whose calls tests/select/eintr_test.ts covers): every
 * selector's `select(timeout)`, `Kqueue.control` where kqueue exists, and the blocking
 * socket calls (`recv`, `accept`, `recv` under `settimeout`) keep their deadline when
 * real signals arrive while they block: no shorter, and not restarted with the whole
 * timeout (which three signals would stretch past the upper bound).
 *
 * The signals (SIGWINCH) are aimed at the thread that runs JS, found as in
 * tests/select/eintr_test.ts (a child reads /proc/<pid>/task/<tid>/syscall while that
 * thread blocks in a poll with a marker nfds); a premise test proves that they do
 * interrupt a raw poll(2) there, and every test asserts its own premise: the wait
 * came back with EINTR, or (a restartable recv) the thread was blocked in it when
 * signalled (tests/_kit/eintr.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { libc, toNfds } from "../../ffi/libc.ts";
import { close, pipe } from "../../os/mod.ts";
import { kevent, KQ_EV_ADD, KQ_FILTER_READ, kqueue } from "../../select/mod.ts";
import { EVENT_READ } from "../../selectors/mod.ts";
import { createServer, socketpair, TimeoutError } from "../../socket/mod.ts";
import { leakFree } from "../_kit/fds.ts";
import { kqueueUnavailable } from "../_kit/kqueue.ts";
import { SELECTORS } from "../_kit/selectors.ts";
import {
  assertKeptDeadline,
  canSignal,
  interrupted,
  signaller,
  useSignalTarget,
} from "../_kit/eintr.ts";
import { selectorPremise } from "../_kit/eintr_evidence.ts";
import { EINTR } from "../_kit/js_thread.ts";

/** A blocking socket call under `settimeout` waits in poll(2) first. */
const SOCKET_TIMEOUT = { waits: ["poll"], counted: ["poll"] } as const;

describe("EINTR in selectors, kqueue and sockets: the deadline holds (PEP 475)", {
  skip: process.platform === "linux" ? false : "finds the JS thread through /proc",
}, () => {
  const target = useSignalTarget(41);

  it("premise: the signals interrupt a raw poll(2) on the JS thread with EINTR", async () => {
    assert.ok(target.found, "the JS thread was not found in /proc");
    const c = libc();
    const child = signaller(target.tid);
    const n = c.poll(null, toNfds(0), 2000);
    const errno = c.errno();
    assert.equal(await child.exited, 0);
    assert.equal(n, -1, "no EINTR: the signals missed the JS thread");
    assert.equal(errno, EINTR);
  });

  for (const [name, make] of SELECTORS) {
    const premise = selectorPremise(name);
    // libkqueue (kqueue on Linux) keeps fds of its own once used: no fd accounting there.
    const accounted = name === "KqueueSelector" ? (f: () => Promise<void>) => f : leakFree;
    it(
      `${name}.select(1.0) on an idle pipe lasts 1 s and returns []`,
      accounted(async () => {
        const [r, w] = pipe();
        const sel = make();
        try {
          sel.register(r, EVENT_READ);
          const busy = await interrupted(target, () => sel.select(1.0), premise);
          assertKeptDeadline(busy, 1000);
          assert.deepEqual(busy.result, []);
          // An empty selector sleeps its timeout too (KqueueSelector asks for 1 event).
          sel.unregister(r);
          const empty = await interrupted(target, () => sel.select(1.0), premise);
          assertKeptDeadline(empty, 1000);
          assert.deepEqual(empty.result, []);
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
      const outcome = await interrupted(
        target,
        () => kq.control(null, 1, 1.0),
        selectorPremise("KqueueSelector"),
      );
      assertKeptDeadline(outcome, 1000);
      assert.deepEqual(outcome.result, []);
    } finally {
      kq.close();
      close(r);
      close(w);
    }
  });

  it("a blocking Socket.recv is not ended by signals: it waits for the data", async (t) => {
    // recv(2) is restartable (SA_RESTART): the premise is that the thread was blocked in it
    // (in read(2) under node:ffi, whose 3-argument calls are its fast ones: ffi/libc.ts).
    const premise = {
      waits: ["recv", "read"],
      counted: ["recv", "read"],
      blockedSuffices: true,
    } as const;
    if (!canSignal(target, t, premise)) return;
    await leakFree(async () => {
      const [a, b] = socketpair();
      try {
        // The child writes into the socket only after two signals.
        const child = signaller(target.tid, {
          count: 2,
          then: "sleep 0.3; echo x",
          stdoutFd: b.fileno(),
        });
        const outcome = await interrupted(target, () => a.recv(10), premise, child);
        assert.ok(outcome.result instanceof Uint8Array, String(outcome.result));
        assert.equal(new TextDecoder().decode(outcome.result), "x\n");
        assert.ok(outcome.elapsed >= 600, `recv returned after ${outcome.elapsed} ms`);
      } finally {
        a.close();
        b.close();
      }
    })();
  });

  it(
    "Socket.accept with settimeout(1.0) times out after 1 s, signals or not",
    leakFree(async () => {
      const server = createServer(["127.0.0.1", 0]);
      try {
        server.settimeout(1.0);
        const outcome = await interrupted(target, () => server.accept(), SOCKET_TIMEOUT);
        assertKeptDeadline(outcome, 1000);
        assert.ok(outcome.result instanceof TimeoutError, String(outcome.result));
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
        const outcome = await interrupted(target, () => a.recv(1), SOCKET_TIMEOUT);
        assertKeptDeadline(outcome, 1000);
        assert.ok(outcome.result instanceof TimeoutError, String(outcome.result));
      } finally {
        a.close();
        b.close();
      }
    }),
  );
});
