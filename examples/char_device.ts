/**
 * Reading a character device (a serial port, a sensor) with `selectAsync`, while the
 * rest of the program keeps running: a ticker prints every 250 ms even though the
 * device is being waited on.
 *
 * Run here, with a simulated device (a FIFO fed by a child process that prints a
 * reading every 150 ms, the way a serial sensor would):
 *
 *     deno run --allow-ffi --allow-write --allow-run examples/char_device.ts
 *
 * Point it at real hardware by passing the device path:
 *
 *   - A USB serial adapter: set the line up first (with `stty`, or in code with
 *     `./termios` as `examples/serial_port.ts` does), then read it (your user must be
 *     in the `dialout` group, or use sudo):
 *
 *         stty -F /dev/ttyUSB0 115200 raw -echo
 *         deno run --allow-ffi examples/char_device.ts /dev/ttyUSB0
 *
 *   - Any other readable character device works the same way (`/dev/urandom`,
 *     `/dev/input/event0` for key presses, `/dev/hidraw0`).
 *
 *   - GPIO: the legacy sysfs interface signals an edge with `POLLPRI`, which
 *     selectors do not wait for: after `echo both > /sys/class/gpio/gpio17/edge`,
 *     register `/sys/class/gpio/gpio17/value` with `poll().register(fd, POLLPRI |
 *     POLLERR)` and `await p.pollAsync()`. A `/dev/gpiochipN` line needs the
 *     `GPIO_V2_GET_LINE_IOCTL` ioctl to obtain a pollable line fd: `ioctl` from
 *     `./fcntl` with a `struct gpio_v2_line_request` buffer, which the kernel fills
 *     in with the line fd; then read it as below.
 *
 * Stops after 5 s or at end of file (the simulated device ends after six readings).
 *
 * @module
 */
import { close, O_NOCTTY, O_NONBLOCK, O_RDONLY, open, read } from "../os/mod.ts";
import { type BaseSelector, DefaultSelector, EVENT_READ, PollSelector } from "../selectors/mod.ts";
import { PermissionError } from "../errors.ts";

const decoder = new TextDecoder();

/** A FIFO standing in for a device; its writer is started once it is open. */
function makeFifo(): { path: string; cleanup: () => void } {
  const dir = Deno.makeTempDirSync({ prefix: "iomux-chardev-" });
  const path = `${dir}/ttySIM0`;
  if (!new Deno.Command("mkfifo", { args: [path] }).outputSync().success) {
    throw new Error("mkfifo failed");
  }
  return { path, cleanup: () => Deno.removeSync(dir, { recursive: true }) };
}

const given = Deno.args[0];
const fifo = given === undefined ? makeFifo() : null;
const path = given ?? fifo!.path;

// O_NONBLOCK: opening a FIFO (or a tty with no carrier) does not wait, and a read
// never blocks the event loop; O_NOCTTY: a terminal does not become ours.
const fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
// The simulated sensor: six readings, 150 ms apart, then it hangs up.
const writer = fifo === null ? null : new Deno.Command("sh", {
  args: ["-c", 'for i in 1 2 3 4 5 6; do echo "temp=2$i.5C"; sleep 0.15; done > "$0"', path],
}).spawn();

let ticks = 0;
const ticker = setInterval(() => console.log(`  tick ${++ticks} (event loop is free)`), 250);
let selector: BaseSelector = new DefaultSelector();
try {
  selector.register(fd, EVENT_READ);
} catch (error) {
  // epoll refuses files the kernel cannot wait on (/dev/null, /dev/urandom on some
  // kernels), as in CPython; poll(2) reports them always ready instead.
  if (!(error instanceof PermissionError)) throw error;
  selector.close();
  selector = new PollSelector();
  selector.register(fd, EVENT_READ);
}
const stop = AbortSignal.timeout(5000);
let pending = "";
try {
  reading: for (;;) {
    const events = await selector.selectAsync(null, { signal: stop });
    for (const [key] of events) {
      const chunk = read(key.fd, 4096);
      // A FIFO reports end of file once its writer has gone; a tty never does.
      if (chunk.length === 0) break reading;
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) console.log(`${path}: ${line}`);
      // A device that sends no newlines (/dev/urandom): show what came, keep nothing.
      if (pending.length > 200) {
        console.log(`${path}: ${JSON.stringify(pending.slice(0, 40))}… (${pending.length} chars)`);
        pending = "";
      }
    }
  }
} catch (error) {
  if (!stop.aborted) throw error;
  console.log("stopped after 5 s");
} finally {
  clearInterval(ticker);
  selector.close();
  close(fd);
  await writer?.status;
  fifo?.cleanup();
}
