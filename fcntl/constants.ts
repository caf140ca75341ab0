/**
 * The `fcntl` module's constants, with this platform's values (`0` for a name the
 * platform lacks), and the `ioctl` requests most often used with it. The names are
 * those CPython exports on Linux.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

const f = abi.devices.fcntlConstants;
const t = abi.devices.termiosConstants;

/** `fcntl.DN_ACCESS`. */ export const DN_ACCESS: number = f.DN_ACCESS;
/** `fcntl.DN_ATTRIB`. */ export const DN_ATTRIB: number = f.DN_ATTRIB;
/** `fcntl.DN_CREATE`. */ export const DN_CREATE: number = f.DN_CREATE;
/** `fcntl.DN_DELETE`. */ export const DN_DELETE: number = f.DN_DELETE;
/** `fcntl.DN_MODIFY`. */ export const DN_MODIFY: number = f.DN_MODIFY;
/** `fcntl.DN_MULTISHOT`. */ export const DN_MULTISHOT: number = f.DN_MULTISHOT;
/** `fcntl.DN_RENAME`. */ export const DN_RENAME: number = f.DN_RENAME;
/** `fcntl.FASYNC`. */ export const FASYNC: number = f.FASYNC;
/** `fcntl.FD_CLOEXEC`. */ export const FD_CLOEXEC: number = f.FD_CLOEXEC;
/** `fcntl.F_ADD_SEALS`. */ export const F_ADD_SEALS: number = f.F_ADD_SEALS;
/** `fcntl.F_DUPFD`. */ export const F_DUPFD: number = f.F_DUPFD;
/** `fcntl.F_DUPFD_CLOEXEC`. */ export const F_DUPFD_CLOEXEC: number = f.F_DUPFD_CLOEXEC;
/** `fcntl.F_EXLCK`. */ export const F_EXLCK: number = f.F_EXLCK;
/** `fcntl.F_GETFD`. */ export const F_GETFD: number = f.F_GETFD;
/** `fcntl.F_GETFL`. */ export const F_GETFL: number = f.F_GETFL;
/** `fcntl.F_GETLEASE`. */ export const F_GETLEASE: number = f.F_GETLEASE;
/** `fcntl.F_GETLK`. */ export const F_GETLK: number = f.F_GETLK;
/** `fcntl.F_GETLK64`. */ export const F_GETLK64: number = f.F_GETLK64;
/** `fcntl.F_GETOWN`. */ export const F_GETOWN: number = f.F_GETOWN;
/** `fcntl.F_GETPIPE_SZ`. */ export const F_GETPIPE_SZ: number = f.F_GETPIPE_SZ;
/** `fcntl.F_GETSIG`. */ export const F_GETSIG: number = f.F_GETSIG;
/** `fcntl.F_GET_SEALS`. */ export const F_GET_SEALS: number = f.F_GET_SEALS;
/** `fcntl.F_NOTIFY`. */ export const F_NOTIFY: number = f.F_NOTIFY;
/** `fcntl.F_OFD_GETLK`. */ export const F_OFD_GETLK: number = f.F_OFD_GETLK;
/** `fcntl.F_OFD_SETLK`. */ export const F_OFD_SETLK: number = f.F_OFD_SETLK;
/** `fcntl.F_OFD_SETLKW`. */ export const F_OFD_SETLKW: number = f.F_OFD_SETLKW;
/** `fcntl.F_RDLCK`. */ export const F_RDLCK: number = f.F_RDLCK;
/** `fcntl.F_SEAL_GROW`. */ export const F_SEAL_GROW: number = f.F_SEAL_GROW;
/** `fcntl.F_SEAL_SEAL`. */ export const F_SEAL_SEAL: number = f.F_SEAL_SEAL;
/** `fcntl.F_SEAL_SHRINK`. */ export const F_SEAL_SHRINK: number = f.F_SEAL_SHRINK;
/** `fcntl.F_SEAL_WRITE`. */ export const F_SEAL_WRITE: number = f.F_SEAL_WRITE;
/** `fcntl.F_SETFD`. */ export const F_SETFD: number = f.F_SETFD;
/** `fcntl.F_SETFL`. */ export const F_SETFL: number = f.F_SETFL;
/** `fcntl.F_SETLEASE`. */ export const F_SETLEASE: number = f.F_SETLEASE;
/** `fcntl.F_SETLK`. */ export const F_SETLK: number = f.F_SETLK;
/** `fcntl.F_SETLK64`. */ export const F_SETLK64: number = f.F_SETLK64;
/** `fcntl.F_SETLKW`. */ export const F_SETLKW: number = f.F_SETLKW;
/** `fcntl.F_SETLKW64`. */ export const F_SETLKW64: number = f.F_SETLKW64;
/** `fcntl.F_SETOWN`. */ export const F_SETOWN: number = f.F_SETOWN;
/** `fcntl.F_SETPIPE_SZ`. */ export const F_SETPIPE_SZ: number = f.F_SETPIPE_SZ;
/** `fcntl.F_SETSIG`. */ export const F_SETSIG: number = f.F_SETSIG;
/** `fcntl.F_SHLCK`. */ export const F_SHLCK: number = f.F_SHLCK;
/** `fcntl.F_UNLCK`. */ export const F_UNLCK: number = f.F_UNLCK;
/** `fcntl.F_WRLCK`. */ export const F_WRLCK: number = f.F_WRLCK;
/** `fcntl.LOCK_EX`. */ export const LOCK_EX: number = f.LOCK_EX;
/** `fcntl.LOCK_MAND`. */ export const LOCK_MAND: number = f.LOCK_MAND;
/** `fcntl.LOCK_NB`. */ export const LOCK_NB: number = f.LOCK_NB;
/** `fcntl.LOCK_READ`. */ export const LOCK_READ: number = f.LOCK_READ;
/** `fcntl.LOCK_RW`. */ export const LOCK_RW: number = f.LOCK_RW;
/** `fcntl.LOCK_SH`. */ export const LOCK_SH: number = f.LOCK_SH;
/** `fcntl.LOCK_UN`. */ export const LOCK_UN: number = f.LOCK_UN;
/** `fcntl.LOCK_WRITE`. */ export const LOCK_WRITE: number = f.LOCK_WRITE;
/** `termios.TIOCGWINSZ`, an `ioctl` request. */ export const TIOCGWINSZ: number = t.TIOCGWINSZ;
/** `termios.TIOCSWINSZ`, an `ioctl` request. */ export const TIOCSWINSZ: number = t.TIOCSWINSZ;
/** `termios.FIONREAD`, an `ioctl` request. */ export const FIONREAD: number = t.FIONREAD;
/** `termios.FIONBIO`, an `ioctl` request. */ export const FIONBIO: number = t.FIONBIO;
/** `termios.FIOCLEX`, an `ioctl` request. */ export const FIOCLEX: number = t.FIOCLEX;
/** `termios.FIONCLEX`, an `ioctl` request. */ export const FIONCLEX: number = t.FIONCLEX;
/** `termios.TIOCSCTTY`, an `ioctl` request. */ export const TIOCSCTTY: number = t.TIOCSCTTY;
/** `termios.TIOCNOTTY`, an `ioctl` request. */ export const TIOCNOTTY: number = t.TIOCNOTTY;
/** `termios.TIOCOUTQ`, an `ioctl` request. */ export const TIOCOUTQ: number = t.TIOCOUTQ;
/** `termios.TIOCMGET`, an `ioctl` request. */ export const TIOCMGET: number = t.TIOCMGET;
/** `termios.TIOCMSET`, an `ioctl` request. */ export const TIOCMSET: number = t.TIOCMSET;
/** `termios.TIOCMBIS`, an `ioctl` request. */ export const TIOCMBIS: number = t.TIOCMBIS;
/** `termios.TIOCMBIC`, an `ioctl` request. */ export const TIOCMBIC: number = t.TIOCMBIC;
/** `termios.TIOCEXCL`, an `ioctl` request. */ export const TIOCEXCL: number = t.TIOCEXCL;
/** `termios.TIOCNXCL`, an `ioctl` request. */ export const TIOCNXCL: number = t.TIOCNXCL;
