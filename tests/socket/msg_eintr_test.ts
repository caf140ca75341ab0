/**
 * PEP 475 for `recvmsg`, as for the other socket calls (tests/selectors/eintr_test.ts):
 * a blocking `recvmsg` is not ended by real signals, and under `settimeout` it keeps
 * its deadline (CPython's `sock_call` retries `recvmsg` on EINTR with the time left).
 * The signals are aimed at the JS thread and every test asserts its premise
 * (tests/_kit/eintr.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { socketpair, TimeoutError } from "../../socket/mod.ts";
import { leakFree } from "../_kit/fds.ts";
import {
  assertKeptDeadline,
  canSignal,
  interrupted,
  signaller,
  useSignalTarget,
} from "../_kit/eintr.ts";

describe("EINTR in recvmsg (PEP 475)", {
  skip: process.platform === "linux" ? false : "finds the JS thread through /proc",
}, () => {
  const target = useSignalTarget(43);

  it("a blocking recvmsg is not ended by signals: it waits for the data", async (t) => {
    // recvmsg(2) is restartable (SA_RESTART): the premise is that the thread was blocked in it.
    const premise = { waits: ["recvmsg"], counted: ["recvmsg"], blockedSuffices: true } as const;
    if (!canSignal(target, t, premise)) return;
    await leakFree(async () => {
      const [a, b] = socketpair();
      try {
        const child = signaller(target.tid, {
          count: 2,
          then: "sleep 0.3; echo x",
          stdoutFd: b.fileno(),
        });
        const outcome = await interrupted(target, () => a.recvmsg(10, 64), premise, child);
        assert.ok(Array.isArray(outcome.result), String(outcome.result));
        const [data, ancdata, flags] = outcome.result as [Uint8Array, unknown[], number];
        assert.deepEqual([new TextDecoder().decode(data), ancdata, flags], ["x\n", [], 0]);
        assert.ok(outcome.elapsed >= 600, `recvmsg returned after ${outcome.elapsed} ms`);
      } finally {
        a.close();
        b.close();
      }
    })();
  });

  it(
    "recvmsg with settimeout(1.0) times out after 1 s, signals or not",
    leakFree(async () => {
      const [a, b] = socketpair();
      try {
        a.settimeout(1.0);
        const premise = { waits: ["poll"], counted: ["poll"] } as const;
        const outcome = await interrupted(target, () => a.recvmsg(1), premise);
        assertKeptDeadline(outcome, 1000);
        assert.ok(outcome.result instanceof TimeoutError, String(outcome.result));
      } finally {
        a.close();
        b.close();
      }
    }),
  );
});
