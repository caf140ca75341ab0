/**
 * A netlink monitor: the kernel's routing socket (`AF_NETLINK`, `NETLINK_ROUTE`)
 * tells every listener when a link or an address comes, goes or changes. Python's
 * `socket.socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)` with `bind((0, groups))`,
 * here on a `DefaultSelector`.
 *
 *     deno run --allow-ffi examples/netlink_monitor.ts [--dump] [--once] [--timeout=SECONDS]
 *
 * Prints `listening pid=… groups=…`, then one line per message
 * (`RTM_NEWLINK lo index=1 up`, `RTM_NEWADDR lo 127.0.0.1/8`, …). `--dump` first asks
 * the kernel for every link (an `RTM_GETLINK` dump, which needs no privileges);
 * `--once` stops after the first batch of messages (after the dump's end with
 * `--dump`); `--timeout` stops after that many seconds without one.
 *
 * Linux only: nothing else has `AF_NETLINK`.
 *
 * @module
 */
import { DefaultSelector, EVENT_READ } from "../selectors/mod.ts";
import { AF_NETLINK, inetNtop, NETLINK_ROUTE, SOCK_RAW, Socket } from "../socket/mod.ts";

/** Message types and flags of `linux/netlink.h` and `linux/rtnetlink.h`. */
export const NL = {
  NLMSG_ERROR: 2,
  NLMSG_DONE: 3,
  NLM_F_REQUEST: 0x1,
  NLM_F_DUMP: 0x300,
  RTM_NEWLINK: 16,
  RTM_DELLINK: 17,
  RTM_GETLINK: 18,
  RTM_NEWADDR: 20,
  RTM_DELADDR: 21,
  RTMGRP_LINK: 0x1,
  RTMGRP_IPV4_IFADDR: 0x10,
  RTMGRP_IPV6_IFADDR: 0x100,
  IFLA_IFNAME: 3,
  IFA_ADDRESS: 1,
  IFA_LABEL: 3,
  IFF_UP: 0x1,
} as const;

/** The name of each message type this monitor prints. */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  [NL.NLMSG_ERROR]: "NLMSG_ERROR",
  [NL.NLMSG_DONE]: "NLMSG_DONE",
  [NL.RTM_NEWLINK]: "RTM_NEWLINK",
  [NL.RTM_DELLINK]: "RTM_DELLINK",
  [NL.RTM_NEWADDR]: "RTM_NEWADDR",
  [NL.RTM_DELADDR]: "RTM_DELADDR",
};

const HEADER = 16; // sizeof(struct nlmsghdr)
const IFINFOMSG = 16; // sizeof(struct ifinfomsg)
const IFADDRMSG = 8; // sizeof(struct ifaddrmsg)

/** One netlink message: `struct nlmsghdr` and what follows it. */
export interface NetlinkMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  /** The payload after the 16-byte header. */
  readonly body: Uint8Array;
}

/**
 * A dump request: `struct nlmsghdr` with `NLM_F_REQUEST | NLM_F_DUMP`, then a zeroed
 * `struct ifinfomsg` (any family).
 */
export function dumpRequest(type: number, seq: number): Uint8Array {
  const bytes = new Uint8Array(HEADER + IFINFOMSG);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, bytes.length, true);
  view.setUint16(4, type, true);
  view.setUint16(6, NL.NLM_F_REQUEST | NL.NLM_F_DUMP, true);
  view.setUint32(8, seq, true);
  return bytes;
}

const align = (n: number) => (n + 3) & ~3;

/** Splits what one `recv` returned into messages (`NLMSG_ALIGN`ed, 4 bytes). */
export function parseMessages(bytes: Uint8Array): NetlinkMessage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: NetlinkMessage[] = [];
  for (let at = 0; at + HEADER <= bytes.length;) {
    const length = view.getUint32(at, true);
    if (length < HEADER || at + length > bytes.length) break;
    messages.push({
      type: view.getUint16(at + 4, true),
      flags: view.getUint16(at + 6, true),
      seq: view.getUint32(at + 8, true),
      pid: view.getUint32(at + 12, true),
      body: bytes.subarray(at + HEADER, at + length),
    });
    at += align(length);
  }
  return messages;
}

/** The `struct rtattr` attributes after a fixed header of `skip` bytes, by type. */
function attributes(body: Uint8Array, skip: number): Map<number, Uint8Array> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const found = new Map<number, Uint8Array>();
  for (let at = skip; at + 4 <= body.length;) {
    const length = view.getUint16(at, true);
    if (length < 4 || at + length > body.length) break;
    found.set(view.getUint16(at + 2, true), body.subarray(at + 4, at + length));
    at += align(length);
  }
  return found;
}

function cString(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return "?";
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** A link message's interface index, name and `IFF_UP`. */
export function linkOf(message: NetlinkMessage): { index: number; name: string; up: boolean } {
  const view = new DataView(message.body.buffer, message.body.byteOffset);
  return {
    index: view.getInt32(4, true),
    name: cString(attributes(message.body, IFINFOMSG).get(NL.IFLA_IFNAME)),
    up: (view.getUint32(8, true) & NL.IFF_UP) !== 0,
  };
}

/** One line for a message, as the monitor prints it. */
export function describe(message: NetlinkMessage): string {
  const type = TYPE_NAMES[message.type] ?? `type=${message.type}`;
  if (message.type === NL.RTM_NEWLINK || message.type === NL.RTM_DELLINK) {
    const link = linkOf(message);
    return `${type} ${link.name} index=${link.index}${link.up ? " up" : ""}`;
  }
  if (message.type === NL.RTM_NEWADDR || message.type === NL.RTM_DELADDR) {
    const b = message.body;
    const index = new DataView(b.buffer, b.byteOffset).getUint32(4, true);
    const attrs = attributes(b, IFADDRMSG);
    const address = attrs.get(NL.IFA_ADDRESS);
    const text = address === undefined ? "?" : inetNtop(b[0]!, address);
    const label = attrs.get(NL.IFA_LABEL);
    return `${type} ${label ? cString(label) : `index=${index}`} ${text}/${b[1]}`;
  }
  if (message.type === NL.NLMSG_ERROR) {
    const errno = -new DataView(message.body.buffer, message.body.byteOffset).getInt32(0, true);
    return `${type} errno=${errno}`;
  }
  return type;
}

function option(name: string): string | undefined {
  const arg = Deno.args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : arg.slice(name.length + 3);
}

/** Runs the monitor with the command line's options. */
export function main(): void {
  const dump = option("dump") !== undefined;
  const once = option("once") !== undefined;
  const timeout = option("timeout") ? Number(option("timeout")) : null;
  const groups = NL.RTMGRP_LINK | NL.RTMGRP_IPV4_IFADDR | NL.RTMGRP_IPV6_IFADDR;
  using sock = new Socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  sock.bind([0, groups]);
  sock.setBlocking(false);
  const [pid, joined] = sock.getsockname() as [number, number];
  console.log(`listening pid=${pid} groups=0x${joined.toString(16)}`);
  if (dump) sock.sendTo(dumpRequest(NL.RTM_GETLINK, 1), [0, 0]);
  using sel = new DefaultSelector();
  sel.register(sock, EVENT_READ);
  for (;;) {
    if (sel.select(timeout).length === 0) {
      console.log("timeout");
      return;
    }
    const [bytes] = sock.recvFrom(65536);
    let done = false;
    for (const message of parseMessages(bytes)) {
      console.log(describe(message));
      done ||= message.type === NL.NLMSG_DONE || message.type === NL.NLMSG_ERROR;
    }
    if (once && (done || !dump)) return;
  }
}

if (import.meta.main) {
  if (AF_NETLINK === 0) {
    console.error("AF_NETLINK is Linux's: this system has none");
    Deno.exit(2);
  }
  main();
}
