/**
 * A line-oriented client: what you type goes to the server line by line, what the
 * server sends is printed. One `select` watches both stdin (fd 0) and the socket.
 * At end of input (Ctrl-D) it shuts its sending side down and prints what the server
 * still sends until the server closes.
 *
 * Run (against any of the example servers):
 *
 *     deno run --allow-ffi examples/line_client.ts [host] [port]
 *
 * Or non-interactively:
 *
 *     printf 'hello\nworld\n' | deno run --allow-ffi examples/line_client.ts 127.0.0.1 <port>
 *
 * Ctrl-C closes the socket and exits.
 *
 * @module
 */
import process from "node:process";
import { read, write } from "../os/mod.ts";
import { select } from "../select/mod.ts";
import { createConnection, SHUT_WR, type Socket } from "../socket/mod.ts";

const STDIN = 0;
const STDOUT = 1;

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += write(fd, bytes.subarray(offset));
}

/**
 * Copies complete lines from `input` to the server and everything the server sends
 * to `output`, until the server closes or {@linkcode LineClient.close}.
 */
export class LineClient {
  readonly sock: Socket;
  /** The fd lines are read from. */
  readonly input: number;
  /** The fd the server's bytes are written to. */
  readonly output: number;
  #inputOpen = true;
  #pending = new Uint8Array(0);
  #closed = false;

  /**
   * Connects to `host:port`.
   *
   * @param host A numeric address or "localhost".
   * @param port The server's port.
   * @param input The fd to read lines from (stdin by default).
   * @param output The fd to print to (stdout by default).
   */
  constructor(host: string, port: number, input: number = STDIN, output: number = STDOUT) {
    this.sock = createConnection([host, port]);
    this.input = input;
    this.output = output;
  }

  /**
   * One round: waits up to `timeout` seconds and moves what is ready.
   *
   * @param timeout Seconds to wait at most.
   * @returns `false` once the server has closed the connection.
   */
  step(timeout: number): boolean {
    const watched = this.#inputOpen ? [this.sock.fileno(), this.input] : [this.sock.fileno()];
    const [readable] = select(watched, [], [], timeout);
    for (const fd of readable) {
      if (fd === this.input) this.#readInput();
      else {
        const data = this.sock.recv(4096);
        if (data.length === 0) return false;
        writeAll(this.output, data);
      }
    }
    return true;
  }

  /** Runs rounds until the server closes or {@linkcode LineClient.close}. */
  async run(): Promise<void> {
    while (!this.#closed && this.step(0.25)) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.close();
  }

  /** Closes the connection. */
  close(): void {
    this.#closed = true;
    this.sock.close();
  }

  #readInput(): void {
    const data = read(this.input, 4096);
    if (data.length === 0) {
      // End of input: send a last unterminated line, then tell the server we are done.
      if (this.#pending.length > 0) this.sock.sendAll(this.#pending);
      this.#inputOpen = false;
      this.sock.shutdown(SHUT_WR);
      return;
    }
    const buffered = new Uint8Array(this.#pending.length + data.length);
    buffered.set(this.#pending);
    buffered.set(data, this.#pending.length);
    const end = buffered.lastIndexOf(10) + 1;
    if (end > 0) this.sock.sendAll(buffered.subarray(0, end));
    this.#pending = buffered.slice(end);
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const [host, port] = args.length === 1 ? ["127.0.0.1", args[0]] : args;
  if (host === undefined || port === undefined || !Number.isInteger(Number(port))) {
    console.error("usage: line_client.ts [host] port");
    process.exit(2);
  }
  const client = new LineClient(host, Number(port));
  process.on("SIGINT", () => client.close());
  await client.run();
  process.exit(0);
}
