/**
 * The small projects `scripts/test_package.ts` builds around the packed package:
 * what a new user writes first, in JavaScript, CommonJS and TypeScript.
 *
 * @module
 */

/**
 * An app that waits for real: a sync `select`, then `selectAsync` and `pollAsync`
 * on a pipe that a timer makes readable, then an errno-picked error. Prints `ok`
 * and exits 0 only when every answer is right.
 */
export const APP_JS = `import { DefaultSelector, EVENT_READ } from "iomux/selectors";
import { poll, POLLIN, select } from "iomux/select";
import { close, pipe, read, write } from "iomux/os";
import { BlockingIOError, OSError } from "iomux";

const [r, w] = pipe();
const [, writable] = select([r], [w], [], 0);
const sel = new DefaultSelector();
sel.register(r, EVENT_READ, "pipe");
setTimeout(() => write(w, new Uint8Array([7])), 20);
const ready = await sel.selectAsync(30);
const p = poll();
p.register(r, POLLIN);
const polled = await p.pollAsync(30000);
const byte = read(r, 1)[0];
sel.close();
close(r);
close(w);
const picked = new OSError(11, "Resource temporarily unavailable") instanceof BlockingIOError;
const answer = [writable.length, ready.length, ready[0]?.[0].data, polled.length, byte, picked];
if (JSON.stringify(answer) !== JSON.stringify([1, 1, "pipe", 1, 7, true])) {
  throw new Error("wrong answers: " + JSON.stringify(answer));
}
console.log("ok");
`;

/** `require()` of the ES module package (Node 20.19+). */
export const REQUIRE_CJS = `const { select } = require("iomux/select");
const { pipe, close } = require("iomux/os");
const [r, w] = pipe();
const [, writable] = select([r], [w], [], 0);
close(r);
close(w);
if (writable.length !== 1) throw new Error("select did not see the pipe writable");
console.log("ok");
`;

/** A typed user of every entry point, strict as TypeScript's own `tsc --init`. */
export const APP_TS =
  `import { DefaultSelector, EVENT_READ, type SelectorKey } from "iomux/selectors";
import { BlockingIOError, OSError } from "iomux";
import { close, pipe, write } from "iomux/os";
import { epoll, POLLIN } from "iomux/select";
import { Socket } from "iomux/socket";

const [r, w] = pipe();
const sel = new DefaultSelector<string>();
sel.register(r, EVENT_READ, "pipe");
write(w, new Uint8Array([1]));
const ready: [SelectorKey<string>, number][] = await sel.selectAsync(1, {});
const ep = epoll();
ep[Symbol.dispose]();
const s: Socket = new Socket();
s.close();
const e: OSError = new OSError(11, "x");
export const answer: [number, boolean, number] = [ready.length, e instanceof BlockingIOError, POLLIN];
sel.close();
close(r);
close(w);
`;

/**
 * A tsconfig with nothing but the language: no DOM lib, no \`@types/node\`, every
 * library declaration checked (\`skipLibCheck: false\`). \`lib\` and \`types\` vary.
 */
export function tsconfig(lib: string[], types: string[]): string {
  return JSON.stringify(
    {
      compilerOptions: {
        target: "es2022",
        lib,
        types,
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ["app.ts"],
    },
    null,
    2,
  );
}
