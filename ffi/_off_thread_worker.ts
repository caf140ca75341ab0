/**
 * The worker thread behind `_off_thread.ts`: each backend binds the table's
 * `nonblocking` symbols synchronously (`offThreadSymbols` of `_node_ffi.ts`,
 * `_bun.ts`, `_koffi.ts`), and the worker answers one call per message.
 *
 * @module
 */
import { abi } from "./abi.ts";
import { builtinModule } from "./_native.ts";
import type {
  OffThreadBackend,
  OffThreadCall,
  OffThreadReply,
  OffThreadSymbols,
} from "./_off_thread.ts";
import { offThreadSymbols as nodeFfiSymbols } from "./_node_ffi.ts";
import { offThreadSymbols as bunSymbols } from "./_bun.ts";
import { offThreadSymbols as koffiSymbols } from "./_koffi.ts";

interface Port {
  on(event: "message", listener: (call: OffThreadCall) => void): void;
  postMessage(reply: OffThreadReply): void;
}

const { parentPort, workerData } = builtinModule<{ parentPort: Port; workerData: unknown }>(
  "node:worker_threads",
)!;
const binders: Readonly<Record<OffThreadBackend, OffThreadSymbols>> = {
  "node:ffi": nodeFfiSymbols,
  "bun:ffi": bunSymbols,
  koffi: koffiSymbols,
};
const bound = binders[workerData as OffThreadBackend](abi);

parentPort.on("message", ({ key, args }) => {
  try {
    const result = bound[key]!(...args);
    const buffers = args.filter((a): a is Uint8Array => a instanceof Uint8Array);
    parentPort.postMessage(buffers.length > 0 ? { result, buffers } : { result });
  } catch (e) {
    parentPort.postMessage({ error: String(e) });
  }
});
