/**
 * A chat server on `select.select`: every line a client sends is broadcast to all the
 * other clients, prefixed with the sender's address. Every socket is non-blocking;
 * one `select` call per round says which ones can read or write.
 *
 * Run:
 *
 *     deno run --allow-ffi examples/select_chat_server.ts [host] [port]
 *
 * (host defaults to 127.0.0.1, port to a free one; the port is printed). Then, in two
 * or more other terminals:
 *
 *     deno run --allow-ffi examples/line_client.ts 127.0.0.1 <port>
 *
 * Ctrl-C closes every socket and exits.
 *
 * `select` blocks the JS thread while it waits, so the loop waits at most 0.25 s at a
 * time and yields to the event loop between rounds: that is when the SIGINT handler
 * runs. (`examples/poll_server.ts` shows `pollAsync`, which needs no such slicing.)
 *
 * @module
 */
import process from "node:process";
import { select } from "../select/mod.ts";
import { BlockingIOError, createServer, OSError, type Socket } from "../socket/mod.ts";

const encoder = new TextEncoder();

interface Client {
  readonly name: string;
  /** Bytes received after the last newline. */
  partial: Uint8Array;
  /** Bytes waiting to be sent to this client. */
  outbox: Uint8Array;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A select-based chat server; {@linkcode ChatServer.serve} runs it until closed. */
export class ChatServer {
  readonly listener: Socket;
  readonly clients: Map<Socket, Client> = new Map();
  #closed = false;

  /**
   * Listens on `host:port` (port 0 picks a free port).
   *
   * @param host A numeric address, "" or "localhost".
   * @param port The port.
   */
  constructor(host = "127.0.0.1", port = 0) {
    this.listener = createServer([host, port]);
    this.listener.setBlocking(false);
  }

  /** The `[host, port]` the server listens on. */
  get address(): [string, number] {
    return this.listener.getsockname() as [string, number];
  }

  /**
   * One round: waits up to `timeout` seconds, then accepts, reads and writes whatever
   * is ready.
   *
   * @param timeout Seconds to wait at most.
   */
  step(timeout: number): void {
    const readers = [this.listener, ...this.clients.keys()];
    const writers = [...this.clients].filter(([, c]) => c.outbox.length > 0).map(([s]) => s);
    const [readable, writable] = select(readers, writers, [], timeout);
    for (const sock of readable) {
      if (sock === this.listener) this.#accept();
      else this.#read(sock);
    }
    for (const sock of writable) {
      if (this.clients.has(sock)) this.#flush(sock);
    }
  }

  /** Runs rounds until {@linkcode ChatServer.close}, letting the event loop in between. */
  async serve(): Promise<void> {
    while (!this.#closed) {
      this.step(0.25);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Closes every client and the listener. */
  close(): void {
    this.#closed = true;
    for (const sock of this.clients.keys()) sock.close();
    this.clients.clear();
    this.listener.close();
  }

  #accept(): void {
    let conn: Socket, address;
    try {
      [conn, address] = this.listener.accept();
    } catch (e) {
      if (e instanceof BlockingIOError) return; // Another round took it (or it left).
      throw e;
    }
    conn.setBlocking(false);
    const [host, port] = address as [string, number];
    const name = `${host}:${port}`;
    this.clients.set(conn, { name, partial: new Uint8Array(0), outbox: new Uint8Array(0) });
    this.#broadcast(null, encoder.encode(`* ${name} joined (${this.clients.size} online)\n`));
  }

  #read(sock: Socket): void {
    const client = this.clients.get(sock)!;
    let data: Uint8Array;
    try {
      data = sock.recv(4096);
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      if (e instanceof OSError) return this.#drop(sock); // ECONNRESET and the like.
      throw e;
    }
    if (data.length === 0) return this.#drop(sock);
    const buffered = concat(client.partial, data);
    const end = buffered.lastIndexOf(10) + 1; // up to and including the last "\n"
    client.partial = buffered.slice(end);
    if (end === 0) return;
    const lines = new TextDecoder().decode(buffered.subarray(0, end)).split("\n").slice(0, -1);
    const text = lines.map((line) => `[${client.name}] ${line}\n`).join("");
    this.#broadcast(sock, encoder.encode(text));
  }

  #flush(sock: Socket): void {
    const client = this.clients.get(sock)!;
    try {
      const sent = sock.send(client.outbox);
      client.outbox = client.outbox.subarray(sent);
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      if (e instanceof OSError) return this.#drop(sock); // BrokenPipeError and the like.
      throw e;
    }
  }

  #broadcast(from: Socket | null, bytes: Uint8Array): void {
    for (const [sock, client] of this.clients) {
      if (sock !== from) client.outbox = concat(client.outbox, bytes);
    }
  }

  #drop(sock: Socket): void {
    const client = this.clients.get(sock)!;
    this.clients.delete(sock);
    sock.close();
    this.#broadcast(null, encoder.encode(`* ${client.name} left (${this.clients.size} online)\n`));
  }
}

if (import.meta.main) {
  const [host = "127.0.0.1", port = "0"] = process.argv.slice(2);
  const server = new ChatServer(host, Number(port));
  const [boundHost, boundPort] = server.address;
  console.log(`chat server on ${boundHost}:${boundPort} (Ctrl-C to stop)`);
  process.on("SIGINT", () => {
    console.log(`\nclosing ${server.clients.size} client(s) and the listener`);
    server.close();
  });
  await server.serve();
  process.exit(0);
}
