/**
 * Helpers the socket suites share: a connected TCP trio on loopback, closing many
 * sockets at once, and errno numbers by name from the ABI table.
 *
 * @module
 */
import { abi } from "../../ffi/abi.ts";
import { AF_INET, Socket } from "../../socket/mod.ts";

/** The errno number of `name` (`"EADDRINUSE"`) in this platform's table. */
export const errnoOf = (name: string): number =>
  Number(Object.entries(abi.errnoNames).find(([, n]) => n === name)![0]);

/** A listening TCP server, a client connected to it and the accepted peer. */
export function tcpTrio(family = AF_INET, host = "127.0.0.1"): [Socket, Socket, Socket] {
  const server = new Socket(family);
  server.bind([host, 0]);
  server.listen();
  const client = new Socket(family);
  client.connect(server.getsockname());
  const [conn] = server.accept();
  return [server, client, conn];
}

/** Closes every socket given. */
export function closeAll(...socks: Socket[]): void {
  for (const s of socks) s.close();
}
