/**
 * The client side of the echo stress test, run as a child process so that it and the
 * server use both cores: opens N non-blocking loopback connections, reports once all
 * are established (and waits for "go" on stdin while the parent checks that the server
 * holds them all at once), then makes each send messages of random sizes (1 B – 256 KiB,
 * log-uniform, seeded) and verifies every echoed byte. About one connection in twelve
 * misbehaves: it closes mid-message, half-closes (SHUT_WR) and reads to EOF, or resets
 * (SO_LINGER 0). Prints one JSON line of figures; exits 1 on any mismatch or on the
 * deadline.
 *
 * Usage: _echo_clients.ts host port connections rounds seed deadlineSeconds
 *
 * @module
 */
import process from "node:process";
import { BlockingIOError, OSError } from "../../errors.ts";
import { read } from "../../os/mod.ts";
import { DefaultSelector, EVENT_READ, EVENT_WRITE } from "../../selectors/mod.ts";
import {
  AF_INET,
  SHUT_WR,
  SO_ERROR,
  SO_LINGER,
  SOCK_STREAM,
  Socket,
  SOL_SOCKET,
} from "../../socket/mod.ts";

const [
  host = "127.0.0.1",
  portArg = "0",
  nArg = "1000",
  roundsArg = "3",
  seedArg = "1",
  deadlineArg = "300",
] = process.argv.slice(2);
const PORT = Number(portArg);
const N = Number(nArg);
const ROUNDS = Number(roundsArg);
const SEED = Number(seedArg);
const DEADLINE = performance.now() + Number(deadlineArg) * 1000;
const MAX_MESSAGE = 256 * 1024;
const CONNECTS_IN_FLIGHT = 64;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = "normal" | "midclose" | "halfclose" | "reset";

interface Conn {
  id: number;
  sock: Socket;
  kind: Kind;
  random: () => number;
  state: "connecting" | "idle" | "busy" | "draining" | "done";
  round: number;
  message: Uint8Array;
  sent: number;
  received: number;
}

const stats = {
  connections: N,
  connected: 0,
  maxOpen: 0,
  messages: 0,
  bytesSent: 0,
  bytesVerified: 0,
  smallest: Infinity,
  largest: 0,
  midclose: 0,
  halfclose: 0,
  halfcloseBytesVerified: 0,
  reset: 0,
  elapsedMs: 0,
};

function fail(message: string): never {
  console.error(`echo clients: ${message}`);
  process.exit(1);
}

function kindOf(id: number): Kind {
  if (id % 12 === 5) return "midclose";
  if (id % 12 === 7) return "halfclose";
  if (id % 12 === 11) return "reset";
  return "normal";
}

function messageSize(c: Conn): number {
  // The first two connections pin the bounds: exactly 1 B and exactly 256 KiB.
  if (c.id === 0 && c.round === 0) return 1;
  if (c.id === 1 && c.round === 0) return MAX_MESSAGE;
  return Math.max(
    1,
    Math.min(MAX_MESSAGE, Math.round(Math.exp(c.random() * Math.log(MAX_MESSAGE)))),
  );
}

function nextMessage(c: Conn): void {
  const size = messageSize(c);
  const message = new Uint8Array(size);
  for (let i = 0; i < size; i++) message[i] = (c.random() * 256) | 0;
  c.message = message;
  c.sent = 0;
  c.received = 0;
  c.state = "busy";
  stats.smallest = Math.min(stats.smallest, size);
  stats.largest = Math.max(stats.largest, size);
}

const sel = new DefaultSelector<Conn>();
const conns: Conn[] = [];
let open = 0;
let next = 0;

function startConnect(): void {
  const id = next++;
  const sock = new Socket(AF_INET, SOCK_STREAM);
  sock.setBlocking(false);
  try {
    sock.connect([host, PORT]);
  } catch (e) {
    if (!(e instanceof BlockingIOError)) throw e;
  }
  const c: Conn = {
    id,
    sock,
    kind: kindOf(id),
    random: prng(SEED * 100_003 + id),
    state: "connecting",
    round: 0,
    message: new Uint8Array(0),
    sent: 0,
    received: 0,
  };
  conns.push(c);
  open++;
  stats.maxOpen = Math.max(stats.maxOpen, open);
  sel.register(sock, EVENT_WRITE, c);
}

function finish(c: Conn): void {
  sel.unregister(c.sock);
  c.sock.close();
  c.state = "done";
  open--;
}

function misbehave(c: Conn): boolean {
  if (c.round !== 0) return false;
  if (c.kind === "midclose" && c.sent >= (c.message.length >> 1)) {
    stats.midclose++;
    finish(c);
    return true;
  }
  if (c.kind === "reset" && c.sent >= (c.message.length >> 1)) {
    c.sock.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(new Int32Array([1, 0]).buffer));
    stats.reset++;
    finish(c);
    return true;
  }
  if (c.kind === "halfclose" && c.sent === c.message.length) {
    c.sock.shutdown(SHUT_WR);
    c.state = "draining";
    sel.modify(c.sock, EVENT_READ, c);
    return true;
  }
  return false;
}

function onWritable(c: Conn): void {
  if (c.sent < c.message.length) {
    try {
      const n = c.sock.send(c.message.subarray(c.sent));
      c.sent += n;
      stats.bytesSent += n;
    } catch (e) {
      if (!(e instanceof BlockingIOError)) throw e;
    }
  }
  if (misbehave(c)) return;
  if (c.sent === c.message.length) sel.modify(c.sock, EVENT_READ, c);
}

function onReadable(c: Conn): void {
  let data: Uint8Array;
  try {
    data = c.sock.recv(65536);
  } catch (e) {
    if (e instanceof BlockingIOError) return;
    throw e;
  }
  if (data.length === 0) {
    if (c.state !== "draining") fail(`connection ${c.id}: EOF after ${c.received} bytes`);
    // A half-closed client gets back a prefix of what it sent, then EOF.
    stats.halfclose++;
    return finish(c);
  }
  const message = c.message;
  for (let i = 0; i < data.length; i++) {
    if (c.received + i >= c.sent || data[i] !== message[c.received + i]) {
      fail(`connection ${c.id} round ${c.round}: byte ${c.received + i} differs`);
    }
  }
  c.received += data.length;
  if (c.state === "draining") {
    stats.halfcloseBytesVerified += data.length;
    return;
  }
  stats.bytesVerified += data.length;
  if (c.received < message.length) return;
  stats.messages++;
  c.round++;
  if (c.round === ROUNDS) return finish(c);
  nextMessage(c);
  sel.modify(c.sock, EVENT_READ | EVENT_WRITE, c);
}

const start = performance.now();
// Phase 1: every connection established, a few dozen connects in flight at a time.
while (stats.connected < N) {
  while (next < N && next - stats.connected < CONNECTS_IN_FLIGHT) startConnect();
  for (const [key] of sel.select(1)) {
    const c = key.data!;
    const err = c.sock.getsockopt(SOL_SOCKET, SO_ERROR);
    if (err !== 0) fail(`connection ${c.id}: connect failed, errno ${err}`);
    c.state = "idle";
    sel.modify(c.sock, EVENT_READ, c);
    stats.connected++;
  }
  if (performance.now() > DEADLINE) fail(`deadline: ${stats.connected} of ${N} connected`);
}
console.log(`connected ${stats.connected}`);
// The parent checks the server's count and answers "go".
const answer = new TextDecoder().decode(read(0, 16));
if (!answer.startsWith("go")) fail(`parent said ${JSON.stringify(answer)}`);

// Phase 2: messages, all connections at once.
for (const c of conns) {
  nextMessage(c);
  sel.modify(c.sock, EVENT_READ | EVENT_WRITE, c);
}
while (open > 0) {
  for (const [key, events] of sel.select(1)) {
    const c = key.data!;
    if (c.state === "done") continue;
    try {
      if (events & EVENT_READ) onReadable(c);
      if (c.state === "busy" && events & EVENT_WRITE) onWritable(c);
    } catch (e) {
      if (e instanceof OSError) fail(`connection ${c.id} (${c.kind}): ${e.message}`);
      throw e;
    }
  }
  if (performance.now() > DEADLINE) fail(`deadline: ${open} connections still open`);
}
sel.close();
stats.elapsedMs = Math.round(performance.now() - start);
console.log(JSON.stringify(stats));
process.exit(0);
