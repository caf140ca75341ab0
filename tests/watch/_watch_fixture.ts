// Run by watch_test.ts in a child process. argv[0]:
// "unref"  - an unref'd watcher on a pair nobody writes: the process must exit on its own.
// "ref"    - a ref'd watcher on the same pair, written by an unref'd timer: the process
//            stays alive until the callback has run (it prints "fired").
// "reref"  - as "ref", with the watcher unref'd, and ref'd again a loop iteration later.
// "throw"  - a callback that throws: the runtime reports it as an uncaught error.
// "unref-now" - an unref'd watcher on a pipe written at once, while an interval keeps
//            the process alive: prints how many setImmediate rounds the callback took
//            (a loop-woken source delivers in the first; the unref'd timer in none of
//            the first 50), then lets the process exit with the watcher still open.
import process from "node:process";
import { EVENT_READ, watch } from "../../watch/mod.ts";
import { hubState } from "../../watch/_hub.ts";
import { loopSources } from "../../watch/_source_loop.ts";
import { openPair, readFrom, writeTo } from "../_kit/pairs.ts";

const mode = process.argv[process.argv.length - 1];
const [r, w] = openPair();
if (mode === "unref") {
  watch(r, EVENT_READ, () => console.log("fired")).unref();
  watch(w, EVENT_READ, () => console.log("fired")).unref();
  // A source that can unref its wait keeps it pending (delivery is immediate) and
  // still lets the process exit.
  const { canUnref, waiting } = hubState();
  if (canUnref && !waiting) {
    throw new Error("the source can unref its wait, yet the hub is not waiting");
  }
} else if (mode === "ref" || mode === "reref") {
  const watcher = watch(r, EVENT_READ, () => {
    console.log("fired");
    watcher.close();
  });
  if (mode === "reref") {
    watcher.unref();
    setImmediate(() => watcher.ref());
  }
  const timer = setTimeout(() => writeTo(w, new Uint8Array([1])), 200);
  if (typeof timer === "number") Deno.unrefTimer(timer);
  else (timer as { unref(): void }).unref();
} else if (mode === "unref-now") {
  const keepAlive = setInterval(() => {}, 1000);
  let fired = false;
  // The callback reads what came, as a real one does: an fd that stayed readable
  // would have the hub call it again and again.
  watch(r, EVENT_READ, () => {
    fired = true;
    readFrom(r, 16);
  }, { ref: false });
  writeTo(w, new Uint8Array([1]));
  // A loop source answers within a few loop iterations; the worker source's thread
  // wakes on its own schedule, so it is given up to 5 s of 1 ms timers.
  const loop = loopSources() > 0;
  const started = Date.now();
  let rounds = 0;
  const round = () => {
    rounds++;
    if (!fired && (loop ? rounds < 50 : Date.now() - started < 5000)) {
      return void (loop ? setImmediate(round) : setTimeout(round, 1));
    }
    console.log(JSON.stringify({ canUnref: hubState().canUnref, loop, fired, rounds }));
    clearInterval(keepAlive);
  };
  setImmediate(round);
} else if (mode === "spin") {
  // An unref'd watcher whose fd stays ready (nothing reads it) is called again and
  // again, yet does not keep the process alive: it exits once the calls are seen.
  let calls = 0;
  watch(r, EVENT_READ, () => {
    if (++calls === 3) console.log("called again");
  }, { ref: false });
  writeTo(w, new Uint8Array([1]));
  const keepAlive = setInterval(() => {
    if (calls >= 3) clearInterval(keepAlive);
  }, 1);
} else if (mode === "throw") {
  watch(r, EVENT_READ, () => {
    throw new Error("callback failed on purpose");
  });
  writeTo(w, new Uint8Array([1]));
}
