// examples/pty_relay.ts: a child on a pty, driven through the relay's two pipeTo()
// calls from pipes of the test's own (a MiB each way, byte-exact, with the child's
// exit code), and the example run as a script with piped stdin and stdout.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { relayPty } from "../../examples/pty_relay.ts";
import { close, pipe, spawnPty, waitpid, waitstatusToExitcode, write } from "../../os/mod.ts";
import { ECHO, ICANON, tcgetattr } from "../../termios/mod.ts";
import { readable, writable } from "../../watch/mod.ts";
import { loopLeakFree } from "../_kit/loop.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";
import { randomBytes, watchLeakFree } from "../watch/_watch_kit.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads `reader` until `text` has arrived; returns everything read. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  text: string,
): Promise<string> {
  let got = "";
  while (!got.includes(text)) {
    const { value, done } = await reader.read();
    assert.equal(done, false, `the output ended before ${JSON.stringify(text)}: ${got}`);
    got += decoder.decode(value, { stream: true });
  }
  return got;
}

/** Concatenates what `reader` yields until its end. */
async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The runtime's arguments that run the example as a script with `program`. */
function scriptArgs(program: string[]): string[] {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const path = fileURLToPath(new URL(`../../examples/pty_relay${ext}`, import.meta.url));
  return "Deno" in globalThis
    ? ["run", "--allow-ffi", "--allow-env", path, ...program]
    : [path, ...program];
}

/** The leak checks: fds, watchers, timers. */
const clean = (body: () => Promise<void>) => watchLeakFree(loopLeakFree(body));

describe("examples/pty_relay", { skip: POSIX_HARNESS }, () => {
  it(
    "relays a MiB each way byte-exact, stops reading the input at the exit, returns its code",
    clean(async () => {
      const [inR, inW] = pipe();
      const [outR, outW] = pipe();
      try {
        const data = randomBytes(1 << 20);
        // Raw, so that the bytes pass the pty unchanged; "R" says it is raw now.
        const script = 'stty raw -echo && printf R && head -c "$0" && exit 7';
        const relayed = relayPty(["/bin/sh", "-c", script, String(data.length)], inR, outW);
        const output = readable(outR).getReader();
        const first = await output.read();
        assert.deepEqual(first.value, encoder.encode("R"));
        // Read while typing: the child echoes as it reads, through full buffers.
        const echoing = readAll(output);
        const typed = new Blob([data]).stream().pipeTo(writable(inW));
        const [code] = await Promise.all([relayed, typed]);
        assert.equal(code, 7);
        close(outW);
        const echoed = await echoing;
        assert.equal(echoed.length, data.length);
        assert.equal(echoed.findIndex((byte, i) => byte !== data[i]), -1, "the bytes differ");
      } finally {
        for (const fd of [inR, inW, outR]) close(fd);
      }
    }),
  );

  it(
    "keeps the program running after the input ends",
    clean(async () => {
      const [inR, inW] = pipe();
      const [outR, outW] = pipe();
      try {
        const script = 'stty -echo && printf "ready\\n" && read line && echo "got:$line"';
        const relayed = relayPty(["/bin/sh", "-c", script], inR, outW);
        const output = readable(outR).getReader();
        const prompt = await readUntil(output, "ready");
        await new Blob(["hello\n"]).stream().pipeTo(writable(inW, { closeFd: true }));
        assert.equal(await relayed, 0);
        close(outW);
        // The terminal's output processing turns "\n" into "\r\n" (ONLCR).
        const rest = decoder.decode(await readAll(output));
        assert.equal(prompt + rest, "ready\r\ngot:hello\r\n");
      } finally {
        close(inR);
        close(outR);
      }
    }),
  );

  it("runs as a script: piped stdin and stdout, the program's exit code", async () => {
    const program = ["/bin/sh", "-c", 'stty -echo; echo ready; read line; echo "<$line>"; exit 3'];
    const args = scriptArgs(program);
    const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      let out = "";
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      await new Promise<void>((resolve) => {
        child.stdout!.on("data", (chunk) => {
          out += chunk;
          if (out.includes("ready")) resolve();
        });
      });
      child.stdin!.end("over the relay\n");
      assert.equal(await exited, 3, out);
      assert.equal(out, "ready\r\n<over the relay>\r\n");
    } finally {
      clearTimeout(timer);
    }
  });

  it(
    "runs on a terminal: raw while it relays (Enter reaches the program as typed), restored after",
    clean(async () => {
      const program = ["/bin/sh", "-c", 'echo ready; read line; echo "<$line>"'];
      const [pid, master] = spawnPty(
        process.execPath,
        [process.execPath, ...scriptArgs(program)],
        null,
      );
      try {
        const cooked = tcgetattr(master);
        assert.notEqual(cooked[3] & ICANON, 0, "premise: a new pty starts canonical");
        const screen = readable(master).getReader();
        let shown = await readUntil(screen, "ready");
        // Raw now: the relay's terminal passes "\r" on unchanged; the program's own pty
        // (canonical, ICRNL) ends the line with it.
        assert.equal(tcgetattr(master)[3] & (ICANON | ECHO), 0, "the relay's terminal is raw");
        write(master, encoder.encode("typed\r"));
        shown += decoder.decode(await readAll(screen));
        assert.match(shown, /typed\r\n<typed>\r\n$/);
        assert.equal(waitstatusToExitcode(waitpid(pid, 0)[1]), 0);
        assert.deepEqual(tcgetattr(master), cooked, "the relay restored its terminal");
      } finally {
        close(master);
      }
    }),
  );
});
