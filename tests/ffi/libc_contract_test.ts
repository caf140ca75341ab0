// The Libc contract: its type is derived from the one symbol table (checked at type
// level: this file does not compile if a derived signature drifts), every table entry
// is bound by the running backend (optional ones null exactly where the ABI says the
// platform lacks them), and the table resolves per platform as the ABI asks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { abi, ABI_TABLES } from "../../ffi/abi.ts";
import { type Libc, libc } from "../../ffi/libc.ts";
import { LIBC_SYMBOLS, symbolsFor } from "../../ffi/symbols.ts";
import type { Nfds, SymbolSpec } from "../../ffi/types.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;
const typeIs = <T extends true>(): T => true as T;

// C types → TypeScript: buffers, NULL-able buffers, nfds_t, size_t, optional symbols,
// nonblocking symbols and char * results.
typeIs<Equal<Libc["read"], (a: number, b: ArrayBufferView, c: number) => number>>();
typeIs<
  Equal<Libc["poll"], (a: ArrayBufferView | null, b: Nfds, c: number) => number>
>();
typeIs<
  Equal<
    Libc["poll_async"],
    ((a: ArrayBufferView, b: Nfds, c: number) => Promise<number>) | null
  >
>();
typeIs<Equal<Libc["epoll_create1"], ((a: number) => number) | null>>();
typeIs<Equal<Libc["strerror"], (a: number) => string | null>>();
typeIs<Equal<Libc["fcntl"], (a: number, b: number, c: number) => number>>();

const table = LIBC_SYMBOLS as Readonly<Record<string, SymbolSpec>>;

describe("Libc contract", () => {
  it("binds every table entry; optional ones are null only where the platform lacks them", () => {
    const c = libc() as unknown as Record<string, unknown>;
    for (const [key, spec] of Object.entries(table)) {
      assert.ok(key in c, key);
      if (!spec.optional) assert.equal(typeof c[key], "function", key);
    }
    assert.equal(c.epoll_wait === null, abi.epollEvent === null);
    assert.equal(c.pipe2 === null, !abi.hasPipe2);
    assert.equal(c.accept4 === null, !abi.socket.hasAccept4);
    if (abi.kevent !== null) assert.equal(typeof c.kevent, "function");
    assert.equal(typeof libc().errno(), "number");
  });

  it("resolves C types per platform: nfds_t, variadic padding, redirected symbol names", () => {
    for (const [key, t] of Object.entries(ABI_TABLES)) {
      const native = symbolsFor(t);
      assert.deepEqual(native.read!.parameters, ["i32", "buffer", "usize"], key);
      assert.equal(native.poll!.parameters[1], t.nfdsBytes === 8 ? "u64" : "u32", key);
      assert.equal(native.open!.parameters.length, 3 + t.variadicPadding, key);
      assert.equal(native.strerror!.result, "pointer", key);
      assert.equal(native.poll_async!.nonblocking, true, key);
      assert.equal(native.poll_async!.name, t.symbolNames.poll ?? "poll", key);
      assert.equal(native.select!.name, t.symbolNames.select, key);
    }
    assert.equal(symbolsFor(ABI_TABLES["darwin-x86_64"]!).select!.name, "select$1050");
    assert.equal(symbolsFor(ABI_TABLES["darwin-aarch64"]!).select!.name, undefined);
  });

  it("reads strerror's char * as a string, and every size_t count as a number", () => {
    const c = libc();
    assert.equal(typeof c.strerror(abi.errno.EBADF), "string");
    assert.equal(c.read(-1, new Uint8Array(1), 1), -1);
    assert.equal(c.errno(), abi.errno.EBADF);
  });
});
