// Run by waiter_test.ts in a child process: two waits with no time limit, ended by
// close() and by an abort. The process must then exit on its own, although the pipe
// stays open: a waiting thread left behind would keep it alive.
import { Epoll, EPOLLIN, poll, POLLIN } from "../../select/mod.ts";
import { pipe } from "../../os/mod.ts";

const [r] = pipe();
const ep = new Epoll();
ep.register(r, EPOLLIN);
const p = poll();
p.register(r, POLLIN);
const controller = new AbortController();
const waits = [
  ep.pollAsync(),
  p.pollAsync(null, { signal: controller.signal }).catch(() => "aborted"),
];
setTimeout(() => {
  ep.close();
  controller.abort();
}, 20);
console.log(JSON.stringify(await Promise.all(waits)));
