/**
 * Where the time of `DefaultSelector.select(0)` goes, layer by layer, in one
 * process (N = 10 pipe fds, 5 ready; Linux x86_64): the bare `epoll_wait` through
 * `Deno.dlopen`, the same plus result pairs, `Epoll.poll(0)`, and the selector.
 * Each step's difference from the one above is what that layer costs. The C and
 * CPython side of the same workload is in `deno task bench:compare`.
 *
 * Run: `deno bench --allow-ffi --allow-read --allow-env bench/layers_bench.ts`
 *
 * @module
 */
import { Epoll, EPOLLIN } from "../select/mod.ts";
import { DefaultSelector, EVENT_READ } from "../selectors/mod.ts";
import { pipe, write } from "../os/mod.ts";

const READY = 5;
const fds: number[] = [];
for (let i = 0; i < READY; i++) {
  const [r, w] = pipe();
  fds.push(r, w);
  write(w, new Uint8Array([120]));
}
const ep = new Epoll();
const sel = new DefaultSelector();
for (const fd of fds) {
  ep.register(fd, EPOLLIN);
  sel.register(fd, EVENT_READ);
}

const linuxX64 = Deno.build.os === "linux" && Deno.build.arch === "x86_64";
const libc = linuxX64
  ? Deno.dlopen("libc.so.6", {
    epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  }).symbols
  : null;
const events = new Uint8Array(1024 * 12);
const words = new Uint32Array(events.buffer);
const epfd = ep.fileno();
let sink = 0;

Deno.bench("epoll_wait through Deno.dlopen", {
  group: "layers",
  baseline: true,
  ignore: !linuxX64,
}, () => {
  const n = libc!.epoll_wait(epfd, events, 1024, 0);
  for (let i = 0; i < n; i++) sink += words[3 * i + 1]!;
});

Deno.bench("+ [fd, events] pairs", { group: "layers", ignore: !linuxX64 }, () => {
  const n = libc!.epoll_wait(epfd, events, 1024, 0);
  const pairs: [number, number][] = new Array(n);
  for (let i = 0, at = 0; i < n; i++, at += 3) pairs[i] = [words[at + 1]! | 0, words[at]!];
  sink += pairs.length;
});

Deno.bench("Epoll.poll(0)", { group: "layers", ignore: !linuxX64 }, () => {
  sink += ep.poll(0).length;
});

Deno.bench("DefaultSelector.select(0)", { group: "layers", ignore: !linuxX64 }, () => {
  sink += sel.select(0).length;
});
