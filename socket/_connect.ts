/**
 * How a `Socket` takes or makes a connection: `accept` (CPython's
 * `Modules/socketmodule.c` `sock_accept`, with `accept4` where there is one) and
 * `connect`/`connect_ex` (`internal_connect`, which waits for the connection after
 * EINTR rather than retrying it, and waits under a timeout after EINPROGRESS).
 * Functions called by `Socket`'s methods, as `_msg.ts`'s are, so that `socket.ts`
 * holds the methods and their one-call fast paths.
 *
 * @module
 */
import { TimeoutError } from "../errors.ts";
import { abi } from "../ffi/abi.ts";
import { libc } from "../ffi/libc.ts";
import { type Address, type AddressLike, decodeAddress, encodeAddress } from "./_address.ts";
import {
  adoptNewFd,
  awaitConnect,
  deadlineAfter,
  scratchAddress,
  scratchLength,
  socketCall,
  WINDOWS,
} from "./_syscall.ts";
import type { SocketBase } from "./socket_base.ts";

const { SOCK_CLOEXEC } = abi.socket.constants;
const { EINTR, EAGAIN, EINPROGRESS } = abi.errno;

/**
 * `sock_accept`: one accepted connection of `listener`, as a new blocking,
 * close-on-exec socket made by `Sock` with the listener's family, type and protocol.
 */
export function accept<S extends SocketBase>(
  listener: SocketBase,
  Sock: new (family: number, type: number, proto: number, fileno: number) => S,
): [S, Address] {
  const c = libc();
  const fd = listener.fileno();
  const accept4 = c.accept4;
  const newFd = socketCall(fd, listener.gettimeout(), false, () => {
    scratchLength[0] = scratchAddress.length;
    return accept4 !== null
      ? accept4(fd, scratchAddress, scratchLength, SOCK_CLOEXEC)
      : c.accept(fd, scratchAddress, scratchLength);
  });
  const address = decodeAddress(scratchAddress, scratchLength[0]!) ?? "";
  adoptNewFd(newFd, accept4 !== null);
  const sock = new Sock(listener.family, listener.type, listener.proto, newFd);
  // BSD accept() hands a non-blocking listener's O_NONBLOCK on; Linux does not.
  // Windows hands on the listener's FIONBIO and cannot be asked: set it outright.
  if (WINDOWS || !sock.getBlocking()) sock.setBlocking(true);
  return [sock, address];
}

/**
 * `internal_connect`: connects `sock` to `address` and returns the errno, 0 when
 * connected (`connect` raises it, `connect_ex` returns it); `caller` names the
 * method in the address's errors.
 */
export function internalConnect(sock: SocketBase, address: AddressLike, caller: string): number {
  const c = libc();
  const length = encodeAddress(sock.family, address, caller, scratchAddress);
  if (c.connect(sock.fileno(), scratchAddress, length) === 0) return 0;
  const errno = c.errno();
  // Retrying connect() after EINTR fails with EALREADY: CPython waits instead.
  const timeout = sock.gettimeout();
  if (errno === EINTR && timeout !== 0) {
    return awaitConnect(sock.fileno(), timeout === null ? null : deadlineAfter(timeout));
  }
  // With a timeout the fd is non-blocking: wait for the connection as CPython does.
  if (errno === EINPROGRESS && timeout) {
    try {
      return awaitConnect(sock.fileno(), deadlineAfter(timeout));
    } catch (e) {
      if (caller === "connect_ex" && e instanceof TimeoutError) return EAGAIN;
      throw e;
    }
  }
  return errno;
}
