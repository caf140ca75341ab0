// The worker of waker_test.ts: told a waker's wake fd, waits for a go-ahead message
// and wakes it, while the main thread is blocked in select().
import { Waker } from "../../watch/mod.ts";
import { parentPort } from "../_kit/workers.ts";

const port = parentPort();
port.onMessage((fd) => {
  Waker.wake(fd as number);
  port.post("woke");
});
port.post("ready");
