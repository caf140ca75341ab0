/**
 * The `KQ_*` constants of Python's `select` module (`Modules/selectmodule.c`, `_select_exec`): the set CPython
 * exports on macOS and FreeBSD, with the same values on both except
 * `KQ_NOTE_PCTRLMASK`. They are exported on every platform so that code
 * type-checks everywhere; off BSD they keep BSD's values (which libkqueue uses).
 *
 * `KQ_FILTER_NETDEV` and `KQ_NOTE_LINKUP`/`LINKDOWN`/`LINKINV` are not provided:
 * CPython exports them only where `EVFILT_NETDEV` exists, which is none of macOS,
 * FreeBSD 12+ or Linux.
 *
 * @module
 */
import { abi } from "../ffi/abi.ts";

/** Filter: the fd has data to read (`EVFILT_READ`). */
export const KQ_FILTER_READ: number = -1;
/** Filter: the fd can be written (`EVFILT_WRITE`). */
export const KQ_FILTER_WRITE: number = -2;
/** Filter: asynchronous I/O requests (`EVFILT_AIO`). */
export const KQ_FILTER_AIO: number = -3;
/** Filter: changes to a file (`EVFILT_VNODE`); `fflags` take `KQ_NOTE_*` vnode bits. */
export const KQ_FILTER_VNODE: number = -4;
/** Filter: process events (`EVFILT_PROC`); `ident` is a pid. */
export const KQ_FILTER_PROC: number = -5;
/** Filter: signal delivery (`EVFILT_SIGNAL`); `ident` is a signal number. */
export const KQ_FILTER_SIGNAL: number = -6;
/** Filter: a timer (`EVFILT_TIMER`); `data` is the period in milliseconds. */
export const KQ_FILTER_TIMER: number = -7;

/** Flag: add the event (the default flags of a `KEvent`). */
export const KQ_EV_ADD = 0x1;
/** Flag: remove the event. */
export const KQ_EV_DELETE = 0x2;
/** Flag: let the event be reported. */
export const KQ_EV_ENABLE = 0x4;
/** Flag: keep the event but do not report it. */
export const KQ_EV_DISABLE = 0x8;
/** Flag: remove the event after its first report. */
export const KQ_EV_ONESHOT = 0x10;
/** Flag: reset the event's state after each report (edge-triggered). */
export const KQ_EV_CLEAR = 0x20;
/** Flags reserved for the system. */
export const KQ_EV_SYSFLAGS = 0xf000;
/** A filter-specific flag. */
export const KQ_EV_FLAG1 = 0x2000;
/** Returned: the change failed; `data` holds the errno. */
export const KQ_EV_ERROR = 0x4000;
/** Returned: end of file (the peer closed, for sockets and pipes). */
export const KQ_EV_EOF = 0x8000;

/** Read/write filters: `data` is a low-water mark. */
export const KQ_NOTE_LOWAT = 0x1;
/** Vnode: the file was removed. */
export const KQ_NOTE_DELETE = 0x1;
/** Vnode: the contents changed. */
export const KQ_NOTE_WRITE = 0x2;
/** Vnode: the size increased. */
export const KQ_NOTE_EXTEND = 0x4;
/** Vnode: the attributes changed. */
export const KQ_NOTE_ATTRIB = 0x8;
/** Vnode: the link count changed. */
export const KQ_NOTE_LINK = 0x10;
/** Vnode: the file was renamed. */
export const KQ_NOTE_RENAME = 0x20;
/** Vnode: access was revoked. */
export const KQ_NOTE_REVOKE = 0x40;
/** Process: it exited. 2^31, positive as in CPython. */
export const KQ_NOTE_EXIT = 0x80000000;
/** Process: it forked. */
export const KQ_NOTE_FORK = 0x40000000;
/** Process: it called exec. */
export const KQ_NOTE_EXEC = 0x20000000;
/**
 * Process: the mask of the control bits. -1048576 on macOS (`~NOTE_PDATAMASK`, a
 * signed int), 4026531840 (`0xf0000000`) on FreeBSD and elsewhere.
 */
export const KQ_NOTE_PCTRLMASK: number = abi.KQ_NOTE_PCTRLMASK;
/** Process: the mask of the pid bits. */
export const KQ_NOTE_PDATAMASK = 0x000fffff;
/** Process: follow it across forks. */
export const KQ_NOTE_TRACK = 0x1;
/** Process: following a child failed. */
export const KQ_NOTE_TRACKERR = 0x2;
/** Process: this is a tracked child. */
export const KQ_NOTE_CHILD = 0x4;
