// Every number the socket entry point exports against python3's socket module on this
// machine: the same value for each name python3 has, and no name of the groups iomux
// covers (families, types, options, levels, flags, netlink, IP, IPv6, TCP) left out.
// Names python3 lacks are 0 here, or were added to CPython after python3's version.
// Where python3 is missing the comparison skips; the tables themselves are checked
// against the C headers by scripts/check_abi_socket.ts (tests/ffi/abi_socket_test.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi } from "../../ffi/abi.ts";
import * as socket from "../../socket/mod.ts";
import { hasPython, pythonJson } from "../_kit/python.ts";

const skip = !hasPython("import socket") && "python3 is not installed";

/** What python3 says: its version and every upper-case integer of its socket module. */
interface PySocket {
  version: [number, number];
  platform: string;
  names: Record<string, number>;
}

const PY = `
import json, socket, sys
names = {n: int(getattr(socket, n)) for n in dir(socket)
         if n.isupper() and isinstance(getattr(socket, n), int)}
print(json.dumps({"version": list(sys.version_info[:2]), "platform": sys.platform,
                  "names": names}))
`;

/** Names CPython added after 3.11, with the version (Doc/library/socket.rst). */
const ADDED: Readonly<Record<string, [number, number]>> = {
  SO_BINDTOIFINDEX: [3, 13],
  IP_PKTINFO: [3, 12],
  IP_UNBLOCK_SOURCE: [3, 12],
  IP_BLOCK_SOURCE: [3, 12],
  IP_ADD_SOURCE_MEMBERSHIP: [3, 12],
  IP_DROP_SOURCE_MEMBERSHIP: [3, 12],
  ...Object.fromEntries(
    [
      "MD5SIG",
      "THIN_LINEAR_TIMEOUTS",
      "THIN_DUPACK",
      "REPAIR",
      "REPAIR_QUEUE",
      "QUEUE_SEQ",
      "REPAIR_OPTIONS",
      "TIMESTAMP",
      "CC_INFO",
      "SAVE_SYN",
      "SAVED_SYN",
      "REPAIR_WINDOW",
      "FASTOPEN_CONNECT",
      "ULP",
      "MD5SIG_EXT",
      "FASTOPEN_KEY",
      "FASTOPEN_NO_COOKIE",
      "ZEROCOPY_RECEIVE",
      "INQ",
      "TX_DELAY",
    ].map((n) => [`TCP_${n}`, [3, 12] as [number, number]]),
  ),
};

/** The groups iomux covers: every python3 name that matches must be exported. */
const COVERED =
  /^(AF_(UNSPEC|UNIX|INET6?|NETLINK)|SOCK_|SO_|SOL_|SCM_|MSG_|SHUT_|SOMAXCONN$|NETLINK_|IPPROTO_|IPPORT_|INADDR_|IP_|IPV6_|TCP_)/;
/** Names of those groups that belong to families iomux does not model, and why. */
const FAMILY_SPECIFIC =
  /^(SO_VM_|SO_J1939_|SCM_J1939_|SOL_(ALG|CAN_BASE|CAN_RAW|TIPC|RDS)$|SOL_(AX25|ATALK|NETROM|ROSE|IPX|HCI|L2CAP|RFCOMM|SCO|BLUETOOTH)$)/;

function exported(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(socket).filter(([n, v]) => /^[A-Z][A-Z0-9_]+$/.test(n) && typeof v === "number"),
  ) as Record<string, number>;
}

describe("socket constants against python3", { skip }, () => {
  const py = skip ? undefined : pythonJson<PySocket>(PY);
  const onLinux = abi.os === "linux";

  it("each name python3 has holds python3's value", () => {
    const ours = exported();
    const differ = Object.entries(ours)
      .filter(([n, v]) => n in py!.names && py!.names[n] !== v)
      .map(([n, v]) => `${n}: iomux ${v}, python3 ${py!.names[n]}`);
    assert.deepEqual(differ, []);
    const compared = Object.keys(ours).filter((n) => n in py!.names).length;
    assert.ok(compared > 150, `${compared} names compared`);
  });

  it("names python3 lacks are 0, or newer than python3", () => {
    const odd = Object.entries(exported())
      .filter(([n, v]) => !(n in py!.names) && v !== 0)
      .filter(([n]) => {
        const added = ADDED[n];
        return added === undefined || !(py!.version[0] === 3 && py!.version[1] < added[1]);
      })
      .map(([n, v]) => `${n} = ${v}`);
    assert.deepEqual(odd, []);
  });

  it(
    "no name of the covered groups is missing",
    { skip: !onLinux && "the groups are Linux's" },
    () => {
      const ours = exported();
      const missing = Object.keys(py!.names)
        .filter((n) => COVERED.test(n) && !FAMILY_SPECIFIC.test(n) && !(n in ours));
      assert.deepEqual(missing, []);
    },
  );

  it("netlink: AF_NETLINK and each NETLINK_* protocol as python3 has them", {
    skip: !onLinux && "AF_NETLINK is Linux's",
  }, () => {
    const netlink = Object.keys(py!.names).filter((n) => n.startsWith("NETLINK_"));
    assert.ok(netlink.length >= 8, netlink.join());
    for (const n of ["AF_NETLINK", ...netlink]) {
      assert.equal((socket as unknown as Record<string, number>)[n], py!.names[n], n);
    }
  });
});

describe("socket constants without python3", () => {
  it("a platform without netlink has AF_NETLINK 0 and no sockaddr_nl", () => {
    if (abi.socket.sockaddrNl === null) {
      assert.equal(socket.AF_NETLINK, 0);
      assert.equal(socket.NETLINK_ROUTE, 0);
    } else {
      assert.equal(abi.os, "linux");
      assert.notEqual(socket.AF_NETLINK, 0);
      assert.deepEqual(abi.socket.sockaddrNl, { size: 12, pid: 4, groups: 8 });
    }
  });

  it("CPython's fallbacks hold where the headers have none", () => {
    assert.equal(socket.SOL_UDP, 17);
    assert.equal(socket.IPPORT_RESERVED, 1024);
    assert.equal(socket.IPPORT_USERRESERVED, 5000);
    assert.equal(socket.INADDR_ALLHOSTS_GROUP, 0xe0000001);
  });
});
