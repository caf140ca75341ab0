// Run by sources_node_test.ts in a child process, where nothing but the source makes
// the loop run microtasks. argv: the source ("uv" or "koffi"). A listener that throws
// on its first call, on a pipe left readable so that the source calls it on every loop
// iteration: prints, as JSON, the call during which the error was reported as uncaught
// (1 when it is reported within the loop iteration that threw).
import process from "node:process";
import { EVENT_READ } from "../../selectors/mod.ts";
import { close, pipe, write } from "../../os/mod.ts";
import { koffiSource, uvSource } from "../../watch/_source_loop.ts";

const kind = process.argv[process.argv.length - 1];
const [r, w] = pipe();
const source = kind === "uv" ? uvSource() : koffiSource();
let calls = 0;
let reportedAt = 0;
process.on("uncaughtException", (error) => {
  if (!/listener failed on purpose/.test(String(error))) throw error;
  reportedAt ||= calls;
});
source.set(r, EVENT_READ);
source.listen(() => {
  calls++;
  if (calls === 1) throw new Error("listener failed on purpose");
  if (calls < 6) return;
  source.close();
  close(r);
  close(w);
  setImmediate(() => console.log(JSON.stringify({ calls, reportedAt })));
});
write(w, new Uint8Array([1]));
