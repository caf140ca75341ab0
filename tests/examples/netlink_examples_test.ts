// examples/netlink_monitor.ts run as a user runs it: the dump mode lists this machine's
// links without privileges; the monitor mode, as root in a network namespace of its
// own (unshare -n), sees the loopback link come up and its addresses appear when
// `ip link set lo up` runs in that namespace (nsenter). Linux only.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { abi } from "../../ffi/abi.ts";

const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
const monitor = fileURLToPath(new URL("../../examples/netlink_monitor.ts", import.meta.url));
const skip = !deno
  ? "the examples are Deno scripts"
  : abi.os !== "linux" && "AF_NETLINK exists on Linux only";

/** Why a private network namespace cannot be had here, or `false`. */
function namespaceSkip(): string | false {
  if (process.getuid?.() !== 0) return "needs root (a network namespace and ip link set)";
  for (const tool of ["unshare", "nsenter", "ip"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
      return `${tool} is not installed (Debian: util-linux, iproute2)`;
    }
  }
  if (spawnSync("unshare", ["-n", "true"]).status !== 0) {
    return "unshare -n is refused here (no CAP_SYS_ADMIN in this container)";
  }
  return false;
}

describe("netlink_monitor example", { skip }, () => {
  it("--dump --once lists the links, lo first, and ends with NLMSG_DONE", () => {
    const run = spawnSync(deno!.execPath(), ["run", "--allow-ffi", monitor, "--dump", "--once"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.match(lines[0]!, /^listening pid=\d+ groups=0x111$/);
    assert.match(lines[1]!, /^RTM_NEWLINK lo index=1 up$/);
    assert.equal(lines.at(-1), "NLMSG_DONE");
  });

  it("in a fresh namespace, sees lo come up and get its addresses", async (t) => {
    const why = namespaceSkip();
    if (why) return t.skip(why);
    const child = spawn("unshare", [
      "-n",
      deno!.execPath(),
      "run",
      "--allow-ffi",
      monitor,
      "--timeout=120",
    ], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let errors = "";
    let raised: Promise<void> | undefined;
    child.stderr!.on("data", (chunk: Buffer) => errors += chunk);
    const exited = new Promise((resolve) => child.on("close", resolve));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      // unshare execs deno: the child's pid is the monitor's, in the new namespace.
      if (out.includes("listening") && raised === undefined) {
        raised = new Promise((resolve, reject) =>
          execFile(
            "nsenter",
            ["-t", String(child.pid), "-n", "ip", "link", "set", "lo", "up"],
            (e) => e ? reject(e) : resolve(),
          )
        );
      }
      if (out.includes("RTM_NEWLINK lo") && out.includes("RTM_NEWADDR lo 127.0.0.1/8")) {
        child.kill("SIGTERM");
      }
    });
    await exited;
    assert.ok(raised, `the monitor never started: ${errors}`);
    await raised;
    assert.match(out, /^RTM_NEWLINK lo index=1 up$/m);
    assert.match(out, /^RTM_NEWADDR lo 127\.0\.0\.1\/8$/m);
    assert.doesNotMatch(out, /timeout/);
  });
});
