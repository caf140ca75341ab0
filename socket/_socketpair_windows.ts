/**
 * `socket.socketpair()` where the system has none (Windows): CPython's
 * `Lib/socket.py` `_fallback_socketpair`, a loopback TCP connection through a
 * listener that is closed at once, with the check CPython added for CVE-2024-3219
 * (gh-122133): each end's address must be the other's peer, or another process
 * raced the connection in.
 *
 * @module
 */
import { BlockingIOError, ConnectionError, InterruptedError } from "../errors.ts";
import { ValueError } from "../_plain_errors.ts";
import { abi } from "../ffi/abi.ts";
import { Socket } from "./socket.ts";

const { AF_INET, AF_INET6, SOCK_STREAM } = abi.socket.constants;

/**
 * Two connected loopback TCP sockets, both blocking.
 *
 * @param family `AF_INET` or `AF_INET6`.
 * @param type `SOCK_STREAM`.
 * @param proto 0.
 * @returns `[ssock, csock]`, in CPython's order.
 */
export function loopbackSocketpair(family: number, type: number, proto: number): [Socket, Socket] {
  const host = family === AF_INET ? "127.0.0.1" : family === AF_INET6 ? "::1" : null;
  if (host === null) {
    throw new ValueError("Only AF_INET and AF_INET6 socket address families are supported");
  }
  if (type !== SOCK_STREAM) throw new ValueError("Only SOCK_STREAM socket type is supported");
  if (proto !== 0) throw new ValueError("Only protocol zero is supported");
  const lsock = new Socket(family, type, proto);
  let csock: Socket | undefined;
  let ssock: Socket | undefined;
  try {
    lsock.bind([host, 0]);
    lsock.listen();
    const [addr, port] = lsock.getsockname() as [string, number];
    csock = new Socket(family, type, proto);
    csock.setBlocking(false);
    try {
      csock.connect([addr, port]);
    } catch (e) {
      if (!(e instanceof BlockingIOError || e instanceof InterruptedError)) throw e;
    }
    csock.setBlocking(true);
    ssock = lsock.accept()[0];
    const [sHost, sPort] = ssock.getsockname() as [string, number];
    const [pHost, pPort] = csock.getpeername() as [string, number];
    const [cHost, cPort] = csock.getsockname() as [string, number];
    const [qHost, qPort] = ssock.getpeername() as [string, number];
    if (sHost !== pHost || sPort !== pPort || cHost !== qHost || cPort !== qPort) {
      throw new ConnectionError("Unexpected peer connection");
    }
    return [ssock, csock];
  } catch (e) {
    ssock?.close();
    csock?.close();
    throw e;
  } finally {
    lsock.close();
  }
}
