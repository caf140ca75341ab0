// What steady-state readiness calls allocate, in Deno: bytes per call of each call,
// next to a baseline that only builds an array of the same shape as its result, and
// the heap left after 1M select() calls once garbage is collected.
//
// Usage: deno run --allow-ffi --allow-read --v8-flags=--expose-gc,--min-semi-space-size=64 \
//   bench/compare/js/heap.ts [CALLS]
// --min-semi-space-size keeps a measured stretch of calls free of any collection, so a
// heapUsed delta is exactly what it allocated. Prints one JSON line.

const iomux = {
  ...await import(new URL("../../../mod.ts", import.meta.url).href),
  ...await import(new URL("../../../selectors/mod.ts", import.meta.url).href),
};

const READY = 5;
const SAMPLE = 20_000;
const calls = Number(Deno.args[0] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

const fds: number[] = [];
for (let i = 0; i < READY; i++) {
  const [r, w] = iomux.pipe();
  fds.push(r, w);
  iomux.write(w, new Uint8Array([120]));
}
const readEnds = fds.filter((_, i) => i % 2 === 0);
const none: number[] = [];

/** Median bytes per call over 5 collection-free stretches of SAMPLE calls. */
function bytesPerCall(call: () => unknown): number {
  for (let i = 0; i < 100_000; i++) call();
  const samples: number[] = [];
  for (let s = 0; s < 5; s++) {
    gc!();
    const before = Deno.memoryUsage().heapUsed;
    for (let i = 0; i < SAMPLE; i++) call();
    samples.push((Deno.memoryUsage().heapUsed - before) / SAMPLE);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[2]! * 10) / 10;
}

// Baselines build what each call returns, the way it builds it, and nothing else.
const pushed = (items: unknown[]): unknown[] => {
  const out: unknown[] = [];
  for (const item of items) out.push(item);
  return out;
};
const pairs = readEnds.map((fd) => [fd, 1]);

const p = iomux.poll();
const ep = new iomux.Epoll();
for (const fd of fds) {
  p.register(fd, iomux.POLLIN);
  ep.register(fd, iomux.EPOLLIN);
}
const rows: { call: string; bytes: number; resultBytes: number }[] = [];
const row = (call: string, measured: () => unknown, baseline: () => unknown) =>
  rows.push({ call, bytes: bytesPerCall(measured), resultBytes: bytesPerCall(baseline) });

row("select(fds, [], [], 0)", () => iomux.select(fds, none, none, 0), () => [
  pushed(readEnds),
  [],
  [],
]);
row("Poll.poll(0)", () => p.poll(0), () => {
  const out: unknown[] = [];
  for (const [fd, ev] of pairs) out.push([fd, ev]);
  return out;
});
row("Epoll.poll(0)", () => ep.poll(0), () => {
  const out = new Array(READY);
  for (let i = 0; i < READY; i++) out[i] = [readEnds[i], 1];
  return out;
});
if (iomux.DefaultSelector) {
  const sel = new iomux.DefaultSelector();
  for (const fd of fds) sel.register(fd, iomux.EVENT_READ);
  const keys = readEnds.map((fd) => sel.getKey(fd));
  row("DefaultSelector.select(0)", () => sel.select(0), () => {
    const out: unknown[] = [];
    for (const key of keys) out.push([key, 1]);
    return out;
  });
}

// The byte calls' fast paths: a round trip of 64 B, whose results are a count (no
// allocation) and, for recv and os.read, a new array of what arrived.
{
  const [a, b] = iomux.socketpair();
  const message = new Uint8Array(64), buffer = new Uint8Array(65536);
  row("Socket.send + Socket.recvInto, 64 B", () => (a.send(message), b.recvInto(buffer)), () => 0);
  row("Socket.sendAll + Socket.recv(65536), 64 B", () => {
    a.sendAll(message);
    return b.recv(65536);
  }, () => new Uint8Array(64));
  const [r, w] = iomux.pipe();
  row("os.write + os.read(65536), 64 B", () => {
    iomux.write(w, message);
    return iomux.read(r, 65536);
  }, () => new Uint8Array(64));
  a.close();
  b.close();
  iomux.close(r);
  iomux.close(w);
}

gc();
const heapBefore = Deno.memoryUsage().heapUsed;
let ready = 0;
for (let i = 0; i < calls; i++) ready += iomux.select(fds, none, none, 0)[0].length;
gc();
const heapAfter = Deno.memoryUsage().heapUsed;
if (ready !== calls * READY) throw new Error(`expected ${calls * READY} ready, saw ${ready}`);
console.log(JSON.stringify({ rows, calls, heapBefore, heapAfter }));
