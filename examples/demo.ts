/**
 * The iomux demo: starts the selectors echo server on 127.0.0.1 (a free port), drives
 * it with a bounded load of concurrent non-blocking clients from the same process,
 * verifies every byte that comes back, and prints a short report.
 *
 * Run: `deno task demo` (or `deno run --allow-ffi --allow-env examples/demo.ts
 * [clients] [rounds]`).
 *
 * Server and clients share one thread: both wait with `selectAsync`, so neither
 * blocks the other.
 *
 * @module
 */
import process from "node:process";
import { DefaultSelector, EVENT_READ, EVENT_WRITE } from "../selectors/mod.ts";
import { AF_INET, BlockingIOError, SOCK_STREAM, Socket } from "../socket/mod.ts";
import { startEchoServer } from "./selectors_echo_server.ts";

const CLIENTS = Number(process.argv[2] ?? 50);
const ROUNDS = Number(process.argv[3] ?? 200);

/** One client: sends a message, reads the echo back, checks it, repeats. */
interface Client {
  index: number;
  sock: Socket;
  round: number;
  message: Uint8Array;
  sent: number;
  received: number;
  echo: Uint8Array;
}

/** A deterministic message for a client's round: 1 B to 16 KiB of varied bytes. */
function messageFor(client: number, round: number): Uint8Array {
  let seed = (client * 7919 + round * 104729) >>> 0;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const size = 1 + (next() % (16 * 1024));
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = next() >>> 24;
  return bytes;
}

function startRound(c: Client, index: number): void {
  c.message = messageFor(index, c.round);
  c.echo = new Uint8Array(c.message.length);
  c.sent = 0;
  c.received = 0;
}

const tty = process.stdout.isTTY === true;
function progress(done: number, total: number, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const line = `  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} round trips` +
    ` (${Math.floor((100 * done) / total)}%) in ${seconds.toFixed(1)} s`;
  if (tty) process.stdout.write(`\r${line}`);
  else console.log(line);
}

const server = startEchoServer({ host: "127.0.0.1", port: 0 });
console.log(`iomux demo: echo server on ${server.host}:${server.port}`);
console.log(`  ${CLIENTS} concurrent clients × ${ROUNDS} round trips, 1 B – 16 KiB each`);

const sel = new DefaultSelector<Client>();
const clients: Client[] = [];
for (let i = 0; i < CLIENTS; i++) {
  const sock = new Socket(AF_INET, SOCK_STREAM);
  sock.setBlocking(false);
  sock.connectEx([server.host, server.port]); // EINPROGRESS: writable once connected
  const c: Client = {
    index: i,
    sock,
    round: 0,
    message: new Uint8Array(),
    sent: 0,
    received: 0,
    echo: new Uint8Array(),
  };
  startRound(c, i);
  clients.push(c);
  sel.register(sock, EVENT_WRITE, c);
}

const total = CLIENTS * ROUNDS;
let done = 0;
let bytes = 0;
let active = CLIENTS;
const started = performance.now();
let lastReport = 0;

while (active > 0) {
  for (const [key, mask] of await sel.selectAsync(5)) {
    const c = key.data!;
    const index = c.index;
    if (mask & EVENT_WRITE) {
      try {
        c.sent += c.sock.send(c.message.subarray(c.sent));
      } catch (e) {
        if (!(e instanceof BlockingIOError)) throw e;
      }
      if (c.sent === c.message.length) sel.modify(c.sock, EVENT_READ, c);
    } else if (mask & EVENT_READ) {
      let chunk: Uint8Array;
      try {
        chunk = c.sock.recv(65536);
      } catch (e) {
        if (e instanceof BlockingIOError) continue;
        throw e;
      }
      if (chunk.length === 0) throw new Error(`client ${index}: server closed the connection`);
      c.echo.set(chunk, c.received);
      c.received += chunk.length;
      if (c.received < c.message.length) continue;
      for (let i = 0; i < c.message.length; i++) {
        if (c.echo[i] !== c.message[i]) {
          throw new Error(`client ${index}, round ${c.round}: byte ${i} differs`);
        }
      }
      bytes += 2 * c.message.length;
      done++;
      c.round++;
      if (c.round === ROUNDS) {
        sel.unregister(c.sock);
        c.sock.close();
        active--;
      } else {
        startRound(c, index);
        sel.modify(c.sock, EVENT_WRITE, c);
      }
    }
  }
  // A live line on a terminal; a line per quarter in a log.
  const quarter = Math.floor((4 * done) / total);
  if (tty ? performance.now() - lastReport > 200 : quarter > lastReport && done < total) {
    lastReport = tty ? performance.now() : quarter;
    progress(done, total, started);
  }
}
const seconds = (performance.now() - started) / 1000;
progress(done, total, started);
if (tty) process.stdout.write("\n");
sel.close();

// Let the server notice the hang-ups before reading its connection count.
for (let i = 0; i < 100 && server.connections > 0; i++) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(`\n  connections     ${CLIENTS}`);
console.log(`  round trips     ${done.toLocaleString("en-US")}, every byte verified`);
console.log(`  bytes moved     ${(bytes / 2 ** 20).toFixed(1)} MiB (sent + echoed)`);
console.log(`  elapsed         ${seconds.toFixed(2)} s`);
console.log(
  `  throughput      ${Math.round(done / seconds).toLocaleString("en-US")} round trips/s, ${
    (bytes / 2 ** 20 / seconds).toFixed(1)
  } MiB/s`,
);
console.log(`  open on server  ${server.connections} connection(s) after the clients left`);
server.close();
await server.done;
