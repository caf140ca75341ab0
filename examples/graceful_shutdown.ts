/**
 * An echo server on watchers (`addReader`/`watch`, asyncio's way) that shuts down
 * gracefully on SIGINT or SIGTERM: the signal aborts one `AbortController`, which
 * closes every watcher; then the sockets are closed and the process exits by itself,
 * since nothing is left to keep it alive.
 *
 * A blocking `select()` loop could not do this: while `select()` waits, the JS
 * thread runs no timers and no signal listeners (Python would raise
 * `KeyboardInterrupt` from the wait; JavaScript has no such thing).
 *
 *     deno run --allow-ffi examples/graceful_shutdown.ts [port]
 *     node examples/graceful_shutdown.js [port]   (from the npm build)
 *
 * It prints `listening <port>` once it accepts connections, and `shut down` at the end.
 *
 * @module
 */
import process from "node:process";
import { BlockingIOError } from "../errors.ts";
import { EVENT_READ, EVENT_WRITE, watch, type Watcher } from "../watch/mod.ts";
import { createServer, type Socket } from "../socket/mod.ts";

/** Runs `onSignal` once on SIGINT or SIGTERM: Deno's listener API, or Node's and Bun's. */
function onShutdownSignal(onSignal: (name: string) => void): void {
  const signals = ["SIGINT", "SIGTERM"] as const;
  const deno = (globalThis as {
    Deno?: { addSignalListener(name: string, listener: () => void): void };
  }).Deno;
  for (const name of signals) {
    if (deno !== undefined) deno.addSignalListener(name, () => onSignal(name));
    else process.once(name, () => onSignal(name));
  }
}

/** An echo server: the port it listens on, and a Promise of its end. */
export interface EchoServer {
  readonly port: number;
  /** Resolves once the signal aborted and every socket is closed. */
  readonly stopped: Promise<void>;
}

/** Serves on 127.0.0.1:`port` (0: any free port) until `signal` aborts. */
export function serveEcho(port: number, signal: AbortSignal): EchoServer {
  const server = createServer(["127.0.0.1", port]);
  server.setBlocking(false);
  const clients = new Set<Socket>();
  const { promise, resolve } = deferred<void>();

  const acceptor = watch(server, EVENT_READ, () => {
    let client: Socket;
    try {
      [client] = server.accept();
    } catch (error) {
      if (error instanceof BlockingIOError) return;
      throw error;
    }
    client.setBlocking(false);
    clients.add(client);
    let pending: Uint8Array = new Uint8Array(0);
    const watcher: Watcher = watch(client, EVENT_READ, (events) => {
      if (events & EVENT_READ) {
        const data = client.recv(65536);
        if (data.length === 0) return drop();
        pending = concat(pending, data);
      }
      if (pending.length > 0) {
        const sent = client.send(pending);
        pending = pending.subarray(sent);
      }
      // Wait for room only while something is left to send.
      watcher.modify(pending.length > 0 ? EVENT_READ | EVENT_WRITE : EVENT_READ);
    }, { signal });
    const drop = () => {
      watcher.close();
      clients.delete(client);
      client.close();
    };
    signal.addEventListener("abort", drop, { once: true });
  }, { signal });

  signal.addEventListener("abort", () => {
    acceptor.close();
    server.close();
    resolve();
  }, { once: true });
  const [, bound] = server.getsockname() as [string, number];
  return { port: bound, stopped: promise };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((yes) => resolve = yes);
  return { promise, resolve };
}

if (import.meta.main || process.argv[1]?.endsWith("graceful_shutdown.js")) {
  const argv = "Deno" in globalThis ? Deno.args : process.argv.slice(2);
  const controller = new AbortController();
  onShutdownSignal((name) => {
    console.log(`got ${name}`);
    controller.abort();
  });
  const { port, stopped } = serveEcho(Number(argv[0] ?? 0), controller.signal);
  console.log(`listening ${port}`);
  void stopped.then(() => {
    console.log("shut down");
    // Deno's signal listeners keep the process alive (Node's once() listeners are
    // gone by now); everything else is closed, so leave.
    if ("Deno" in globalThis) Deno.exit(0);
  });
}
