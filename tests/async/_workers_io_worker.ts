// The worker of workers_test.ts's in-process cases. It answers one message at a time:
// { op: "fail" }          - fails close(-1) (EBADF) and leaves errno unread;
// { op: "errno" }         - the errno that failure left, and close(-1)'s OSError code;
// { op: "waiter" }       - the fds of the Worker's own waiting thread (left open when
//                           it is terminated: no runtime runs code at terminate());
// { op: "wait", kind, fd} - checks that fd is not readable yet, says "waiting", then
//                           waits for it to turn readable in the way `kind` names
//                           (blocking or beside the Worker's event loop) and says what
//                           the wait returned.
import { libc } from "../../ffi/libc.ts";
import { close, OSError } from "../../os/mod.ts";
import { epoll, EPOLLIN, poll, POLLIN, select } from "../../select/mod.ts";
import { DefaultSelector, EVENT_READ } from "../../selectors/mod.ts";
import { readable, watch } from "../../watch/mod.ts";
import { waiterState } from "../../_wait/waiter.ts";
import { parentPort } from "../_kit/workers.ts";

interface Request {
  op: "fail" | "errno" | "waiter" | "wait";
  kind?: string;
  fd?: number;
}

const LONG_S = 60;
const BLOCKING = new Set(["select", "poll", "epoll", "selector"]);

/** Each kind of wait: resolves with what it returned, once `fd` is readable. */
const waits: Record<string, (fd: number) => unknown> = {
  select: (fd) => select([fd], [], [], LONG_S)[0],
  poll: (fd) => {
    const p = poll();
    p.register(fd, POLLIN);
    return p.poll(LONG_S * 1000);
  },
  epoll: (fd) => {
    using ep = epoll();
    ep.register(fd, EPOLLIN);
    return ep.poll(LONG_S);
  },
  selector: (fd) => {
    using sel = new DefaultSelector();
    sel.register(fd, EVENT_READ);
    return sel.select(LONG_S).map(([key, events]) => [key.fd, events]);
  },
  selectAsync: async (fd) => {
    using sel = new DefaultSelector();
    sel.register(fd, EVENT_READ);
    return (await sel.selectAsync(LONG_S)).map(([key, events]) => [key.fd, events]);
  },
  pollAsync: (fd) => {
    const p = poll();
    p.register(fd, POLLIN);
    return p.pollAsync(LONG_S * 1000);
  },
  epollAsync: async (fd) => {
    using ep = epoll();
    ep.register(fd, EPOLLIN);
    return await ep.pollAsync(LONG_S);
  },
  watch: (fd) =>
    new Promise((resolve) => {
      const watcher = watch(fd, EVENT_READ, (events) => {
        watcher.close();
        resolve(events);
      });
    }),
  readable: async (fd) => {
    // The stream reads the byte itself; the main thread has nothing to drain.
    const reader = readable(fd).getReader();
    const { value } = await reader.read();
    await reader.cancel();
    return [...value!];
  },
};

const port = parentPort();
port.onMessage(async (message) => {
  const request = message as Request;
  const c = libc();
  if (request.op === "fail") {
    port.post(c.close(-1));
  } else if (request.op === "errno") {
    const errno = c.errno();
    let code = "";
    try {
      close(-1);
    } catch (error) {
      code = error instanceof OSError ? String(error.code) : String(error);
    }
    port.post({ errno, code });
  } else if (request.op === "waiter") {
    port.post(waiterState().ownFds);
  } else {
    const fd = request.fd!;
    const readyBefore = select([fd], [], [], 0)[0].length;
    const wait = waits[request.kind!]!;
    if (BLOCKING.has(request.kind!)) {
      // The wait blocks this thread right after the message is posted.
      port.post({ waiting: true, readyBefore });
      port.post({ result: wait(fd) });
    } else {
      const pending = wait(fd);
      port.post({ waiting: true, readyBefore });
      port.post({ result: await pending });
    }
  }
});
port.post("ready");
