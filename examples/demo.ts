/**
 * A first look at iomux: a pipe watched with `select`, `poll` and `epoll`.
 * Run: deno task demo
 */
import { close, Epoll, EPOLLIN, pipe, poll, POLLIN, read, select, write } from "../mod.ts";

const [r, w] = pipe();
const message = new TextEncoder().encode("hello from a raw pipe");

console.log("select before writing:", select([r], [w], [], 0));
write(w, message);
console.log("select after writing: ", select([r], [w], [], 0));

const p = poll();
p.register(r, POLLIN);
console.log("poll(0):              ", p.poll(0));

using ep = new Epoll();
ep.register(r, EPOLLIN);
console.log("epoll.poll(1):        ", ep.poll(1));

console.log("read:                 ", new TextDecoder().decode(read(r, 100)));
close(r);
close(w);
