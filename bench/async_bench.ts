/**
 * The fast path of the async waits against their blocking twins with a zero
 * timeout, on the same registrations (one ready pipe, one writable end):
 * `pollAsync`/`selectAsync` with something already ready must cost at most 1.5×
 * the synchronous call, because it is that call plus one resolved Promise. The
 * "awaited" rows show that floor: the synchronous call wrapped in an awaited
 * Promise, which is all an async API can cost at best.
 *
 * Run: `deno bench --allow-ffi --allow-read --allow-env bench/async_bench.ts`
 *
 * @module
 */
import { Epoll, EPOLLIN, EPOLLOUT, poll, POLLIN, POLLOUT, select } from "../select/mod.ts";
import { pipe, write } from "../os/mod.ts";
import { DefaultSelector, EVENT_READ, EVENT_WRITE } from "../selectors/mod.ts";

const [r, w] = pipe();
write(w, new Uint8Array([1]));
const readers = [r];
const writers = [w];
const none: number[] = [];

const p = poll();
p.register(r, POLLIN);
p.register(w, POLLOUT);

const selector = new DefaultSelector();
selector.register(r, EVENT_READ);
selector.register(w, EVENT_WRITE);

const ep = Deno.build.os === "linux" ? new Epoll() : null;
ep?.register(r, EPOLLIN);
ep?.register(w, EPOLLOUT);

Deno.bench("select(r, w, [], 0)", { group: "select", baseline: true }, () => {
  select(readers, writers, none, 0);
});

Deno.bench("DefaultSelector.select(0)", { group: "selector", baseline: true }, () => {
  selector.select(0);
});

Deno.bench("await DefaultSelector.selectAsync() (fast path)", { group: "selector" }, async () => {
  await selector.selectAsync();
});

Deno.bench("Poll.poll(0)", { group: "poll", baseline: true }, () => {
  p.poll(0);
});

// The floor: the same synchronous call, awaited. An async API cannot go below it.
Deno.bench("await Promise.resolve(Poll.poll(0))", { group: "poll" }, async () => {
  await Promise.resolve(p.poll(0));
});

Deno.bench("await Poll.pollAsync() (fast path)", { group: "poll" }, async () => {
  await p.pollAsync();
});

Deno.bench("Epoll.poll(0)", { group: "epoll", baseline: true, ignore: ep === null }, () => {
  ep!.poll(0);
});

Deno.bench(
  "await Promise.resolve(Epoll.poll(0))",
  { group: "epoll", ignore: ep === null },
  async () => {
    await Promise.resolve(ep!.poll(0));
  },
);

Deno.bench(
  "await Epoll.pollAsync() (fast path)",
  { group: "epoll", ignore: ep === null },
  async () => {
    await ep!.pollAsync();
  },
);
