// An echo server on Node's own sockets (`node:net`, libuv underneath): the Node
// baseline beside Deno.listen. Each chunk that arrives is written straight back.
//
// Usage: node bench/compare/js/node_net_echo.mjs
// Listens on 127.0.0.1, an ephemeral port, printed first.

import net from "node:net";

const server = net.createServer({ noDelay: true }, (conn) => {
  conn.on("data", (chunk) => conn.write(chunk));
  conn.on("error", () => conn.destroy());
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
