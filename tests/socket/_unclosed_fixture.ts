// Run by unclosed_test.ts in a child process, so that its stderr holds only what
// the finalizers printed. It drops three bound sockets, an Epoll and an EpollSelector
// (with a pipe registered) without close(), collects garbage until their fds are
// closed, and prints what it saw as JSON on stdout.
//
// With the argument "loop" it instead makes and drops 1,000 sockets under a soft
// fd limit the parent set low (ulimit -n), collecting every 32: without the
// finalizers the loop fails with EMFILE.
import { Socket } from "../../socket/mod.ts";
import { Epoll } from "../../select/mod.ts";
import { EpollSelector, EVENT_READ } from "../../selectors/mod.ts";
import { close, pipe } from "../../os/mod.ts";
import { collectUntil, isOpen } from "../_kit/collect.ts";
import process from "node:process";

function dropSocket(): { fd: number; repr: string } {
  const s = new Socket();
  s.bind(["127.0.0.1", 0]);
  return { fd: s.fileno(), repr: s.toString() };
}

function dropEpoll(): number {
  return new Epoll().fileno();
}

function dropSelector(registered: number): number {
  const sel = new EpollSelector();
  sel.register(registered, EVENT_READ);
  return sel.fileno();
}

if (process.argv.includes("loop")) {
  let made = 0;
  try {
    for (; made < 1000; made++) {
      new Socket();
      if (made % 32 === 31) await collectUntil(() => true);
    }
    console.log(JSON.stringify({ made }));
  } catch (e) {
    console.log(JSON.stringify({ made, error: String(e) }));
  }
} else {
  const [r, w] = pipe();
  const sockets = [dropSocket(), dropSocket(), dropSocket()];
  const epollFd = dropEpoll();
  const selectorFd = dropSelector(r);
  // Bun (JavaScriptCore) may keep one object alive past any number of collections
  // (with 1.4, the first socket of a run): the parent allows that there only.
  const closed = await collectUntil(() =>
    sockets.filter((socket) => isOpen(socket.fd)).length <= ("Bun" in globalThis ? 1 : 0) &&
    !isOpen(epollFd) && !isOpen(selectorFd)
  );
  console.log(JSON.stringify({
    closed,
    sockets: sockets.map(({ fd, repr }) => ({ repr, open: isOpen(fd) })),
    epollOpen: isOpen(epollFd),
    selectorOpen: isOpen(selectorFd),
    registeredOpen: isOpen(r) && isOpen(w),
  }));
  close(r);
  close(w);
}
