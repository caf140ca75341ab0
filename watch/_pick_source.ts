/**
 * Which {@linkcode ReadinessSource} the hub uses: the runtime's fast source where
 * its prerequisites load, else the portable {@linkcode SelectorSource}.
 * `IOMUX_WATCH_SOURCE=selector|uv|koffi` forces one (for tests and benchmarks); a
 * forced source that cannot load is an error, never a silent fallback.
 *
 * - `uv`: Node with the `node:ffi` backend, `uv_poll_t` through `node:ffi`;
 * - `koffi`: Node with the koffi backend, `koffi.node.poll`.
 *
 * @module
 */
import { environmentVariable } from "../ffi/_native.ts";
import { libc } from "../ffi/libc.ts";
import { type ReadinessSource, SelectorSource } from "./_source.ts";
import { uvSource } from "./_source_uv.ts";
import { koffiSource } from "./_source_koffi.ts";

/** The sources there are. */
export type SourceKind = "selector" | "uv" | "koffi";

const OPENERS: Readonly<Record<SourceKind, () => ReadinessSource>> = {
  selector: () => new SelectorSource(),
  uv: uvSource,
  koffi: koffiSource,
};

/** The source forced by `IOMUX_WATCH_SOURCE`, if any; throws on an unknown name. */
export function forcedSource(): SourceKind | undefined {
  const name = environmentVariable("IOMUX_WATCH_SOURCE");
  if (name === undefined || name === "") return undefined;
  if (!Object.hasOwn(OPENERS, name)) {
    throw new Error(`iomux: IOMUX_WATCH_SOURCE=${name}: expected one of ${Object.keys(OPENERS)}`);
  }
  return name as SourceKind;
}

/** The runtime's own fast source, by the FFI backend libc was loaded with. */
function nativeSource(): SourceKind {
  switch (libc().backend) {
    case "node:ffi":
      return "uv";
    case "koffi":
      return "koffi";
    default:
      return "selector";
  }
}

let picked: SourceKind | undefined;

/**
 * The kind of source {@linkcode pickSource} gives: the forced one, else (after its
 * first call) the one it gave, else the runtime's own.
 */
export function sourceKind(): SourceKind {
  return forcedSource() ?? picked ?? nativeSource();
}

/** A new source for the hub. */
export function pickSource(): ReadinessSource {
  const forced = forcedSource();
  // Forced is read at each call: a benchmark compares sources in one process.
  const kind = forced ?? picked ?? nativeSource();
  try {
    const source = OPENERS[kind]();
    picked = kind;
    return source;
  } catch (error) {
    if (forced !== undefined) throw error;
    // The fast source's prerequisites did not load (koffi without node.poll, say).
    picked = "selector";
    return new SelectorSource();
  }
}
