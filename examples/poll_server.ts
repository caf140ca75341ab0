/**
 * A line echo server on `select.poll`: each complete line a client sends comes back
 * to it; the line `bye` makes the server answer `bye` and hang up. Sockets are
 * non-blocking; a client is registered for `POLLOUT` only while it has output queued.
 *
 * The wait is `Poll.pollAsync`, which runs off the JS thread: timers and signal
 * handlers keep running while the server waits, and an `AbortSignal` ends the wait.
 *
 * Run:
 *
 *     deno run --allow-ffi examples/poll_server.ts [host] [port]
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
import { type Poll, poll, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from "../select/mod.ts";
import { BlockingIOError, createServer, OSError, type Socket } from "../socket/mod.ts";

interface Connection {
  readonly sock: Socket;
  partial: Uint8Array;
  outbox: Uint8Array;
  /** Close once the outbox is empty (after `bye`). */
  closing: boolean;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A poll-based line echo server; {@linkcode LineEchoServer.serve} runs it until closed. */
export class LineEchoServer {
  readonly listener: Socket;
  readonly poller: Poll = poll();
  readonly connections: Map<number, Connection> = new Map();
  #stop = new AbortController();

  /**
   * Listens on `host:port` (port 0 picks a free port).
   *
   * @param host A numeric address, "" or "localhost".
   * @param port The port.
   */
  constructor(host = "127.0.0.1", port = 0) {
    this.listener = createServer([host, port]);
    this.listener.setBlocking(false);
    this.poller.register(this.listener, POLLIN);
  }

  /** The `[host, port]` the server listens on. */
  get address(): [string, number] {
    return this.listener.getsockname() as [string, number];
  }

  /** Serves until {@linkcode LineEchoServer.close}. */
  async serve(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      let events: [number, number][];
      try {
        events = await this.poller.pollAsync(null, { signal: this.#stop.signal });
      } catch (e) {
        if (this.#stop.signal.aborted) return;
        throw e;
      }
      for (const [fd, revents] of events) this.#handle(fd, revents);
    }
  }

  /** Ends the wait and closes every connection and the listener. */
  close(): void {
    this.#stop.abort();
    for (const connection of this.connections.values()) connection.sock.close();
    this.connections.clear();
    this.listener.close();
  }

  #handle(fd: number, revents: number): void {
    if (fd === this.listener.fileno()) return this.#accept();
    const connection = this.connections.get(fd);
    if (connection === undefined) return; // Dropped earlier in this batch.
    if (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) this.#read(connection);
    if (this.connections.has(fd) && revents & POLLOUT) this.#flush(connection);
  }

  #accept(): void {
    let sock: Socket;
    try {
      [sock] = this.listener.accept();
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      throw e;
    }
    sock.setBlocking(false);
    const connection = {
      sock,
      partial: new Uint8Array(0),
      outbox: new Uint8Array(0),
      closing: false,
    };
    this.connections.set(sock.fileno(), connection);
    this.poller.register(sock, POLLIN);
  }

  #read(connection: Connection): void {
    let data: Uint8Array;
    try {
      data = connection.sock.recv(4096);
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      if (e instanceof OSError) return this.#drop(connection);
      throw e;
    }
    if (data.length === 0) {
      // End of the client's input: answer an unterminated last line too, then hang up
      // once everything queued has been sent.
      connection.outbox = concat(connection.outbox, connection.partial);
      connection.partial = new Uint8Array(0);
      connection.closing = true;
      return this.#flush(connection);
    }
    const buffered = concat(connection.partial, data);
    const end = buffered.lastIndexOf(10) + 1;
    connection.partial = buffered.slice(end);
    if (end === 0) return;
    const lines = new TextDecoder().decode(buffered.subarray(0, end)).split("\n").slice(0, -1);
    const bye = lines.findIndex((line) => line.trim() === "bye");
    const answered = bye < 0 ? lines : lines.slice(0, bye + 1);
    connection.outbox = concat(
      connection.outbox,
      new TextEncoder().encode(answered.map((line) => line + "\n").join("")),
    );
    if (bye >= 0) {
      connection.closing = true;
      connection.partial = new Uint8Array(0);
    }
    this.#flush(connection);
  }

  #flush(connection: Connection): void {
    try {
      if (connection.outbox.length > 0) {
        const sent = connection.sock.send(connection.outbox);
        connection.outbox = connection.outbox.subarray(sent);
      }
    } catch (e) {
      if (!(e instanceof BlockingIOError)) {
        if (e instanceof OSError) return this.#drop(connection);
        throw e;
      }
    }
    if (connection.outbox.length === 0 && connection.closing) return this.#drop(connection);
    const mask = connection.closing
      ? POLLOUT
      : POLLIN | (connection.outbox.length > 0 ? POLLOUT : 0);
    this.poller.modify(connection.sock, mask);
  }

  #drop(connection: Connection): void {
    this.connections.delete(connection.sock.fileno());
    this.poller.unregister(connection.sock);
    connection.sock.close();
  }
}

if (import.meta.main) {
  const [host = "127.0.0.1", port = "0"] = process.argv.slice(2);
  const server = new LineEchoServer(host, Number(port));
  const [boundHost, boundPort] = server.address;
  console.log(`line echo server on ${boundHost}:${boundPort} (Ctrl-C to stop)`);
  process.on("SIGINT", () => {
    console.log(`\nclosing ${server.connections.size} connection(s) and the listener`);
    server.close();
  });
  await server.serve();
  process.exit(0);
}
