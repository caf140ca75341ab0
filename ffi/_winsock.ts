/**
 * Libc on Windows: Winsock (`ws2_32.dll`) for `select`, `WSAPoll` and the socket
 * calls, the Universal C Runtime (`ucrtbase.dll`) for `_pipe`, `_read`, `_write`,
 * `_close` and `_open`. Each library is opened with the running backend's
 * `openLibrary`, so that every runtime (Deno, Bun, `node:ffi`, koffi) shares this
 * file. The result is the same {@linkcode RawLibc} a Unix libc gives:
 *
 * - one error source: Winsock reports through `WSAGetLastError()`; a failed C
 *   runtime call copies its `errno` there with `WSASetLastError`, so `errno()` is
 *   always `WSAGetLastError()`. The C runtime's codes (1–42) and Winsock's (10004 and
 *   up) do not overlap, and `ffi/errno.ts` tells them apart as CPython does.
 * - `SOCKET` (`UINT_PTR`) parameters are 64 bits wide (`usize`); results are read
 *   as `int`, which is exact for handle values (`ffi/abi/windows.ts`) and makes
 *   `INVALID_SOCKET` read as -1.
 * - Winsock is started once (`WSAStartup(2.2)`), as CPython's `socket` module does
 *   on import (`Modules/socketmodule.c` `os_init`).
 *
 * @module
 */
import type { Abi } from "./abi/types.ts";
import type { AnyFunction, Backend, NativeSpec, NativeType, RawLibc } from "./types.ts";

type Lib = "ws2" | "crt";

interface WindowsSymbol extends NativeSpec {
  readonly lib: Lib;
}

const S: NativeType = "usize"; // SOCKET
const B: NativeType = "buffer";

function ws(parameters: NativeType[], name?: string): WindowsSymbol {
  return { lib: "ws2", parameters, result: "i32", ...(name ? { name } : {}) };
}
function crt(parameters: NativeType[], name: string): WindowsSymbol {
  return { lib: "crt", parameters, result: "i32", name };
}

/**
 * Every libc entry that exists on Windows, by its key in `LIBC_SYMBOLS`, with the
 * Windows C signature (`int` lengths in `recv`/`send`, `unsigned int` counts in
 * `_read`/`_write`). Entries absent here (`epoll_wait_async`, `pipe2`, `accept4`,
 * epoll, kqueue, eventfd, gai_strerror) stay absent; `fcntl` and `socketpair` fail with ENOSYS.
 */
const WINDOWS_SYMBOLS: Readonly<Record<string, WindowsSymbol>> = {
  // int select(int nfds, fd_set *r, fd_set *w, fd_set *x, const struct timeval *t)
  select: ws(["i32", B, B, B, B]),
  // int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
  poll: ws([B, "u32", "i32"], "WSAPoll"),
  // The same WSAPoll off the JS thread: the waiting thread of _wait/wsapoll_set.ts.
  poll_async: { ...ws([B, "u32", "i32"], "WSAPoll"), nonblocking: true },
  socket: ws(["i32", "i32", "i32"]), // SOCKET socket(int af, int type, int protocol)
  bind: ws([S, B, "i32"]), // (SOCKET, const sockaddr *, int namelen)
  connect: ws([S, B, "i32"]),
  listen: ws([S, "i32"]),
  accept: ws([S, B, B]), // SOCKET accept(SOCKET, sockaddr *, int *addrlen)
  recv: ws([S, B, "i32", "i32"]), // (SOCKET, char *buf, int len, int flags)
  recvfrom: ws([S, B, "i32", "i32", B, B]),
  send: ws([S, B, "i32", "i32"]),
  sendto: ws([S, B, "i32", "i32", B, "i32"]),
  shutdown: ws([S, "i32"]),
  getsockopt: ws([S, "i32", "i32", B, B]), // (SOCKET, int, int, char *, int *)
  setsockopt: ws([S, "i32", "i32", B, "i32"]),
  getsockname: ws([S, B, B]),
  getpeername: ws([S, B, B]),
  closesocket: ws([S]),
  ioctlsocket: ws([S, "i32", B]), // (SOCKET, long cmd, u_long *argp)
  // int getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *, PADDRINFOA *)
  getaddrinfo: ws([B, B, B, B]),
  // The same, off the JS thread where the backend's openLibrary binds nonblocking
  // symbols (Deno); elsewhere absent, and getaddrinfoAsync calls getaddrinfo.
  getaddrinfo_async: { ...ws([B, B, B, B], "getaddrinfo"), nonblocking: true },
  freeaddrinfo: { lib: "ws2", parameters: ["usize"], result: "void" }, // (PADDRINFOA)
  // int getnameinfo(const SOCKADDR *, socklen_t, PCHAR, DWORD, PCHAR, DWORD, INT)
  getnameinfo: ws([B, "i32", B, "u32", B, "u32", "i32"]),
  // void *memcpy(void *dest, const void *src, size_t n), src an address; strlen(s).
  read_memory: crt([B, "usize", "usize"], "memcpy"),
  strlen_at: crt(["usize"], "strlen"),
  WSAStartup: ws(["u32", B]), // (WORD wVersionRequested, LPWSADATA)
  WSAGetLastError: ws([]),
  WSASetLastError: { lib: "ws2", parameters: ["i32"], result: "void" },
  // int _pipe(int *pfds, unsigned int psize, int textmode)
  _pipe: crt([B, "u32", "i32"], "_pipe"),
  read: crt(["i32", B, "u32"], "_read"), // int _read(int fd, void *buf, unsigned count)
  write: crt(["i32", B, "u32"], "_write"),
  close: crt(["i32"], "_close"),
  open: crt([B, "i32", "i32"], "_open"), // int _open(const char *, int oflag, ... pmode)
  _get_errno: crt([B], "_get_errno"), // errno_t _get_errno(int *pValue)
  // _invalid_parameter_handler _set_thread_local_invalid_parameter_handler(handler)
  _set_thread_local_invalid_parameter_handler: {
    lib: "crt",
    parameters: ["pointer"],
    result: "pointer",
    name: "_set_thread_local_invalid_parameter_handler",
  },
};

/**
 * kernel32.dll: the address of a function that ignores its arguments, and a handle's
 * inheritance flag.
 */
const KERNEL32: Readonly<Record<string, NativeSpec>> = {
  GetModuleHandleA: { parameters: [B], result: "pointer" }, // (LPCSTR lpModuleName)
  GetProcAddress: { parameters: ["pointer", B], result: "pointer" }, // (HMODULE, LPCSTR)
  // BOOL SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
  SetHandleInformation: { parameters: [S, "u32", "u32"], result: "i32" },
  GetLastError: { parameters: [], result: "u32" },
};

/** winbase.h `HANDLE_FLAG_INHERIT`. */
const HANDLE_FLAG_INHERIT = 1;

/**
 * `_pipe`'s buffer size and mode: CPython's `os.pipe` on Windows asks `CreatePipe`
 * for the default size (0) and non-inheritable ends (`_O_NOINHERIT`), in binary mode.
 */
const PIPE_SIZE = 0;
const PIPE_MODE = 0x8000 /* _O_BINARY */ | 0x80 /* _O_NOINHERIT */;
/** The C runtime's ENOSYS, for the calls Windows does not have. */
const ENOSYS = 40;

function tableOf(lib: Lib): Record<string, NativeSpec> {
  const out: Record<string, NativeSpec> = {};
  for (const [key, { lib: l, ...spec }] of Object.entries(WINDOWS_SYMBOLS)) {
    if (l === lib) out[key] = spec;
  }
  return out;
}

/**
 * A handler for the C runtime's invalid parameters that returns at once, so that
 * the call fails with its errno (EBADF, EINVAL) instead of ending the process. A
 * handler is `void (*)(const wchar_t *, const wchar_t *, const wchar_t *, unsigned,
 * uintptr_t)`; on 64-bit Windows the caller owns the argument slots, so any function
 * that ignores its arguments and has no side effect serves: `GetCurrentProcessId`,
 * which reads the process id from the thread block. No FFI callback is needed.
 */
function ignoringHandler(k32: Record<string, AnyFunction>): unknown {
  const z = (s: string) => new TextEncoder().encode(`${s}\0`);
  const handler = k32.GetProcAddress!(
    k32.GetModuleHandleA!(z("kernel32.dll")),
    z("GetCurrentProcessId"),
  );
  if (handler === null || handler === 0n || handler === 0) {
    throw new Error("iomux: kernel32.dll lacks GetCurrentProcessId");
  }
  return handler;
}

/** Opens Winsock and the C runtime with `backend`, and starts Winsock. */
export function loadWindowsLibc(backend: Backend, abi: Abi): RawLibc {
  const win = abi.winsock!;
  const ws2 = backend.openLibrary(win.winsockLibrary, tableOf("ws2"));
  const ucrt = backend.openLibrary(win.crtLibrary, tableOf("crt"));
  const lastError = ws2.WSAGetLastError!;
  const setLastError = ws2.WSASetLastError!;
  const errnoCell = new Int32Array(1);
  const wsaData = new Uint8Array(512); // sizeof(WSADATA) is 408 on Win64
  const started = ws2.WSAStartup!(0x0202, wsaData);
  if (started !== 0) throw new Error(`iomux: WSAStartup failed with error ${started}`);

  const k32 = backend.openLibrary("kernel32.dll", KERNEL32);
  const ignoreInvalidParameter = ignoringHandler(k32);
  const setHandleInformation = k32.SetHandleInformation!;
  const getLastError = k32.GetLastError!;
  const closesocket = ws2.closesocket!;

  /**
   * A call that makes a socket, whose new handle is made non-inheritable, as CPython
   * makes every socket: `Modules/socketmodule.c` `sock_initobj_impl` asks `WSASocketW`
   * for `WSA_FLAG_NO_HANDLE_INHERIT`, and `sock_accept` clears `HANDLE_FLAG_INHERIT` of
   * the accepted one with `SetHandleInformation`. Winsock's `socket()` and `accept()`
   * make inheritable handles. A failure closes the new socket and reports the error.
   */
  const nonInheritable = (f: AnyFunction): AnyFunction => (...args) => {
    const fd = f(...args) as number;
    if (fd === -1 || setHandleInformation(fd, HANDLE_FLAG_INHERIT, 0) !== 0) return fd;
    const error = getLastError();
    closesocket(fd);
    setLastError(error);
    return -1;
  };
  const setHandler = ucrt._set_thread_local_invalid_parameter_handler!;

  /**
   * A C runtime call whose failure (-1) moves `errno` to `WSAGetLastError`. The C
   * runtime ends the process on a bad fd (`_read(-1, …)`) unless an invalid-parameter
   * handler returns: CPython wraps each such call in `_Py_BEGIN_SUPPRESS_IPH` /
   * `_Py_END_SUPPRESS_IPH` (`Include/internal/pycore_fileutils.h`), which installs a
   * handler that does nothing for the calling thread, and so does iomux.
   */
  const reporting = (f: AnyFunction): AnyFunction => (...args) => {
    const previous = setHandler(ignoreInvalidParameter);
    const result = f(...args);
    setHandler(previous);
    if (result === -1) {
      ucrt._get_errno!(errnoCell);
      setLastError(errnoCell[0]!);
    }
    return result;
  };
  const unavailable: AnyFunction = () => {
    setLastError(ENOSYS);
    return -1;
  };
  const pipe = ucrt._pipe!;
  const symbols: Record<string, AnyFunction> = {
    ...ws2,
    socket: nonInheritable(ws2.socket!),
    accept: nonInheritable(ws2.accept!),
    read: reporting(ucrt.read!),
    write: reporting(ucrt.write!),
    close: reporting(ucrt.close!),
    open: reporting(ucrt.open!),
    pipe: reporting((fds: Int32Array) => pipe(fds, PIPE_SIZE, PIPE_MODE)),
    read_memory: ucrt.read_memory!,
    strlen_at: ucrt.strlen_at!,
    fcntl: unavailable,
    socketpair: unavailable,
    // The texts of the C runtime's strerror and of FormatMessage (ffi/abi/windows.ts):
    // a code's text is fixed, and FormatMessageW would need a UTF-16 decoder per backend.
    strerror: (errnum: number) => win.messages[errnum] ?? `Unknown error ${errnum}`,
  };
  return {
    backend: backend.name,
    symbols,
    errno: () => lastError(),
    cString: (text) => typeof text === "string" ? text : null,
  };
}
