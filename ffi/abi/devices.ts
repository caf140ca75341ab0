/**
 * The device toolkit's ABI facts per OS: `struct termios` layouts (Linux's differs
 * from the BSDs'), `termios`/`fcntl` constants, the sizes of the opaque
 * `posix_spawn` objects, and the `waitpid` options. Checked against each target's
 * headers by `scripts/check_abi_symbols.ts` where clang and the headers are present.
 *
 * @module
 */
import type { DevicesAbi } from "./devices_types.ts";
import { LINUX_FCNTL, LINUX_TERMIOS } from "./termios_linux.ts";
import { DARWIN_FCNTL, DARWIN_TERMIOS, FREEBSD_FCNTL, FREEBSD_TERMIOS } from "./termios_bsd.ts";

/**
 * glibc and musl on x86_64 and aarch64: `tcflag_t` and `speed_t` are `unsigned int`;
 * `struct termios` is `{iflag; oflag; cflag; lflag; cc_t c_line; cc_t c_cc[32];
 * speed_t c_ispeed, c_ospeed}`, 60 bytes. glibc's `posix_spawnattr_t` holds a
 * 128-byte `sigset_t` twice: 336 bytes; `posix_spawn_file_actions_t` is 80.
 */
export const LINUX_DEVICES: DevicesAbi = {
  termios: { size: 60, iflag: 0, oflag: 4, cflag: 8, lflag: 12, cc: 17, flagBytes: 4 },
  termiosConstants: LINUX_TERMIOS,
  fcntlConstants: LINUX_FCNTL,
  posixSpawnFileActionsSize: 80,
  posixSpawnattrSize: 336,
  sigsetSize: 128,
  spawnFlags: { RESETIDS: 0x1, SETPGROUP: 0x2, SETSIGDEF: 0x4, SETSIGMASK: 0x8, SETSID: 0x80 },
  wait: { WNOHANG: 1, WUNTRACED: 2, WCONTINUED: 8 },
};

/**
 * macOS: `tcflag_t` and `speed_t` are `unsigned long` (8 bytes), `c_cc[20]` follows
 * the flags and the speeds are 8-aligned: 72 bytes. The spawn objects are pointers
 * to libc-allocated storage; `sigset_t` is a 32-bit mask. `POSIX_SPAWN_SETSID`
 * exists from macOS 10.15.
 */
export const DARWIN_DEVICES: DevicesAbi = {
  termios: { size: 72, iflag: 0, oflag: 8, cflag: 16, lflag: 24, cc: 32, flagBytes: 8 },
  termiosConstants: DARWIN_TERMIOS,
  fcntlConstants: DARWIN_FCNTL,
  posixSpawnFileActionsSize: 8,
  posixSpawnattrSize: 8,
  sigsetSize: 4,
  spawnFlags: { RESETIDS: 0x1, SETPGROUP: 0x2, SETSIGDEF: 0x4, SETSIGMASK: 0x8, SETSID: 0x400 },
  wait: { WNOHANG: 1, WUNTRACED: 2, WCONTINUED: 0x10 },
};

/**
 * FreeBSD: `tcflag_t` and `speed_t` are `unsigned int`, `c_cc[20]`: 44 bytes. The
 * spawn objects are pointers; `sigset_t` is four 32-bit words. No
 * `POSIX_SPAWN_SETSID` (0: `setsid` is refused as CPython refuses it there).
 */
export const FREEBSD_DEVICES: DevicesAbi = {
  termios: { size: 44, iflag: 0, oflag: 4, cflag: 8, lflag: 12, cc: 16, flagBytes: 4 },
  termiosConstants: FREEBSD_TERMIOS,
  fcntlConstants: FREEBSD_FCNTL,
  posixSpawnFileActionsSize: 8,
  posixSpawnattrSize: 8,
  sigsetSize: 16,
  spawnFlags: { RESETIDS: 0x1, SETPGROUP: 0x2, SETSIGDEF: 0x10, SETSIGMASK: 0x20, SETSID: 0 },
  wait: { WNOHANG: 1, WUNTRACED: 2, WCONTINUED: 4 },
};

/** Every name of `names` as 0: the constants a platform lacks (API rule: exported, 0). */
function absent<K extends string>(names: Readonly<Record<K, number>>): Record<K, number> {
  return Object.fromEntries(Object.keys(names).map((k) => [k, 0])) as Record<K, number>;
}

/**
 * Windows has no terminals of this kind, no `posix_spawn` and no `waitpid` (CPython
 * has no `termios` or `fcntl` module there): every constant is 0 and every size is 0,
 * so the entry points import and their calls fail in libc's absence, not at load.
 */
export const WINDOWS_DEVICES: DevicesAbi = {
  termios: { size: 0, iflag: 0, oflag: 0, cflag: 0, lflag: 0, cc: 0, flagBytes: 4 },
  termiosConstants: absent(LINUX_TERMIOS),
  fcntlConstants: absent(LINUX_FCNTL),
  posixSpawnFileActionsSize: 0,
  posixSpawnattrSize: 0,
  sigsetSize: 0,
  spawnFlags: { RESETIDS: 0, SETPGROUP: 0, SETSIGDEF: 0, SETSIGMASK: 0, SETSID: 0 },
  wait: { WNOHANG: 0, WUNTRACED: 0, WCONTINUED: 0 },
};
