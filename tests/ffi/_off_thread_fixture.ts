// Run by off_thread_test.ts in a child process, as a user's first program would:
// one selectAsync on a pipe that a timer makes readable, so that the wait goes to
// the waiting thread. Prints the backend, the result and the off-thread calls made,
// as JSON; the parent counts the warnings on this process's stderr.
import { DefaultSelector, EVENT_READ } from "../../selectors/mod.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { libc } from "../../ffi/libc.ts";
import { waiterState } from "../../_wait/waiter.ts";

const [r, w] = pipe();
const sel = new DefaultSelector<string>();
sel.register(r, EVENT_READ, "pipe");
setTimeout(() => write(w, new Uint8Array([1])), 10);
const ready = await sel.selectAsync(60);
sel.close();
close(r);
close(w);
console.log(JSON.stringify({
  backend: libc().backend,
  ready: ready.map(([key, events]) => [key.data, events]),
  calls: waiterState().calls,
}));
