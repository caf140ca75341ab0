/**
 * The thread that runs JS, and the system call it blocks in, as /proc shows them:
 * what the EINTR kit (`eintr.ts`, which says why signals are aimed at that thread)
 * needs to find before it signals. The Linux system call numbers of each kind of
 * wait, the numbers /proc shows under emulation, and which errno values mean an
 * interrupted call.
 *
 * @module
 */
import process from "node:process";
import { abi } from "../../ffi/abi.ts";
import { libc, toNfds } from "../../ffi/libc.ts";
import { POLLFD_SIZE } from "../../ffi/structs.ts";
import { close, pipe, read } from "../../os/mod.ts";
import { POLLIN } from "../../select/mod.ts";
import { spawnShell } from "./child.ts";

/** errno EINTR here. */
export const EINTR: number = abi.errno.EINTR;

/**
 * Whether a -1 return with `errno` is an interrupted call. EAGAIN too: a runtime's
 * signal handler that does not preserve errno (Deno's, Node 26's) can leave the
 * EAGAIN of its own full wake-up pipe in errno between the failed call and the read
 * of errno, when signals land close together; a blocking wait or read has no EAGAIN
 * of its own.
 */
export function interruptedErrno(errno: number): boolean {
  return errno === EINTR || errno === abi.errno.EAGAIN;
}

/** What a blocking call waits in, as the kernel sees it. */
export type Wait =
  | "poll"
  | "select"
  | "epoll"
  | "read"
  | "recv"
  | "recvmsg"
  | "accept"
  | "restart";

/**
 * Linux system call numbers of each kind of wait, by architecture: x86_64 from
 * asm/unistd_64.h, aarch64 from asm-generic/unistd.h (which has no poll, select or
 * epoll_wait: glibc calls ppoll, pselect6 and epoll_pwait there).
 */
const SYSCALLS: Readonly<Record<string, Readonly<Record<Wait, readonly number[]>>>> = {
  x64: {
    poll: [7, 271], // poll, ppoll
    select: [23, 270], // select, pselect6
    epoll: [232, 281, 441], // epoll_wait, epoll_pwait, epoll_pwait2
    read: [0],
    recv: [45], // recvfrom (glibc's recv)
    recvmsg: [47],
    accept: [43, 288], // accept, accept4
    restart: [219], // restart_syscall: a poll the kernel resumes after a handler-less signal
  },
  arm64: {
    poll: [73], // ppoll
    select: [72], // pselect6
    epoll: [22, 441], // epoll_pwait, epoll_pwait2
    read: [63],
    recv: [207], // recvfrom
    recvmsg: [212],
    accept: [202, 242], // accept, accept4
    restart: [128], // restart_syscall
  },
};

/** The system call numbers `wait` blocks in on this machine; empty where unknown. */
export function syscallNumbers(wait: Wait): readonly number[] {
  return process.platform === "linux" ? SYSCALLS[process.arch]?.[wait] ?? [] : [];
}

/**
 * The poll numbers /proc was seen to show (set by {@linkcode findJsThread}), and whether
 * they are this architecture's. Under user-mode emulation they are not: qemu-user makes
 * the host's system calls, so /proc/<pid>/task/<tid>/syscall shows the host's numbers
 * (an aarch64 ppoll, 73, reads as x86_64's ppoll, 271); the arguments are the same.
 */
let shown: { poll: readonly number[]; native: boolean } | undefined;

/**
 * The numbers /proc shows while a thread blocks in poll(2): this architecture's, or
 * under emulation the one seen while the JS thread polled. Empty where no child can
 * tell (no /proc).
 */
export async function procPollNumbers(): Promise<readonly number[]> {
  if (shown === undefined) await findJsThread(53);
  return shown?.poll ?? [];
}

/**
 * The id of the thread that runs JS, or `null` where no child can tell (no /proc).
 * The JS thread blocks in a raw `poll(2)` over `marker` pollfds (one pipe and
 * `marker - 1` negative fds, which poll ignores) while a child looks for the thread
 * whose system call has that `nfds`: the second argument of poll and ppoll on x86_64
 * and aarch64 alike (a timeout marker would not do: ppoll's is a pointer); a poll that a
 * handler-less signal interrupted goes on as restart_syscall with its arguments still
 * shown. The number of the call is not matched, only recorded: under emulation it is
 * the host's.
 *
 * @param marker An `nfds` no other thread of this process polls with.
 */
export async function findJsThread(marker: number): Promise<number | null> {
  if (process.platform !== "linux") return null;
  const [r, w] = pipe();
  const child = spawnShell(
    `for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 0.05; ` +
      `for t in /proc/$0/task/*; do ` +
      `read -r nr fds nfds rest < "$t/syscall" 2>/dev/null || continue; ` +
      `[ "$nfds" = "$1" ] && { echo "\${t##*/} $nr"; exit 0; }; done; done`,
    w,
    String(process.pid),
    `0x${marker.toString(16)}`,
  );
  close(w);
  try {
    const pollfds = new Uint8Array(marker * POLLFD_SIZE);
    const words = new Int32Array(pollfds.buffer); // struct pollfd: int fd; short events, revents
    for (let i = 0; i < marker; i++) words[(i * POLLFD_SIZE) / 4] = -1;
    words[0] = r;
    new Int16Array(pollfds.buffer)[2] = POLLIN;
    const c = libc();
    // Until the child writes the tid or exits (POLLHUP); a stray signal (a child's
    // SIGCHLD) only repeats it.
    while (c.poll(pollfds, toNfds(marker), 10_000) === -1 && interruptedErrno(c.errno()));
    const [tid, nr] = new TextDecoder().decode(read(r, 64)).trim().split(" ").map(Number);
    await child.exited;
    if (tid === undefined || !Number.isInteger(tid) || tid <= 0) return null;
    if (nr !== undefined && Number.isInteger(nr)) {
      const native = syscallNumbers("poll").includes(nr) || syscallNumbers("restart").includes(nr);
      shown = { poll: native ? syscallNumbers("poll") : [nr], native };
    }
    return tid;
  } finally {
    close(r);
  }
}

/**
 * Whether /proc was seen (by {@linkcode findJsThread}) to show this architecture's
 * system call numbers; not so under qemu-user emulation, or before a thread was found.
 */
export function procShowsNative(): boolean {
  return shown?.native ?? false;
}
