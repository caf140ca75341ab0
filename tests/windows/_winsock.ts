/**
 * Loopback TCP sockets made with Winsock directly (`libc()` on Windows), for the
 * Windows suites: they need sockets, because Windows `select()` and `WSAPoll` watch
 * nothing else. Each helper asserts the call it makes.
 */
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import { libc } from "../../ffi/libc.ts";

/** Why a Windows-only suite does not run here, or `false` on Windows. */
export const NOT_WINDOWS: string | false = abi.os === "windows"
  ? false
  : "Winsock only: run under scripts/wine.sh";

const { AF_INET, SOCK_STREAM, IPPROTO_TCP } = abi.socket.constants;

/** `struct sockaddr_in` for 127.0.0.1:`port`. */
function loopback(port: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, AF_INET, true);
  v.setUint16(2, port, false);
  b.set([127, 0, 0, 1], 4);
  return b;
}

/** A new TCP socket. */
export function tcpSocket(): number {
  const s = libc().socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  assert.ok(s >= 0, `socket() failed: ${libc().errno()}`);
  return s;
}

/** Makes `s` non-blocking with `ioctlsocket(FIONBIO)`. */
export function nonBlocking(s: number): void {
  assert.equal(libc().ioctlsocket!(s, abi.winsock!.FIONBIO, new Uint32Array([1])), 0);
}

/** The port `s` is bound to. */
export function portOf(s: number): number {
  const name = new Uint8Array(16);
  assert.equal(libc().getsockname(s, name, new Int32Array([16])), 0);
  return new DataView(name.buffer).getUint16(2, false);
}

/** A listener on 127.0.0.1, any port. */
export function listener(): number {
  const s = tcpSocket();
  assert.equal(libc().bind(s, loopback(0), 16), 0);
  assert.equal(libc().listen(s, 16), 0);
  return s;
}

/** A connected pair `[client, server]`, both blocking; the listener is closed. */
export function tcpPair(): [number, number] {
  const l = listener();
  const c = tcpSocket();
  assert.equal(libc().connect(c, loopback(portOf(l)), 16), 0);
  const a = libc().accept(l, null, null);
  assert.ok(a >= 0, `accept() failed: ${libc().errno()}`);
  closeSocket(l);
  return [c, a];
}

/** A non-blocking connect to a port nothing listens on: it will be refused. */
export function refusedConnect(): number {
  const dead = tcpSocket();
  assert.equal(libc().bind(dead, loopback(0), 16), 0);
  const port = portOf(dead);
  closeSocket(dead);
  const c = tcpSocket();
  nonBlocking(c);
  const rc = libc().connect(c, loopback(port), 16);
  assert.ok(rc === 0 || libc().errno() === abi.winsock!.WSAEWOULDBLOCK, `connect: ${rc}`);
  return c;
}

/** Sends `n` bytes on `s`. */
export function sendBytes(s: number, n = 1): void {
  assert.equal(libc().send(s, new Uint8Array(n), n, 0), n);
}

/** `closesocket(s)`, asserted. */
export function closeSocket(s: number): void {
  assert.equal(libc().closesocket!(s), 0);
}
