// iomux's readiness calls over N watched pipe fds with 5 ready (see bench/compare/c/mux.h),
// one script for Deno, Node and Bun: the runner passes the iomux entry point to load
// (the sources for Deno, the npm build for Node and Bun).
//
// Usage: <runtime> mux.mjs RUNTIME MECHANISM N [BUDGET_MS] [ENTRY_URL]
// MECHANISM: selectors (DefaultSelector.select(0)), epoll (Epoll.poll(0)),
// poll (Poll.poll(0)), select (select(fds, [], [], 0)), and the awaited async
// twins selectors-async (selectAsync(0)) and epoll-async (Epoll.pollAsync(0));
// raw-epoll_wait (Deno only, x86_64 layout): epoll_wait straight through Deno.dlopen.
// Prints one JSON line: {"variant", "n", "ns"} with the median batch's ns per call.

const READY = 5;
const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const [runtime, mechanism, nText, budgetText, entry] = args;
const n = Number(nText);
const budgetMs = budgetText ? Number(budgetText) : 600;
const root = entry ?? new URL("../../../mod.ts", import.meta.url).href;
// The selectors come from their own entry point while the root one lacks them.
const iomux = { ...await import(root) };
if (!iomux.DefaultSelector) {
  const selectors = new URL(`./selectors/mod.${root.endsWith(".ts") ? "ts" : "js"}`, root).href;
  Object.assign(iomux, await import(selectors).catch(() => ({})));
}

function makeFds(count) {
  const fds = [];
  for (let i = 0; i < count / 2; i++) {
    const [r, w] = iomux.pipe();
    fds.push(r, w);
    if (i < READY) iomux.write(w, new Uint8Array([120]));
  }
  return fds;
}

function chunkFor(count) {
  return count <= 100 ? 1000 : count <= 2000 ? 100 : 10;
}

function fail(message) {
  console.error(message);
  if (globalThis.Deno) globalThis.Deno.exit(1);
  globalThis.process.exit(1);
}

function report(name, got, batches) {
  if (got !== READY) fail(`${name}: expected ${READY} ready, got ${got}`);
  batches.sort((a, b) => a - b);
  console.log(JSON.stringify({ variant: name, n, ns: Math.round(batches[2] * 10) / 10 }));
}

const clock = () => performance.now();

function measure(name, call) {
  let got = call();
  if (got !== READY) fail(`${name}: expected ${READY} ready, got ${got}`);
  const chunk = chunkFor(n);
  const slice = budgetMs / 6;
  const start = clock();
  while (clock() - start < slice) for (let i = 0; i < chunk; i++) call();
  const batches = [];
  for (let b = 0; b < 5; b++) {
    let calls = 0;
    const t0 = clock();
    let t;
    do {
      for (let i = 0; i < chunk; i++) got = call();
      calls += chunk;
      t = clock();
    } while (t - t0 < slice);
    batches.push(((t - t0) * 1e6) / calls);
  }
  report(name, got, batches);
}

/**
 * The same protocol for a call that returns a promise of the results, each one
 * awaited in turn: one await per call, as a caller's loop has.
 */
async function measureAsync(name, call) {
  let got = (await call()).length;
  if (got !== READY) fail(`${name}: expected ${READY} ready, got ${got}`);
  const chunk = chunkFor(n);
  const slice = budgetMs / 6;
  const start = clock();
  while (clock() - start < slice) for (let i = 0; i < chunk; i++) await call();
  const batches = [];
  for (let b = 0; b < 5; b++) {
    let calls = 0;
    const t0 = clock();
    let t;
    do {
      for (let i = 0; i < chunk; i++) got = (await call()).length;
      calls += chunk;
      t = clock();
    } while (t - t0 < slice);
    batches.push(((t - t0) * 1e6) / calls);
  }
  report(name, got, batches);
}

const fds = makeFds(n);
let call;
switch (mechanism) {
  case "selectors": {
    if (!iomux.DefaultSelector) fail("selectors: DefaultSelector is not available yet");
    const sel = new iomux.DefaultSelector();
    for (const fd of fds) sel.register(fd, iomux.EVENT_READ);
    call = () => sel.select(0).length;
    break;
  }
  case "selectors-async": {
    if (!iomux.DefaultSelector?.prototype.selectAsync) fail("selectAsync is not available yet");
    const sel = new iomux.DefaultSelector();
    for (const fd of fds) sel.register(fd, iomux.EVENT_READ);
    call = () => sel.selectAsync(0);
    break;
  }
  case "epoll-async": {
    const ep = new iomux.Epoll();
    for (const fd of fds) ep.register(fd, iomux.EPOLLIN);
    call = () => ep.pollAsync(0);
    break;
  }
  case "raw-epoll_wait": {
    // The floor for any Deno library: epoll_wait through Deno.dlopen, no checks, no
    // result objects, the fds summed as the C program does.
    const lib = globalThis.Deno.dlopen("libc.so.6", {
      epoll_create1: { parameters: ["i32"], result: "i32" },
      epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
      epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
    }).symbols;
    const ep = lib.epoll_create1(0);
    const event = new Uint32Array(4);
    for (const fd of fds) {
      event[0] = iomux.EPOLLIN;
      event[1] = fd;
      if (lib.epoll_ctl(ep, 1, fd, new Uint8Array(event.buffer)) !== 0) fail("epoll_ctl");
    }
    const events = new Uint8Array(1024 * 12);
    const words = new Uint32Array(events.buffer);
    let sink = 0;
    call = () => {
      const got = lib.epoll_wait(ep, events, 1024, 0);
      for (let i = 0; i < got; i++) sink += words[3 * i + 1];
      return sink >= 0 ? got : -1;
    };
    break;
  }
  case "epoll": {
    const ep = new iomux.Epoll();
    for (const fd of fds) ep.register(fd, iomux.EPOLLIN);
    call = () => ep.poll(0).length;
    break;
  }
  case "poll": {
    const p = iomux.poll();
    for (const fd of fds) p.register(fd, iomux.POLLIN);
    call = () => p.poll(0).length;
    break;
  }
  case "select":
    call = () => iomux.select(fds, [], [], 0)[0].length;
    break;
  default:
    fail(`unknown mechanism ${mechanism}`);
}
if (mechanism.endsWith("-async")) await measureAsync(`${runtime}.${mechanism}`, call);
else measure(`${runtime}.${mechanism}`, call);
