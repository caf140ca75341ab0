/**
 * Watching a directory with Linux's inotify: the kernel hands out an fd that turns
 * readable when files change, which no runtime's own API exposes. libc's
 * `inotify_init1` and `inotify_add_watch` are two calls of your own (`Deno.dlopen`
 * here); everything else — waiting beside the event loop, reading the fd — is
 * iomux.
 *
 *     deno run --allow-ffi examples/inotify_watch.ts /some/directory [seconds]
 *
 * Prints one line per event (`create notes.txt`, `close_write notes.txt`, …) until
 * the time is up (default 10 s).
 *
 * @module
 */
import { close, read } from "../os/mod.ts";
import { DefaultSelector, EVENT_READ } from "../selectors/mod.ts";
import { OSError } from "../errors.ts";

/** `<sys/inotify.h>` (Linux, every architecture). */
export const IN = {
  MODIFY: 0x2,
  CLOSE_WRITE: 0x8,
  MOVED_FROM: 0x40,
  MOVED_TO: 0x80,
  CREATE: 0x100,
  DELETE: 0x200,
  NONBLOCK: 0o4000,
  CLOEXEC: 0o2000000,
} as const;

/** One `struct inotify_event`, decoded. */
export interface InotifyEvent {
  readonly wd: number;
  readonly mask: number;
  readonly cookie: number;
  readonly name: string;
}

/** The names of the bits set in `mask`, lower-case (`["create"]`). */
export function maskNames(mask: number): string[] {
  return Object.entries(IN).filter(([n, bit]) => n !== "NONBLOCK" && n !== "CLOEXEC" && mask & bit)
    .map(([n]) => n.toLowerCase());
}

/** Decodes a buffer of `struct inotify_event {int wd; u32 mask, cookie, len; char name[len];}`. */
export function decodeEvents(bytes: Uint8Array): InotifyEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: InotifyEvent[] = [];
  for (let at = 0; at + 16 <= bytes.length;) {
    const len = view.getUint32(at + 12, true);
    const raw = bytes.subarray(at + 16, at + 16 + len);
    const end = raw.indexOf(0);
    events.push({
      wd: view.getInt32(at, true),
      mask: view.getUint32(at + 4, true),
      cookie: view.getUint32(at + 8, true),
      name: new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end)),
    });
    at += 16 + len;
  }
  return events;
}

/** An inotify fd watching `directory`; `close()` ends it. */
export class DirectoryWatch {
  readonly fd: number;
  #libc = Deno.dlopen("libc.so.6", {
    inotify_init1: { parameters: ["i32"], result: "i32" },
    inotify_add_watch: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  });

  constructor(
    directory: string,
    mask: number = IN.CREATE | IN.CLOSE_WRITE | IN.DELETE | IN.MOVED_TO,
  ) {
    this.fd = this.#libc.symbols.inotify_init1(IN.NONBLOCK | IN.CLOEXEC);
    if (this.fd < 0) throw new OSError("inotify_init1 failed");
    const path = new TextEncoder().encode(directory + "\0");
    if (this.#libc.symbols.inotify_add_watch(this.fd, path, mask) < 0) {
      this.close();
      throw new OSError(`inotify_add_watch failed for ${directory}`);
    }
  }

  /** Waits up to `seconds` for events; resolves with them (empty on timeout). */
  async next(seconds: number | null = null): Promise<InotifyEvent[]> {
    using sel = new DefaultSelector();
    sel.register(this.fd, EVENT_READ);
    if ((await sel.selectAsync(seconds)).length === 0) return [];
    // One read returns whole events only; 64 KiB holds hundreds.
    return decodeEvents(read(this.fd, 65536));
  }

  close(): void {
    close(this.fd);
    this.#libc.close();
  }
}

if (import.meta.main) {
  const [directory = ".", seconds = "10"] = Deno.args;
  const watch = new DirectoryWatch(directory);
  const deadline = performance.now() + Number(seconds) * 1000;
  try {
    console.log(`watching ${directory}`);
    for (let left = Number(seconds); left > 0; left = (deadline - performance.now()) / 1000) {
      for (const event of await watch.next(left)) {
        console.log(`${maskNames(event.mask).join(",")} ${event.name}`);
      }
    }
  } finally {
    watch.close();
  }
}
