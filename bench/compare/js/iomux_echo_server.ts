// The CPython selectors echo server (bench/compare/python/echo_server.py) on iomux, as
// a fast server is written: a blocking DefaultSelector.select() loop, callbacks in
// key.data, each read sent straight back and only what the socket did not take
// copied and queued (the connection then waits for writability instead of reading,
// until the queue is out). The comparison
// runs it beside examples/selectors_echo_server.ts, whose loop awaits selectAsync().
//
// Usage: deno run --allow-ffi bench/compare/js/iomux_echo_server.ts [--recv-into] [--once]
// Listens on 127.0.0.1, an ephemeral port, printed first.

import { DefaultSelector, EVENT_READ, EVENT_WRITE } from "../../../selectors/mod.ts";
import {
  BlockingIOError,
  IPPROTO_TCP,
  SO_REUSEADDR,
  Socket,
  SOL_SOCKET,
  TCP_NODELAY,
} from "../../../socket/mod.ts";

type Callback = (sock: Socket) => void;
const sel = new DefaultSelector<Callback>();
/** What each connection still has to send (a copy), while it has anything. */
const queued = new Map<Socket, Uint8Array>();

const accept: Callback = (listener) => {
  const [conn] = listener.accept();
  conn.setBlocking(false);
  conn.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  sel.register(conn, EVENT_READ, echo);
};

// `--recv-into`: read into one buffer allocated once (recvInto) instead of a new
// array per recv(65536), to show what the allocation costs.
const buffer = Deno.args.includes("--recv-into") ? new Uint8Array(65536) : null;
const once = Deno.args.includes("--once");

/** Sends what it can of `data`; what is left, as a view of `data`. */
function sendSome(conn: Socket, data: Uint8Array): Uint8Array | null {
  let sent = 0;
  try {
    sent = conn.send(data);
  } catch (e) {
    if (!(e instanceof BlockingIOError)) throw e;
  }
  return sent === data.length ? null : data.subarray(sent);
}

const echo: Callback = (conn) => {
  const waiting = queued.get(conn);
  if (waiting !== undefined) {
    const rest = sendSome(conn, waiting);
    if (rest !== null) return void queued.set(conn, rest);
    queued.delete(conn);
    return void sel.modify(conn, EVENT_READ, echo);
  }
  let data: Uint8Array;
  if (buffer) {
    const n = conn.recvInto(buffer);
    data = n === buffer.length ? buffer : buffer.subarray(0, n);
  } else data = conn.recv(65536);
  if (data.length === 0) {
    sel.unregister(conn);
    queued.delete(conn);
    conn.close();
    // `--once`: exit when the last client has gone (for --cpu-prof, which writes at exit).
    if (once && sel.getMap().size === 1) Deno.exit(0);
    return;
  }
  const rest = sendSome(conn, data);
  if (rest === null) return;
  // Only what the socket did not take is copied (the read buffer is reused).
  queued.set(conn, buffer ? rest.slice() : rest);
  sel.modify(conn, EVENT_WRITE, echo);
};

const listener = new Socket();
listener.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
listener.bind(["127.0.0.1", 0]);
listener.listen(128);
listener.setBlocking(false);
sel.register(listener, EVENT_READ, accept);
console.log((listener.getsockname() as [string, number])[1]);

for (;;) {
  for (const [key] of sel.select()) key.data(key.fileobj as Socket);
}
