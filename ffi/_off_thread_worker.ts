/**
 * The worker thread behind `_off_thread.ts`: binds the table's `nonblocking`
 * symbols synchronously, with buffers taken as raw addresses, and answers one
 * call per message.
 *
 * @module
 */
import { abi } from "./abi.ts";
import { symbolsFor } from "./symbols.ts";
import { builtinModule, cName, openLibc } from "./_native.ts";
import type { OffThreadBackend, OffThreadCall } from "./_off_thread.ts";
import { type NodeFfi, nodeSignature, widenArguments } from "./_node_ffi.ts";
import { type BunFfi, bunSignature } from "./_bun.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => any;

interface Port {
  on(event: "message", listener: (call: OffThreadCall) => void): void;
  postMessage(reply: { result?: unknown; error?: string }): void;
}

const { parentPort, workerData } = builtinModule<{ parentPort: Port; workerData: unknown }>(
  "node:worker_threads",
)!;
const backend = workerData as OffThreadBackend;
const bound: Record<string, AnyFunction> = {};
for (const [key, table] of Object.entries(symbolsFor(abi))) {
  if (!table.nonblocking) continue;
  const spec = {
    ...table,
    nonblocking: false,
    parameters: table.parameters.map((t) => t === "buffer" ? "pointer" as const : t),
  };
  const name = cName(key, spec);
  if (backend === "node:ffi") {
    const ffi = builtinModule<NodeFfi>("node:ffi")!;
    const { lib } = openLibc(abi, (path) => ffi.dlopen(path));
    const fn = lib.getFunction(name, nodeSignature(spec.parameters, spec.result));
    bound[key] = widenArguments(fn, spec.parameters);
  } else {
    const ffi = builtinModule<BunFfi>("bun:ffi")!;
    bound[key] = openLibc(abi, (path) => ffi.dlopen(path, bunSignature(key, spec))).symbols[name]!;
  }
}

parentPort.on("message", ({ key, args }) => {
  try {
    parentPort.postMessage({ result: bound[key]!(...args) });
  } catch (e) {
    parentPort.postMessage({ error: String(e) });
  }
});
