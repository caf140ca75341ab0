// Run by watch_test.ts in a child process. argv[0]:
// "unref"  - an unref'd watcher on a pipe nobody writes: the process must exit on its own.
// "ref"    - a ref'd watcher on the same pipe, written by an unref'd timer: the process
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
import { pipe, write } from "../../os/mod.ts";

const mode = process.argv[process.argv.length - 1];
const [r, w] = pipe();
if (mode === "unref") {
  watch(r, EVENT_READ, () => console.log("fired")).unref();
  watch(w, EVENT_READ, () => console.log("fired")).unref();
} else if (mode === "ref" || mode === "reref") {
  const watcher = watch(r, EVENT_READ, () => {
    console.log("fired");
    watcher.close();
  });
  if (mode === "reref") {
    watcher.unref();
    setImmediate(() => watcher.ref());
  }
  const timer = setTimeout(() => write(w, new Uint8Array([1])), 200);
  if (typeof timer === "number") Deno.unrefTimer(timer);
  else (timer as { unref(): void }).unref();
} else if (mode === "unref-now") {
  const keepAlive = setInterval(() => {}, 1000);
  let fired = false;
  watch(r, EVENT_READ, () => fired = true, { ref: false });
  write(w, new Uint8Array([1]));
  let rounds = 0;
  const round = () => {
    if (!fired && ++rounds < 50) return void setImmediate(round);
    console.log(JSON.stringify({ canUnref: hubState().canUnref, fired, rounds }));
    clearInterval(keepAlive);
  };
  setImmediate(round);
} else if (mode === "throw") {
  watch(r, EVENT_READ, () => {
    throw new Error("callback failed on purpose");
  });
  write(w, new Uint8Array([1]));
}
