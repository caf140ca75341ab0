/**
 * The Deno backend: one `Deno.dlopen` of libc with every symbol iomux needs.
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { Libc } from "./libc.ts";

function symbolsFor(abi: Abi) {
  const nfds = abi.nfdsBytes === 8 ? "u64" : "u32";
  // Apple arm64 passes variadic arguments on the stack: fill x0–x7 with padding so
  // that the variadic argument is the first stack slot (see abi/darwin.ts).
  const pad = new Array<"i64">(abi.variadicPadding).fill("i64");
  const variadicInt = abi.variadicPadding > 0 ? "i64" : "i32";
  return {
    select: {
      parameters: [
        "i32", // int nfds
        "buffer", // fd_set *readfds
        "buffer", // fd_set *writefds
        "buffer", // fd_set *exceptfds
        "buffer", // struct timeval *timeout
      ],
      result: "i32",
    },
    poll: {
      parameters: ["buffer" /* struct pollfd *fds */, nfds /* nfds_t nfds */, "i32" /* int timeout */],
      result: "i32",
    },
    epoll_create1: { parameters: ["i32" /* int flags */], result: "i32", optional: true },
    epoll_ctl: {
      parameters: ["i32" /* int epfd */, "i32" /* int op */, "i32" /* int fd */, "buffer" /* struct epoll_event *event */],
      result: "i32",
      optional: true,
    },
    epoll_wait: {
      parameters: ["i32" /* int epfd */, "buffer" /* struct epoll_event *events */, "i32" /* int maxevents */, "i32" /* int timeout */],
      result: "i32",
      optional: true,
    },
    pipe: { parameters: ["buffer" /* int fds[2] */], result: "i32" },
    pipe2: { parameters: ["buffer" /* int fds[2] */, "i32" /* int flags */], result: "i32", optional: true },
    // ssize_t results are read as i32: iomux never asks for more than 0x7ffff000
    // bytes (Linux's own MAX_RW_COUNT), and the low half of the register is exact.
    read: { parameters: ["i32" /* int fd */, "buffer" /* void *buf */, "usize" /* size_t count */], result: "i32" },
    write: { parameters: ["i32" /* int fd */, "buffer" /* const void *buf */, "usize" /* size_t count */], result: "i32" },
    close: { parameters: ["i32" /* int fd */], result: "i32" },
    fcntl: { parameters: ["i32" /* int fd */, "i32" /* int cmd */, ...pad, variadicInt /* ... arg */], result: "i32" },
    open: { parameters: ["buffer" /* const char *path */, "i32" /* int flags */, ...pad, variadicInt /* ... mode */], result: "i32" },
    strerror: { parameters: ["i32" /* int errnum */], result: "pointer" },
    [abi.errnoFunction]: { parameters: [], result: "pointer" },
  } as const;
}

/** Opens libc with Deno's FFI and adapts it to {@linkcode Libc}. */
export function loadDeno(abi: Abi): Libc {
  const symbols = symbolsFor(abi) as unknown as Deno.ForeignLibraryInterface;
  let lib: Deno.DynamicLibrary<Deno.ForeignLibraryInterface> | undefined;
  const failures: string[] = [];
  for (const name of abi.libcNames) {
    try {
      lib = Deno.dlopen(name, symbols);
      break;
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        throw new Error("iomux needs FFI access: run Deno with --allow-ffi", { cause: e });
      }
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (!lib) throw new Error(`iomux: cannot open libc (${failures.join("; ")})`);
  // deno-lint-ignore no-explicit-any
  const s = lib.symbols as any;
  const errnoPointer = s[abi.errnoFunction]() as Deno.PointerObject;
  // errno lives at a fixed address per thread: view it once and read it directly.
  const errnoCell = new Int32Array(Deno.UnsafePointerView.getArrayBuffer(errnoPointer, 4));
  const pad = new Array<bigint>(abi.variadicPadding).fill(0n);
  const padded = abi.variadicPadding > 0;
  const fcntl = s.fcntl;
  const open = s.open;
  return {
    backend: "deno",
    select: s.select,
    poll: s.poll,
    epoll_create1: s.epoll_create1 ?? null,
    epoll_ctl: s.epoll_ctl ?? null,
    epoll_wait: s.epoll_wait ?? null,
    pipe: s.pipe,
    pipe2: s.pipe2 ?? null,
    read: s.read,
    write: s.write,
    close: s.close,
    fcntl: padded
      ? (fd: number, cmd: number, arg: number) => fcntl(fd, cmd, ...pad, BigInt(arg))
      : fcntl,
    open: padded
      ? (path: Uint8Array, flags: number, mode: number) => open(path, flags, ...pad, BigInt(mode))
      : open,
    errno: () => errnoCell[0]!,
    strerror: (errnum: number) => {
      const p = s.strerror(errnum);
      return p === null ? `Unknown error ${errnum}` : Deno.UnsafePointerView.getCString(p);
    },
  };
}
