// Run by loop_round_test.ts in a child process: one wait with a 300 ms timeout and
// nothing else to keep the process alive, then a wait that an fd ends. The pending
// waits must keep the process alive (on Node's main thread they wait on Node's own
// loop, through a poll handle and a timer), and the process must then exit cleanly,
// its poll handle closed before Node tears the loop down.
import { poll, POLLIN } from "../../select/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { closePair, openPair, writeTo } from "../_kit/pairs.ts";

// A pipe, or a loopback socket pair on Windows, where WSAPoll watches sockets only.
const [r, w] = openPair();
const p = poll();
p.register(r, POLLIN);
const start = performance.now();
const timedOut = await p.pollAsync(300);
const elapsed = performance.now() - start;
setTimeout(() => writeTo(w, new Uint8Array([1])), 20);
const ready = await p.pollAsync();
closePair(r, w);
console.log(
  JSON.stringify({ timedOut, elapsed, ready: ready.length, onLoop: waiterState().onLoop }),
);
