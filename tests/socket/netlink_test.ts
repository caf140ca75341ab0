// AF_NETLINK sockets against the real kernel: addresses as Python's (pid, groups), a
// multicast group joined through bind, and an RTM_GETLINK dump read through a
// selector, with python3 (when installed) doing the same and raising the same errors
// for bad addresses (Modules/socketmodule.c getsockaddrarg, makesockaddr). Linux only.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import { dup } from "../../os/mod.ts";
import { DefaultSelector, EVENT_READ } from "../../selectors/mod.ts";
import { AF_NETLINK, NETLINK_ROUTE, SOCK_DGRAM, SOCK_RAW, Socket } from "../../socket/mod.ts";
import { dumpRequest, linkOf, NL, parseMessages } from "../../examples/netlink_monitor.ts";
import { leakFree } from "../_kit/fds.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";

const skip = abi.socket.sockaddrNl === null && "AF_NETLINK exists on Linux only";
const noPython = !hasPython("import socket; socket.AF_NETLINK") &&
  "python3 with AF_NETLINK is not installed";

function routeSocket(): Socket {
  return new Socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
}

/** The link names of an RTM_GETLINK dump, read through a selector until NLMSG_DONE. */
function dumpLinks(sock: Socket): string[] {
  assert.equal(sock.sendTo(dumpRequest(NL.RTM_GETLINK, 7), [0, 0]), 32);
  using sel = new DefaultSelector();
  sel.register(sock, EVENT_READ);
  const names: string[] = [];
  for (;;) {
    // A bound for a kernel that never answers, not a timing assertion.
    assert.notEqual(sel.select(30).length, 0, "the kernel answered the dump");
    const [bytes, sender] = sock.recvFrom(65536);
    assert.deepEqual(sender, [0, 0], "the kernel sends from pid 0, no group");
    for (const message of parseMessages(bytes)) {
      assert.equal(message.seq, 7);
      if (message.type === NL.NLMSG_DONE) return names;
      assert.equal(message.type, NL.RTM_NEWLINK);
      names.push(linkOf(message).name);
    }
  }
}

const PY_DUMP = `
import json, selectors, socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
s.sendto(struct.pack("=IHHII", 32, 18, 0x301, 7, 0) + bytes(16), (0, 0))
sel = selectors.DefaultSelector()
sel.register(s, selectors.EVENT_READ)
names = []
done = False
while not done:
    assert sel.select(30)
    data, sender = s.recvfrom(65536)
    at = 0
    while at + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, at)
        if kind == 3:
            done = True
            break
        a = at + 32
        while a + 4 <= at + length:
            alen, atype = struct.unpack_from("=HH", data, a)
            if atype == 3:
                names.append(data[a + 4:a + alen].split(b"\\0")[0].decode())
            a += (alen + 3) & ~3
        at += (length + 3) & ~3
print(json.dumps({"names": names, "sender": list(sender)}))
`;

/** Bad and odd addresses: for each, what bind() on a fresh socket does. */
const CASES: unknown[] = [
  [1],
  "x",
  null,
  [0],
  [0, 0, 0],
  ["a", 0],
  [0, "b"],
  [1.5, 0],
  [null, 0],
  [-3, 0],
  [2 ** 33 - 4, 0],
];

const PY_CASES = `
import json, socket, sys
out = []
for case in json.loads(sys.argv[1]):
    if isinstance(case, list):
        case = tuple(case)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    try:
        s.bind(case)
        out.append(["ok", list(s.getsockname())])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
    finally:
        s.close()
print(json.dumps(out))
`;

function bindOutcome(address: unknown): [string, unknown] {
  using sock = routeSocket();
  try {
    sock.bind(address as [number, number]);
    return ["ok", sock.getsockname()];
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
}

describe("AF_NETLINK sockets", { skip }, () => {
  it(
    "bind([0, 0]) lets the kernel pick the pid; getsockname() gives [pid, 0]",
    leakFree(() => {
      using sock = routeSocket();
      assert.equal(sock.family, AF_NETLINK);
      assert.deepEqual(sock.getsockname(), [0, 0], "unbound: pid 0");
      sock.bind([0, 0]);
      const [pid, groups] = sock.getsockname() as [number, number];
      assert.ok(Number.isInteger(pid) && pid !== 0, `pid ${pid}`);
      assert.equal(groups, 0);
      assert.deepEqual(sock.getpeername(), [0, 0], "the default peer is the kernel");
      assert.match(
        String(sock),
        new RegExp(
          `^<socket\\.socket fd=\\d+, family=${AF_NETLINK}, type=${SOCK_RAW}, proto=0, ` +
            `laddr=\\(${pid}, 0\\), raddr=\\(0, 0\\)>$`,
        ),
      );
    }),
  );

  it(
    "joins RTMGRP_LINK through bind's groups",
    leakFree(() => {
      using sock = routeSocket();
      sock.bind([0, NL.RTMGRP_LINK | NL.RTMGRP_IPV4_IFADDR]);
      const [pid, groups] = sock.getsockname() as [number, number];
      assert.notEqual(pid, 0);
      assert.equal(groups, NL.RTMGRP_LINK | NL.RTMGRP_IPV4_IFADDR);
    }),
  );

  it(
    "an RTM_GETLINK dump sent with sendTo(buf, [0, 0]) and read on a selector names lo",
    leakFree(() => {
      using sock = routeSocket();
      sock.bind([0, 0]);
      sock.setBlocking(false);
      const names = dumpLinks(sock);
      assert.ok(names.includes("lo"), `links: ${names.join(", ")}`);
    }),
  );

  it("the dump lists the same links as python3's", { skip: noPython }, () => {
    using sock = routeSocket();
    sock.bind([0, 0]);
    const ours = dumpLinks(sock);
    const theirs = pythonJson<{ names: string[]; sender: number[] }>(PY_DUMP);
    assert.deepEqual(theirs.sender, [0, 0]);
    assert.deepEqual(ours.toSorted(), theirs.names.toSorted());
  });

  it("bad addresses raise CPython's errors, word for word", { skip: noPython }, () => {
    const theirs = pythonJson<[string, unknown][]>(PY_CASES, [JSON.stringify(CASES)]);
    const ours = CASES.map(bindOutcome);
    assert.deepEqual(ours, theirs);
    // The cases above, spelled out: Python's "II" masks to 32 bits and never checks range.
    assert.deepEqual(ours[0], ["TypeError", "AF_NETLINK address must be a pair (pid, groups)"]);
    assert.deepEqual(ours[1], ["TypeError", "bind(): AF_NETLINK address must be tuple, not str"]);
    assert.deepEqual(ours[9], ["ok", [2 ** 32 - 3, 0]]);
    assert.deepEqual(ours[10], ["ok", [2 ** 32 - 4, 0]]);
  });

  it(
    "connect() and sendTo() name the caller in the message; BigInt parts are masked too",
    leakFree(() => {
      using sock = routeSocket();
      assert.throws(() => sock.connect("x" as never), {
        name: "TypeError",
        message: "connect(): AF_NETLINK address must be tuple, not str",
      });
      assert.throws(() => sock.sendTo(new Uint8Array(16), 5 as never), {
        name: "TypeError",
        message: "sendto(): AF_NETLINK address must be tuple, not int",
      });
      sock.bind([-5n, 2n ** 32n] as never);
      assert.deepEqual(sock.getsockname(), [2 ** 32 - 5, 0]);
    }),
  );

  it(
    "a datagram netlink socket works the same; a wrapped fd reports AF_NETLINK",
    leakFree(() => {
      using sock = new Socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
      sock.bind([0, 0]);
      const [pid] = sock.getsockname() as [number, number];
      using again = new Socket(undefined, undefined, undefined, dup(sock.fileno()));
      assert.equal(again.family, AF_NETLINK);
      assert.equal(again.type, SOCK_DGRAM);
      assert.equal(again.proto, NETLINK_ROUTE);
      assert.deepEqual(again.getsockname(), [pid, 0]);
    }),
  );

  it(
    "a netlink address on an IPv4 socket is an IPv4 error, as in CPython",
    leakFree(() => {
      using sock = new Socket();
      assert.throws(() => sock.bind([0, 0] as never), {
        name: "TypeError",
        message: "str, bytes or bytearray expected, not int",
      });
    }),
  );
});
