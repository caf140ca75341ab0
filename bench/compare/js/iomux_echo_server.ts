// The CPython selectors echo server (bench/compare/python/echo_server.py) line for line on
// iomux: a blocking DefaultSelector.select() loop, callbacks in key.data. The
// comparison runs it beside examples/selectors_echo_server.ts, whose loop awaits
// selectAsync() instead.
//
// Usage: deno run --allow-ffi bench/compare/js/iomux_echo_server.ts [--recv-into] [--once]
// Listens on 127.0.0.1, an ephemeral port, printed first.

import { DefaultSelector, EVENT_READ } from "../../../selectors/mod.ts";
import { IPPROTO_TCP, SO_REUSEADDR, Socket, SOL_SOCKET, TCP_NODELAY } from "../../../socket/mod.ts";

type Callback = (sock: Socket) => void;
const sel = new DefaultSelector<Callback>();

const accept: Callback = (listener) => {
  const [conn] = listener.accept();
  conn.setBlocking(false);
  conn.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  sel.register(conn, EVENT_READ, echo);
};

// `--recv-into`: read into one buffer allocated once (recvInto), instead of a new
// 64 KiB array per recv(65536), to show what the allocation costs.
const buffer = Deno.args.includes("--recv-into") ? new Uint8Array(65536) : null;
const once = Deno.args.includes("--once");

const echo: Callback = (conn) => {
  let data: Uint8Array;
  if (buffer) data = buffer.subarray(0, conn.recvInto(buffer));
  else data = conn.recv(65536);
  if (data.length > 0) {
    conn.send(data);
  } else {
    sel.unregister(conn);
    conn.close();
    // `--once`: exit when the last client has gone (for --cpu-prof, which writes at exit).
    if (once && sel.getMap().size === 1) Deno.exit(0);
  }
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
