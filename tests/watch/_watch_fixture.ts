// Run by watch_test.ts in a child process. argv[0]:
// "unref"  - an unref'd watcher on a pair nobody writes: the process must exit on its own.
// "ref"    - a ref'd watcher on the same pair, written by an unref'd timer: the process
//            stays alive until the callback has run (it prints "fired").
// "throw"  - a callback that throws: the runtime reports it as an uncaught error.
import process from "node:process";
import { EVENT_READ, watch } from "../../watch/mod.ts";
import { hubState } from "../../watch/_hub.ts";
import { openPair, writeTo } from "../_kit/pairs.ts";

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
} else if (mode === "ref") {
  const watcher = watch(r, EVENT_READ, () => {
    console.log("fired");
    watcher.close();
  });
  const timer = setTimeout(() => writeTo(w, new Uint8Array([1])), 200);
  if (typeof timer === "number") Deno.unrefTimer(timer);
  else (timer as { unref(): void }).unref();
} else if (mode === "throw") {
  watch(r, EVENT_READ, () => {
    throw new Error("callback failed on purpose");
  });
  writeTo(w, new Uint8Array([1]));
}
