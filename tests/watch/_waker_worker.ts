// The worker of waker_test.ts: told a waker's wake fd, waits for a go-ahead message
// and wakes it, while the main thread is blocked in select().
import process from "node:process";
import { Waker } from "../../watch/mod.ts";

interface Port {
  postMessage(message: unknown): void;
  onmessage?: ((event: { data: number }) => void) | null;
  on?(name: "message", listener: (data: number) => void): void;
}

const wake = (fd: number) => {
  Waker.wake(fd);
  port.postMessage("woke");
};
const port: Port = "Deno" in globalThis
  ? globalThis as unknown as Port
  : (process.getBuiltinModule("node:worker_threads") as { parentPort: Port }).parentPort;
if ("Deno" in globalThis) port.onmessage = (event) => wake(event.data);
else port.on!("message", wake);
port.postMessage("ready");
