// The worker of _workers_fixture.ts: starts a wait that nothing will end, then says
// which epoll fd (if any) its waiter blocks on. With IOMUX_TEST_WORKER_WATCH=1 in the
// environment it also has a ref'd watcher open and a stream read pending, on pipes
// nobody writes.
import process from "node:process";
import { DefaultSelector, EVENT_READ } from "../../selectors/mod.ts";
import { pipe } from "../../os/mod.ts";
import { readable, watch } from "../../watch/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { parentPort } from "../_kit/workers.ts";

const [r] = pipe();
const sel = new DefaultSelector();
sel.register(r, EVENT_READ);
void sel.selectAsync();
if (process.env.IOMUX_TEST_WORKER_WATCH === "1") {
  watch(r, EVENT_READ, () => {});
  void readable(pipe()[0]).getReader().read();
}
const { kind, ownFds } = waiterState();
const message = { epfd: kind === "epoll" ? ownFds[0] : -1 };
parentPort().post(message);
