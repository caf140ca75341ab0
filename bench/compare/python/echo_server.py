"""CPython's selectors echo server, as the selectors documentation writes it.

Usage: python3 echo_server.py   (listens on 127.0.0.1, an ephemeral port, printed first)
"""

import selectors
import socket

sel = selectors.DefaultSelector()


def accept(listener):
    conn, _ = listener.accept()
    conn.setblocking(False)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sel.register(conn, selectors.EVENT_READ, echo)


def echo(conn):
    data = conn.recv(65536)
    if data:
        conn.send(data)
    else:
        sel.unregister(conn)
        conn.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(128)
listener.setblocking(False)
sel.register(listener, selectors.EVENT_READ, accept)
print(listener.getsockname()[1], flush=True)

while True:
    for key, _ in sel.select():
        key.data(key.fileobj)
