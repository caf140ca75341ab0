/**
 * Deno's own I/O objects (`Deno.FsFile`, `Deno.Conn`, `Deno.Listener`, `Deno.stdin`)
 * have no `fileno()`: select() and the selectors keep CPython's message and say what
 * to use instead. Other objects keep CPython's message alone.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { select } from "../../select/mod.ts";
import { DefaultSelector, EVENT_READ } from "../../selectors/mod.ts";
import { POSIX_HARNESS } from "../_kit/platform.ts";

const deno = (globalThis as { Deno?: typeof Deno }).Deno;

function messages(obj: unknown): [string, string] {
  let fromSelect = "";
  try {
    select([obj as never], [], [], 0);
  } catch (e) {
    assert.ok(e instanceof TypeError);
    fromSelect = e.message;
  }
  using sel = new DefaultSelector();
  let fromSelector = "";
  try {
    sel.register(obj as never, EVENT_READ);
  } catch (e) {
    assert.equal((e as Error).name, "ValueError");
    fromSelector = (e as Error).message;
  }
  return [fromSelect, fromSelector];
}

const CPYTHON_SELECT = "argument must be an int, or have a fileno() method.";

describe("Deno I/O objects passed as file objects", {
  skip: (!deno && "Deno only") || POSIX_HARNESS,
}, () => {
  it("say that a Deno.FsFile has no fd and how to get one", () => {
    using file = deno!.openSync(new URL(import.meta.url).pathname);
    const [a, b] = messages(file);
    const hint = " (a Deno.FsFile carries no file descriptor that FFI can use: " +
      "open the path with iomux's os open() to get one)";
    assert.equal(a, CPYTHON_SELECT + hint);
    assert.equal(b, "Invalid file object: <FsFile object>" + hint);
  });

  it("say which fd Deno.stdin, stdout and stderr are", () => {
    for (const [stream, fd] of [[deno!.stdin, 0], [deno!.stdout, 1], [deno!.stderr, 2]] as const) {
      const [a, b] = messages(stream);
      assert.ok(a.startsWith(CPYTHON_SELECT), a);
      assert.ok(a.endsWith(`has no fileno(): pass its fd, ${fd})`), a);
      assert.ok(b.startsWith(`Invalid file object: <${stream.constructor.name} object> (`), b);
    }
  });

  it("point a Deno.Conn or Deno.Listener at iomux's sockets", async () => {
    using listener = deno!.listen({ hostname: "127.0.0.1", port: 0 });
    using conn = await deno!.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    for (const obj of [listener, conn]) {
      const name = obj.constructor.name;
      const [a, b] = messages(obj);
      const hint = ` (a Deno.${name} carries no file descriptor that FFI can use: ` +
        "make the socket with iomux's socket module (Socket, socketpair))";
      assert.equal(a, CPYTHON_SELECT + hint);
      assert.equal(b, `Invalid file object: <${name} object>${hint}`);
    }
  });

  it("leave other objects with CPython's message alone", () => {
    class FsFile {}
    const [a] = messages({});
    assert.equal(a, CPYTHON_SELECT);
    // A class of the same name outside Deno's would still get the hint: it is
    // the name that tells, as the constructor is all the object shows.
    assert.ok(messages(new FsFile())[1].startsWith("Invalid file object: <FsFile object> ("));
  });
});
