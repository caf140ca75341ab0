/**
 * The shape of an ABI table's `devices` part: `struct termios`, the `termios` and
 * `fcntl` constants, the `posix_spawn` object sizes and the `waitpid` options. A file
 * of its own beside `types.ts` because only the device toolkit, its per-OS values
 * (`devices.ts`) and `scripts/check_abi_devices.ts` read this part.
 *
 * @module
 */
import type { FcntlConstantName, TermiosName } from "./termios_linux.ts";

/** Byte layout of `struct termios`; `NCCS` is in the constants. */
export interface TermiosLayout {
  /** `sizeof(struct termios)`. */
  readonly size: number;
  readonly iflag: number;
  readonly oflag: number;
  readonly cflag: number;
  readonly lflag: number;
  /** Offset of `cc_t c_cc[NCCS]`. */
  readonly cc: number;
  /** `sizeof(tcflag_t)`: 4, or 8 on macOS (`unsigned long`). */
  readonly flagBytes: 4 | 8;
}

/** Terminals, `ioctl`, `posix_spawn` and `waitpid`: the device toolkit's facts. */
export interface DevicesAbi {
  readonly termios: TermiosLayout;
  /** CPython's `termios` constants by name (a name the platform lacks is 0). */
  readonly termiosConstants: Readonly<Record<TermiosName, number>>;
  /** CPython's `fcntl` constants by name (a name the platform lacks is 0). */
  readonly fcntlConstants: Readonly<Record<FcntlConstantName, number>>;
  /** `sizeof(posix_spawn_file_actions_t)` (a pointer on the BSDs). */
  readonly posixSpawnFileActionsSize: number;
  /** `sizeof(posix_spawnattr_t)` (a pointer on the BSDs). */
  readonly posixSpawnattrSize: number;
  /** `sizeof(sigset_t)`. */
  readonly sigsetSize: number;
  /** The `POSIX_SPAWN_*` attribute flags; `SETSID` is 0 where absent. */
  readonly spawnFlags: Readonly<
    Record<"RESETIDS" | "SETPGROUP" | "SETSIGDEF" | "SETSIGMASK" | "SETSID", number>
  >;
  /** `waitpid(2)` options. */
  readonly wait: Readonly<Record<"WNOHANG" | "WUNTRACED" | "WCONTINUED", number>>;
}
