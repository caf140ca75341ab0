// Run by fault_isolation_test.ts in a child process whose RLIMIT_NOFILE is 256: while
// two Poll objects wait, one of them grows to a set poll(2) refuses (more fds than
// RLIMIT_NOFILE: EINVAL). Only that one may see the error; the other still ends with
// its own event. Prints how each wait ended, as JSON. An argument "poll" makes the
// waiter use its poll(2) set rather than epoll.
import process from "node:process";
import { poll, POLLIN } from "../../select/mod.ts";
import { pipe, write } from "../../os/mod.ts";
import { useReadySet } from "../../_wait/waiter.ts";

if (process.argv.includes("poll")) useReadySet("poll");
const outcome = (wait: Promise<[number, number][]>) =>
  wait.then(
    (result) => ["resolved", result],
    (error) => ["rejected", error.name, error.code],
  );
const [ra] = pipe();
const [rb, wb] = pipe();
const a = poll();
a.register(ra, POLLIN);
const b = poll();
b.register(rb, POLLIN);
const waits = [outcome(a.pollAsync(20_000)), outcome(b.pollAsync(20_000))];
setTimeout(() => {
  for (let fd = 1000; fd < 1300; fd++) a.register(fd, POLLIN);
  setTimeout(() => write(wb, new Uint8Array([1])), 50);
}, 50);
console.log(JSON.stringify({ rb, waits: await Promise.all(waits) }));
