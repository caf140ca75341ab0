/**
 * The echo server of Python's `selectors` documentation, with the callback for each
 * socket kept in `key.data`: `accept` for the listener, `read` (and `write` while
 * output is queued) for each connection. Whatever a client sends comes back to it.
 *
 * The loop waits with `selectAsync`, so the event loop keeps running: this file can be
 * imported and the server run beside other code in the same process (see
 * {@linkcode startEchoServer}).
 *
 * Run:
 *
 *     deno run --allow-ffi examples/selectors_echo_server.ts [host] [port]
 *
 * (host defaults to 127.0.0.1, port to a free one; the port is printed). Then:
 *
 *     deno run --allow-ffi examples/line_client.ts 127.0.0.1 <port>
 *
 * Ctrl-C closes every socket and exits.
 *
 * @module
 */
import process from "node:process";
import { DefaultSelector, EVENT_READ, EVENT_WRITE } from "../selectors/mod.ts";
import { BlockingIOError, createServer, OSError, type Socket } from "../socket/mod.ts";

/** What `key.data` holds: the function that handles readiness of `key.fileobj`. */
type Callback = (sock: Socket, mask: number) => void;

/** A running echo server. */
export interface EchoServer {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on (the chosen one when 0 was asked for). */
  readonly port: number;
  /** How many clients are connected now. */
  readonly connections: number;
  /** Stops the loop and closes every socket; idempotent. */
  close(): void;
  /** Settles when the loop has ended (after `close()`), rejects if it failed. */
  readonly done: Promise<void>;
}

/** Options of {@linkcode startEchoServer}. */
export interface EchoServerOptions {
  /** A numeric address, "" or "localhost"; 127.0.0.1 by default. */
  host?: string;
  /** The port; 0 (default) picks a free one. */
  port?: number;
}

/**
 * Starts the echo server and returns at once; the server runs on the event loop.
 * A client in the same process must not block the thread while it waits for the
 * echo (the server could not run): wait with a selector's `selectAsync`, or run the
 * client in another process.
 *
 * @param options `host` and `port`.
 * @returns The running server.
 */
export function startEchoServer(options: EchoServerOptions = {}): EchoServer {
  const sel = new DefaultSelector<Callback>();
  const listener = createServer([options.host ?? "127.0.0.1", options.port ?? 0], {
    backlog: 100,
  });
  listener.setBlocking(false);
  const outboxes = new Map<Socket, Uint8Array>();
  // One read buffer for every connection: each read is sent straight from it, and
  // only what the socket did not take is copied, into that connection's outbox.
  const buffer = new Uint8Array(65536);
  const NOTHING = new Uint8Array(0);
  let closed = false;

  const drop = (conn: Socket): void => {
    sel.unregister(conn);
    outboxes.delete(conn);
    conn.close();
  };

  const accept: Callback = (sock) => {
    let conn: Socket;
    try {
      [conn] = sock.accept();
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      throw e;
    }
    conn.setBlocking(false);
    outboxes.set(conn, NOTHING);
    sel.register(conn, EVENT_READ, echo);
  };

  /** Sends `data`; what the socket does not take now is returned (a view of `data`). */
  const sendSome = (conn: Socket, data: Uint8Array): Uint8Array => {
    try {
      const sent = conn.send(data);
      return sent === data.length ? NOTHING : data.subarray(sent);
    } catch (e) {
      if (e instanceof BlockingIOError) return data;
      throw e;
    }
  };

  // Reads what arrived and sends it back; queues whatever the socket does not take.
  const echo: Callback = (conn, mask) => {
    const before = outboxes.get(conn)!;
    let outbox = before;
    try {
      if (outbox.length > 0) outbox = sendSome(conn, outbox);
      if (mask & EVENT_READ) {
        const n = conn.recvInto(buffer);
        if (n === 0) return drop(conn);
        const data = buffer.subarray(0, n);
        if (outbox.length === 0) {
          // The usual case: nothing queued, so the read goes straight out.
          const rest = sendSome(conn, data);
          outbox = rest.length === 0 ? NOTHING : rest.slice();
        } else {
          // Earlier bytes still wait: these go behind them.
          const queued = new Uint8Array(outbox.length + n);
          queued.set(outbox);
          queued.set(data, outbox.length);
          outbox = queued;
        }
      }
    } catch (e) {
      if (e instanceof OSError && !(e instanceof BlockingIOError)) return drop(conn);
      if (!(e instanceof BlockingIOError)) throw e;
    }
    if (outbox === before) return;
    outboxes.set(conn, outbox);
    // Watch for writability only while something waits to be sent.
    if ((before.length > 0) !== (outbox.length > 0)) {
      sel.modify(conn, EVENT_READ | (outbox.length > 0 ? EVENT_WRITE : 0), echo);
    }
  };

  sel.register(listener, EVENT_READ, accept);
  const [host, port] = listener.getsockname() as [string, number];

  const loop = async (): Promise<void> => {
    while (!closed) {
      // close() ends a pending wait with [].
      for (const [key, mask] of await sel.selectAsync()) {
        if (closed) break;
        key.data(key.fileobj as Socket, mask);
      }
    }
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const conn of outboxes.keys()) conn.close();
    outboxes.clear();
    sel.close();
    listener.close();
  };

  return {
    host,
    port,
    get connections() {
      return outboxes.size;
    },
    close,
    done: loop(),
  };
}

if (import.meta.main) {
  const [host = "127.0.0.1", port = "0"] = process.argv.slice(2);
  const server = startEchoServer({ host, port: Number(port) });
  console.log(`echo server on ${server.host}:${server.port} (Ctrl-C to stop)`);
  process.on("SIGINT", () => {
    console.log(`\nclosing ${server.connections} connection(s) and the listener`);
    server.close();
  });
  await server.done;
  process.exit(0);
}
