// An echo server on Deno's own sockets (`Deno.listen`, Tokio underneath): the
// baseline iomux's selectors echo server is compared against.
//
// Usage: deno run --allow-net bench/compare/js/deno_listen_echo.ts
// Listens on 127.0.0.1, an ephemeral port, printed first.

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
console.log((listener.addr as Deno.NetAddr).port);

async function serve(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
  const buffer = new Uint8Array(65536);
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      let sent = 0;
      while (sent < n) sent += await conn.write(buffer.subarray(sent, n));
    }
  } finally {
    conn.close();
  }
}

for await (const conn of listener) serve(conn);
