/**
 * A serial port at a chosen speed, in raw mode: the setup `stty -F /dev/ttyUSB0
 * 115200 raw -echo` does, made with `termios`, then a line protocol spoken with
 * `selectAsync` (here: send one command, print each reply line, stop after a quiet
 * second).
 *
 *     deno run --allow-ffi examples/serial_port.ts /dev/ttyUSB0 115200 "AT"
 *
 * Your user needs access to the device (the `dialout` group on most Linux systems).
 * Without hardware, make a linked pair of ptys and talk to the other end:
 *
 *     socat -d -d pty,raw,echo=0,link=/tmp/ttyA pty,raw,echo=0,link=/tmp/ttyB &
 *     deno run --allow-ffi examples/serial_port.ts /tmp/ttyA 115200 hello
 *     # and in another terminal: cat /tmp/ttyB, or echo pong > /tmp/ttyB
 *
 * @module
 */
import { close, O_NOCTTY, O_NONBLOCK, O_RDWR, open, read, write } from "../os/mod.ts";
import { DefaultSelector, EVENT_READ } from "../selectors/mod.ts";
import * as termios from "../termios/mod.ts";

/** The `B*` constant for a speed in bits per second. */
export function baudConstant(bitsPerSecond: number): number {
  const value = (termios as unknown as Record<string, unknown>)[`B${bitsPerSecond}`];
  if (typeof value !== "number") throw new RangeError(`no such speed: ${bitsPerSecond}`);
  return value;
}

/**
 * Opens `path` as a serial line: non-blocking (a port with no carrier does not
 * hang the open), not our controlling terminal, raw 8N1 at `bitsPerSecond`, no
 * hardware flow control, modem lines ignored.
 */
export function openSerial(path: string, bitsPerSecond: number): number {
  const fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
  try {
    const attrs = termios.tcgetattr(fd);
    termios.cfmakeraw(attrs);
    attrs[2] &= ~(termios.CSTOPB | termios.CRTSCTS);
    attrs[2] |= termios.CLOCAL | termios.CREAD;
    attrs[4] = attrs[5] = baudConstant(bitsPerSecond);
    termios.tcsetattr(fd, termios.TCSANOW, attrs);
    termios.tcflush(fd, termios.TCIOFLUSH);
    return fd;
  } catch (e) {
    close(fd);
    throw e;
  }
}

/** Sends `command` and a newline, then collects reply lines until `quietSeconds` pass silently. */
export async function converse(fd: number, command: string, quietSeconds = 1): Promise<string[]> {
  const line = new TextEncoder().encode(command + "\n");
  for (let sent = 0; sent < line.length;) sent += write(fd, line.subarray(sent));
  termios.tcdrain(fd);
  using sel = new DefaultSelector();
  sel.register(fd, EVENT_READ);
  const decoder = new TextDecoder();
  let pending = "";
  const lines: string[] = [];
  while ((await sel.selectAsync(quietSeconds)).length > 0) {
    pending += decoder.decode(read(fd, 4096), { stream: true });
    const parts = pending.split(/\r?\n/);
    pending = parts.pop()!;
    lines.push(...parts);
  }
  if (pending.length > 0) lines.push(pending);
  return lines;
}

if (import.meta.main) {
  const [path, speed = "115200", command = "AT"] = Deno.args;
  if (path === undefined) {
    console.error("usage: serial_port.ts DEVICE [SPEED] [COMMAND]");
    Deno.exit(2);
  }
  const fd = openSerial(path, Number(speed));
  try {
    const [, , , , ispeed, ospeed] = termios.tcgetattr(fd);
    console.log(`${path}: raw, ${speed} baud (speed codes ${ispeed}/${ospeed})`);
    for (const reply of await converse(fd, command)) console.log(`< ${reply}`);
  } finally {
    close(fd);
  }
}
