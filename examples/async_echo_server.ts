/**
 * An echo server on `selectAsync`, beside a `setInterval` ticker: the selector waits
 * off the JS thread, so the ticker keeps its rhythm and Deno's own async I/O (here,
 * the demo clients from `node:net`) runs in the same process.
 *
 * Run the self-contained demo (three clients connect, talk and leave; then the server
 * is shut down with an AbortSignal):
 *
 *     deno run --allow-ffi --allow-net examples/async_echo_server.ts
 *
 * Or serve until Ctrl-C and talk to it with `nc 127.0.0.1 7777`:
 *
 *     deno run --allow-ffi --allow-net examples/async_echo_server.ts --serve 7777
 *
 * @module
 */
import { connect } from "node:net";
import { BlockingIOError } from "../errors.ts";
import { DefaultSelector, EVENT_READ, EVENT_WRITE, type SelectorKey } from "../selectors/mod.ts";
import { SO_REUSEADDR, Socket, SOL_SOCKET } from "../socket/mod.ts";

/** What the selector keeps for each socket: its role and the bytes not yet echoed. */
interface Connection {
  readonly socket: Socket;
  readonly listening: boolean;
  outgoing: Uint8Array;
}

const serve = Deno.args[0] === "--serve";
const port = serve ? Number(Deno.args[1] ?? 7777) : 0;

const server = new Socket();
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
server.bind(["127.0.0.1", port]);
server.listen();
server.setBlocking(false);
const [host, boundPort] = server.getsockname() as [string, number];
console.log(`echo server on ${host}:${boundPort}`);

const selector = new DefaultSelector<Connection>();
selector.register(server, EVENT_READ, {
  socket: server,
  listening: true,
  outgoing: new Uint8Array(),
});

const started = performance.now();
let ticks = 0;
const ticker = setInterval(() => {
  ticks++;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`tick ${ticks} at ${seconds} s, ${selector.getMap().size - 1} connection(s)`);
}, 100);

const shutdown = new AbortController();
if (serve) Deno.addSignalListener("SIGINT", () => shutdown.abort());

function accept(): void {
  for (;;) {
    try {
      const [socket, peer] = server.accept();
      socket.setBlocking(false);
      selector.register(socket, EVENT_READ, {
        socket,
        listening: false,
        outgoing: new Uint8Array(),
      });
      console.log(`  connected: ${JSON.stringify(peer)}`);
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      throw e;
    }
  }
}

/** One read buffer for every connection: reads are sent from it, and only what is left is copied. */
const buffer = new Uint8Array(4096);

function service(key: SelectorKey<Connection>, events: number): void {
  const connection = key.data;
  let fresh = false;
  if (events & EVENT_READ) {
    const n = connection.socket.recvInto(buffer);
    if (n === 0) {
      selector.unregister(connection.socket);
      connection.socket.close();
      console.log("  disconnected");
      return;
    }
    fresh = connection.outgoing.length === 0;
    connection.outgoing = concat(connection.outgoing, buffer.subarray(0, n));
  }
  if (connection.outgoing.length > 0) {
    try {
      const sent = connection.socket.send(connection.outgoing);
      connection.outgoing = connection.outgoing.subarray(sent);
    } catch (e) {
      if (!(e instanceof BlockingIOError)) throw e;
    }
  }
  // A read sent straight from the shared buffer: keep a copy of what is left only.
  if (fresh) connection.outgoing = connection.outgoing.slice();
  // Wait for writability only while there is something left to send.
  const wanted = connection.outgoing.length > 0 ? EVENT_READ | EVENT_WRITE : EVENT_READ;
  if (wanted !== key.events) selector.modify(connection.socket, wanted, connection);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A demo client using Deno's own sockets: it runs on the same event loop. */
function client(name: string, lines: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = connect(boundPort, "127.0.0.1");
    let received = "";
    let sent = 0;
    const sendNext = () => conn.write(`${name} line ${++sent}\n`);
    conn.on("connect", sendNext);
    conn.on("data", (chunk) => {
      received += chunk.toString();
      const count = received.split("\n").length - 1;
      if (count < sent) return;
      console.log(`  ${name} got back: ${received.trim().split("\n").at(-1)}`);
      if (sent < lines) setTimeout(sendNext, 120);
      else conn.end();
    });
    conn.on("close", () => resolve());
    conn.on("error", reject);
  });
}

if (!serve) {
  Promise.all([client("alice", 3), client("bob", 2), client("carol", 4)])
    .then(() => setTimeout(() => shutdown.abort(), 150));
}

try {
  for (;;) {
    for (const [key, events] of await selector.selectAsync(null, { signal: shutdown.signal })) {
      if (key.data.listening) accept();
      else service(key, events);
    }
  }
} catch (e) {
  if (!shutdown.signal.aborted) throw e;
  console.log(`shut down after ${ticks} ticks; the loop never stalled`);
} finally {
  clearInterval(ticker);
  for (const key of selector.getMap().values()) key.data.socket.close();
  selector.close();
}
