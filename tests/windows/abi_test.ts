/**
 * The Windows ABI tables against the Windows SDK's headers (`winsock2.h`, `ws2def.h`,
 * `ws2ipdef.h`, the C runtime's `errno.h` and `fcntl.h`): checked on every platform,
 * since they are plain data.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ABI_TABLES } from "../../ffi/abi.ts";
import { symbolsFor } from "../../ffi/symbols.ts";
import type { Abi } from "../../ffi/abi/types.ts";

const x64 = ABI_TABLES["windows-x86_64"]!;
const arm64 = ABI_TABLES["windows-aarch64"]!;

describe("ABI tables: Windows", () => {
  it("both architectures are the same LLP64 table", () => {
    const { arch: _a, ...a } = x64;
    const { arch: _b, ...b } = arm64;
    assert.deepEqual(a, b);
    assert.deepEqual([x64.arch, arm64.arch], ["x86_64", "aarch64"]);
  });

  for (const t of [x64, arm64] as Abi[]) {
    describe(`windows-${t.arch}`, () => {
      it("loads Winsock and the C runtime, errors from WSAGetLastError", () => {
        assert.equal(t.os, "windows");
        assert.equal(t.errnoFunction, "WSAGetLastError");
        assert.deepEqual(
          [t.winsock!.winsockLibrary, t.winsock!.crtLibrary],
          ["ws2_32.dll", "ucrtbase.dll"],
        );
      });

      it("lays out timeval as two 32-bit longs, WSAPOLLFD as 16 bytes, fd_set as handles", () => {
        assert.deepEqual(t.timeval, { size: 8, fractionBytes: 4 });
        assert.deepEqual(t.pollfd, { size: 16, fd: 0, fdBytes: 8, events: 8, revents: 10 });
        assert.equal(t.nfdsBytes, 4, "WSAPoll's ULONG");
        assert.equal(t.fdSetSize, 512, "CPython's FD_SETSIZE on Windows");
        assert.equal(t.winsock!.fdArrayOffset, 8);
        assert.equal(t.winsock!.socketBytes, 8);
        assert.equal(symbolsFor(t).poll!.parameters[1], "u32");
      });

      it("has winsock2.h's poll bits: POLLIN is POLLRDNORM | POLLRDBAND", () => {
        const p = t.poll;
        assert.equal(p.POLLIN, p.POLLRDNORM | p.POLLRDBAND);
        assert.equal(p.POLLOUT, p.POLLWRNORM);
        assert.deepEqual(
          [p.POLLERR, p.POLLHUP, p.POLLNVAL, p.POLLWRNORM, p.POLLWRBAND, p.POLLRDNORM],
          [0x1, 0x2, 0x4, 0x10, 0x20, 0x100],
        );
        assert.deepEqual([p.POLLRDBAND, p.POLLPRI, p.POLLMSG, p.POLLRDHUP], [0x200, 0x400, 0, 0]);
      });

      it("names the C runtime's errno values and Winsock's codes apart", () => {
        assert.deepEqual(
          [t.errnoNames[9], t.errnoNames[22], t.errnoNames[10035], t.errnoNames[10038]],
          ["EBADF", "EINVAL", "EWOULDBLOCK", "ENOTSOCK"],
        );
        for (const n of Object.keys(t.errnoNames).map(Number)) {
          assert.ok(n < 100 || (n >= 10000 && n < 12000), `errno ${n}`);
        }
        assert.deepEqual(
          [t.errno.EINTR, t.errno.EAGAIN, t.errno.EINPROGRESS],
          [10004, 10035, 10035],
        );
        assert.equal(t.winsock!.FIONBIO >>> 0, 0x8004667e);
      });

      it("has ws2def.h's socket constants", () => {
        const c = t.socket.constants;
        assert.deepEqual(
          [c.AF_INET, c.AF_INET6, c.SOL_SOCKET, c.SO_REUSEADDR, c.SO_ERROR, c.IPV6_V6ONLY],
          [2, 23, 0xffff, 4, 0x1007, 27],
        );
        assert.deepEqual([c.SOCK_NONBLOCK, c.SOCK_CLOEXEC, c.MSG_DONTWAIT], [0, 0, 0]);
        assert.equal(c.SOMAXCONN, 0x7fffffff);
      });

      it("has ws2tcpip.h's addrinfo: ai_canonname before ai_addr, EAI_* as Winsock errors", () => {
        const { addrinfo, constants: n, fixedMessage } = t.netdb;
        assert.deepEqual([addrinfo.size, addrinfo.addrlen, addrinfo.canonname, addrinfo.addr], [
          48,
          16,
          24,
          32,
        ]);
        assert.deepEqual(
          [n.EAI_NONAME, n.EAI_AGAIN, n.EAI_FAIL, n.EAI_FAMILY, n.EAI_SERVICE, n.EAI_SOCKTYPE],
          [11001, 11002, 11003, 10047, 10109, 10044],
        );
        assert.deepEqual([n.AI_NUMERICSERV, n.AI_ADDRCONFIG, n.AI_V4MAPPED], [8, 0x400, 0x800]);
        // CPython on Windows has no gai_strerror (Modules/socketmodule.c set_gaierror).
        assert.equal(fixedMessage, "getaddrinfo failed");
      });
    });
  }
});
