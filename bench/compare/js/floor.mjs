// iomux against the C floor inside one process: the same readiness call on the same
// fds (for the selector, the same epoll fd), in interleaved chunks, on this thread's
// CPU clock. The C side is a whole loop of system calls in a shared library
// (c/floor.c) called once per chunk through this runtime's FFI, so its cost is the
// kernel's plus C's, with the process's threads, caches and fd table exactly as
// iomux has them. One script for Deno, Node (koffi or node:ffi) and Bun.
//
// Usage: <runtime> floor.mjs RUNTIME MECHANISM N LIBRARY [BUDGET_MS] [ENTRY_URL]
// MECHANISM: selectors (DefaultSelector.select(0)), epoll (Epoll.poll(0)),
// poll (Poll.poll(0)), select (select(fds, [], [], 0)); raw-epoll_wait
// (epoll_wait bound by hand, no iomux; on Node through the FFI iomux loaded).
// The byte calls, N bytes a round trip (C: c/floor.c's send+recv or write+read loop):
// socket (send + recvInto over a socket pair), socket-recv (sendAll + recv(65536)),
// os (os.write + os.read(65536) through a pipe): the fast paths; and the cases that
// take the full path: fb-flags (MSG_DONTWAIT given), fb-view (a DataView and an
// Int8Array), fb-nbytes (recvInto's nbytes given), fb-timeout (settimeout(60)),
// fb-os (os.write of a DataView, os.read of more than 64 KiB).
// Prints one JSON line: {"variant", "n", "ratio", "ns", "c_ns", "chunks", "chunk", "ffi"},
// where ratio is the median over chunk pairs of iomux's CPU time over C's.

const READY = 5;
const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const process = globalThis.Deno
  ? { arch: globalThis.Deno.build.arch === "x86_64" ? "x64" : "arm64" }
  : globalThis.process;
const [runtime, mechanism, nText, library, budgetText, entry] = args;
const n = Number(nText);
const budgetMs = budgetText ? Number(budgetText) : 600;
const root = entry ?? new URL("../../../mod.ts", import.meta.url).href;
const iomux = { ...await import(root) };
if (!iomux.DefaultSelector) {
  const selectors = new URL(`./selectors/mod.${root.endsWith(".ts") ? "ts" : "js"}`, root).href;
  Object.assign(iomux, await import(selectors));
}

function fail(message) {
  console.error(message);
  if (globalThis.Deno) globalThis.Deno.exit(1);
  globalThis.process.exit(1);
}

/** C signatures of c/floor.c, in one neutral notation. */
const SIGNATURES = {
  iomux_thread_cpu_ns: [[], "f64"],
  iomux_floor_epoll: [["i32", "i32", "i32"], "i32"],
  iomux_floor_poll_set: [["buffer", "i32", "i32"], "i32"],
  iomux_floor_poll: [["i32"], "i32"],
  iomux_floor_select_set: [["buffer", "i32"], "i32"],
  iomux_floor_select: [["i32"], "i32"],
  iomux_floor_sendrecv: [["i32", "i32", "i32", "i32"], "i32"],
  iomux_floor_writeread: [["i32", "i32", "i32", "i32"], "i32"],
};

/** The floor library through this runtime's FFI: { ffi, symbols }. */
async function openFloor(path) {
  if (globalThis.Deno) {
    const table = {};
    for (const [name, [parameters, result]] of Object.entries(SIGNATURES)) {
      table[name] = { parameters, result };
    }
    return { ffi: "Deno.dlopen", symbols: globalThis.Deno.dlopen(path, table).symbols };
  }
  if (globalThis.Bun) {
    const { dlopen } = await import("bun:ffi");
    const types = { i32: "i32", f64: "f64", buffer: "ptr" };
    const table = {};
    for (const [name, [parameters, result]] of Object.entries(SIGNATURES)) {
      table[name] = { args: parameters.map((t) => types[t]), returns: types[result] };
    }
    return { ffi: "bun:ffi", symbols: dlopen(path, table).symbols };
  }
  // The FFI iomux itself loaded: koffi when installed, node:ffi where asked for
  // (IOMUX_FFI=node:ffi) or where koffi is absent.
  const { libc } = await import(new URL("./ffi/libc.js", root).href);
  const useNodeFfi = libc().backend === "node:ffi";
  if (!useNodeFfi) {
    const { createRequire } = await import("node:module");
    const koffi = createRequire(root)("koffi");
    const lib = koffi.load(path);
    const types = { i32: "int", f64: "double", buffer: "int *" };
    const symbols = {};
    for (const [name, [parameters, result]] of Object.entries(SIGNATURES)) {
      symbols[name] = lib.func(name, types[result], parameters.map((t) => types[t]));
    }
    return { ffi: "koffi", symbols };
  }
  const { lib } = process.getBuiltinModule("node:ffi").dlopen(path);
  const symbols = {};
  for (const [name, [parameters, result]] of Object.entries(SIGNATURES)) {
    symbols[name] = lib.getFunction(name, { arguments: parameters, return: result });
  }
  return { ffi: "node:ffi", symbols };
}

const { ffi, symbols: floor } = await openFloor(library);
// The byte calls' path counters (os/_fd.ts `bytePaths`), read around the timed loop:
// which path each call took, fast or full.
const { bytePaths } = await import(
  new URL(`./os/_fd.${root.endsWith(".ts") ? "ts" : "js"}`, root).href
);
const cpu = floor.iomux_thread_cpu_ns;

const BYTE_CALLS = new Set([
  "socket",
  "socket-recv",
  "os",
  "fb-flags",
  "fb-view",
  "fb-nbytes",
  "fb-timeout",
  "fb-os",
]);
const fds = [];
for (let i = 0; i < (BYTE_CALLS.has(mechanism) ? 0 : n / 2); i++) {
  const [r, w] = iomux.pipe();
  fds.push(r, w);
  if (i < READY) iomux.write(w, new Uint8Array([120]));
}
const fdArray = new Int32Array(fds);

let call;
let cLoop;
switch (mechanism) {
  case "selectors": {
    const sel = new iomux.DefaultSelector();
    for (const fd of fds) sel.register(fd, iomux.EVENT_READ);
    call = () => sel.select(0).length;
    // EpollSelector asks for len(map) events, as CPython's does.
    const epfd = sel.fileno();
    cLoop = (calls) => floor.iomux_floor_epoll(epfd, n, calls);
    break;
  }
  case "epoll": {
    const ep = new iomux.Epoll();
    for (const fd of fds) ep.register(fd, iomux.EPOLLIN);
    call = () => ep.poll(0).length;
    const epfd = ep.fileno();
    cLoop = (calls) => floor.iomux_floor_epoll(epfd, 1023, calls);
    break;
  }
  case "poll": {
    const p = iomux.poll();
    for (const fd of fds) p.register(fd, iomux.POLLIN);
    call = () => p.poll(0).length;
    if (floor.iomux_floor_poll_set(fdArray, n, iomux.POLLIN) !== 0) fail("poll_set");
    cLoop = (calls) => floor.iomux_floor_poll(calls);
    break;
  }
  case "select":
    call = () => iomux.select(fds, [], [], 0)[0].length;
    if (floor.iomux_floor_select_set(fdArray, n) !== 0) fail("select_set");
    cLoop = (calls) => floor.iomux_floor_select(calls);
    break;
  case "raw-epoll_wait": {
    // No iomux at all: epoll_wait bound by hand through this runtime's FFI, its buffer
    // passed as a pointer taken once, the fds summed as C does. The FFI's own floor.
    const ep = new iomux.Epoll();
    for (const fd of fds) ep.register(fd, iomux.EPOLLIN);
    const epfd = ep.fileno();
    const events = new Uint8Array(1023 * 16);
    const wait = await rawEpollWait();
    const stride = process.arch === "x64" ? 3 : 4;
    const words = new Uint32Array(events.buffer);
    const pointer = wait.pointerOf(events);
    let sum = 0;
    call = () => {
      const got = wait.call(epfd, pointer, 1023, 0);
      for (let i = 0; i < got; i++) sum += words[stride * i + (stride === 3 ? 1 : 2)];
      return sum >= 0 ? got : -1;
    };
    cLoop = (calls) => floor.iomux_floor_epoll(epfd, 1023, calls);
    break;
  }
  default:
    if (!BYTE_CALLS.has(mechanism)) fail(`unknown mechanism ${mechanism}`);
    [call, cLoop] = byteCalls();
}

/**
 * A round trip of n bytes, [iomux's call, C's loop]: through a socket pair, or
 * through a pipe for the os calls. Every call returns the count received.
 */
function byteCalls() {
  const message = new Uint8Array(n).fill(120);
  const buffer = new Uint8Array(65536);
  if (mechanism === "os" || mechanism === "fb-os") {
    const [r, w] = iomux.pipe();
    const cOs = (calls) => floor.iomux_floor_writeread(w, r, n, calls);
    if (mechanism === "os") {
      return [() => (iomux.write(w, message), iomux.read(r, 65536).length), cOs];
    }
    const view = new DataView(message.buffer);
    return [() => (iomux.write(w, view), iomux.read(r, 70000).length), cOs];
  }
  const [a, b] = iomux.socketpair();
  const cSocket = (calls) => floor.iomux_floor_sendrecv(a.fileno(), b.fileno(), n, calls);
  switch (mechanism) {
    case "socket":
      return [() => (a.send(message), b.recvInto(buffer)), cSocket];
    case "socket-recv":
      return [() => (a.sendAll(message), b.recv(65536).length), cSocket];
    case "fb-flags": {
      const f = iomux.MSG_DONTWAIT;
      return [() => (a.send(message, f), b.recvInto(buffer, 0, f)), cSocket];
    }
    case "fb-view": {
      const out = new DataView(message.buffer), into = new Int8Array(buffer.buffer);
      return [() => (a.send(out), b.recvInto(into)), cSocket];
    }
    case "fb-nbytes":
      return [() => (a.send(message), b.recvInto(buffer, buffer.length)), cSocket];
    case "fb-timeout":
      a.settimeout(60);
      b.settimeout(60);
      return [() => (a.send(message), b.recvInto(buffer)), cSocket];
  }
  fail(`unknown mechanism ${mechanism}`);
}

/** `epoll_wait` with a pointer argument, bound by hand: { call, pointerOf }. */
async function rawEpollWait() {
  if (globalThis.Deno) {
    const lib = globalThis.Deno.dlopen("libc.so.6", {
      epoll_wait: { parameters: ["i32", "pointer", "i32", "i32"], result: "i32" },
    });
    return { call: lib.symbols.epoll_wait, pointerOf: (b) => globalThis.Deno.UnsafePointer.of(b) };
  }
  if (globalThis.Bun) {
    const { dlopen, ptr } = await import("bun:ffi");
    const lib = dlopen("libc.so.6", {
      epoll_wait: { args: ["i32", "ptr", "i32", "i32"], returns: "i32" },
    });
    return { call: lib.symbols.epoll_wait, pointerOf: (b) => ptr(b) };
  }
  // Node: the same binding through the FFI iomux loaded (koffi or node:ffi).
  const { libc } = await import(new URL("./ffi/libc.js", root).href);
  if (libc().backend === "node:ffi") {
    const node = process.getBuiltinModule("node:ffi");
    const { lib } = node.dlopen("libc.so.6");
    const wait = lib.getFunction("epoll_wait", {
      arguments: ["i32", "pointer", "i32", "i32"],
      return: "i32",
    });
    return { call: wait, pointerOf: (b) => node.getRawPointer(b) };
  }
  const { createRequire } = await import("node:module");
  const koffi = createRequire(root)("koffi");
  const wait = koffi.load("libc.so.6").func("int epoll_wait(int, void *, int, int)");
  return { call: wait, pointerOf: (b) => b };
}

// What one call returns: the ready count, or for the byte calls the bytes received.
const EXPECTED = BYTE_CALLS.has(mechanism) ? n : READY;
if (call() !== EXPECTED) fail(`${runtime}.${mechanism}: expected ${EXPECTED}`);
if (cLoop(1) !== EXPECTED) fail(`C floor of ${mechanism}: expected ${EXPECTED}`);

// Chunks of 2,000 calls, fewer for a slow call (poll over 1,000 fds): about 2 ms each.
cLoop(200);
const probe = cpu();
cLoop(20);
const chunk = Math.max(20, Math.min(2000, Math.round(2e6 / ((cpu() - probe) / 20))));
let got = 0;
function jsChunk() {
  for (let i = 0; i < chunk; i++) got = call();
}
// Warm-up: both loops, until the JIT has settled.
const warmEnd = performance.now() + budgetMs / 5;
while (performance.now() < warmEnd) {
  jsChunk();
  cLoop(chunk);
}
const pathsBefore = { ...bytePaths };
const ratios = [];
let jsNs = 0;
let cNs = 0;
const end = performance.now() + budgetMs;
for (let pair = 0; pair < 7 || performance.now() < end; pair++) {
  // Alternate which side goes first, so that neither always runs on a cold cache.
  let c, js;
  if (pair % 2 === 0) {
    const t0 = cpu();
    cLoop(chunk);
    const t1 = cpu();
    jsChunk();
    const t2 = cpu();
    c = t1 - t0;
    js = t2 - t1;
  } else {
    const t0 = cpu();
    jsChunk();
    const t1 = cpu();
    cLoop(chunk);
    const t2 = cpu();
    js = t1 - t0;
    c = t2 - t1;
  }
  if (c > 0) ratios.push(js / c);
  jsNs += js;
  cNs += c;
}
if (got !== EXPECTED) fail(`${runtime}.${mechanism}: expected ${EXPECTED}, got ${got}`);
ratios.sort((a, b) => a - b);
const paths = {};
for (const [name, count] of Object.entries(bytePaths)) {
  if (count !== pathsBefore[name]) paths[name] = count - pathsBefore[name];
}
const calls = ratios.length * chunk;
console.log(JSON.stringify({
  variant: `${runtime}.${mechanism}`,
  n,
  ratio: Math.round(ratios[ratios.length >> 1] * 1000) / 1000,
  ns: Math.round((jsNs / calls) * 10) / 10,
  c_ns: Math.round((cNs / calls) * 10) / 10,
  chunks: ratios.length,
  chunk,
  ffi,
  paths,
}));
