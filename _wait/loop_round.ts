/**
 * The shared waiter's rounds on Node's own loop, where a poll handle can watch the
 * ready set (`loop_wake.ts`): the set's epoll fd is watched by one handle, a timer
 * bounds the round, and the set then reads its events with a zero-timeout
 * `epoll_wait` on the JS thread. No thread and no message between threads: a wait
 * that turns ready costs one loop iteration, where a call on a worker thread costs
 * two thread wake-ups and a message back.
 *
 * A pending round keeps the process alive (the handle and the timer are ref'd while
 * it waits), as the off-thread call it replaces does; between rounds the handle is
 * unref'd but stays started, so that the next round, which a loop of waits starts
 * at once, costs no `epoll_ctl` of libuv's; readable with no round pending, it is
 * stopped (it would fire on every iteration). The handle is closed at exit (see
 * `loop_wake.ts`).
 *
 * @module
 */
import { onExit } from "../ffi/_native.ts";
import { checkpointSoon, type LoopWake, type OpenWake } from "./loop_wake.ts";

type Timer = ReturnType<typeof setTimeout>;

/** Rounds on one fd: each ends when the fd is readable or its timeout has passed. */
export class LoopRound {
  readonly #wake: LoopWake;
  readonly #offExit: () => void;
  #started = true;
  #refed = true;
  #round = 0;
  #settle: (() => void) | undefined;
  #timer: Timer | undefined;

  /** Opens the handle on `fd` (stopped until the first round); throws when it cannot. */
  constructor(fd: number, open: OpenWake) {
    this.#wake = open(fd, (stopped) => this.#readable(stopped));
    this.#offExit = onExit(() => this.#wake.close());
    this.#stop();
  }

  /**
   * Resolves once the fd is readable or `timeout` ms have passed. A timer may end
   * the round a little early in real time (the loop's clock is taken at the start
   * of its iteration): the caller checks its deadlines and waits again.
   */
  wait(timeout: number): Promise<void> {
    return new Promise((resolve) => {
      const round = ++this.#round;
      this.#settle = resolve;
      if (!this.#started) {
        this.#started = true;
        this.#wake.start();
      }
      if (!this.#refed) {
        this.#refed = true;
        this.#wake.setRef(true);
      }
      this.#timer = setTimeout(() => this.#end(round), timeout);
    });
  }

  /** Releases the handle; no round may be pending. */
  close(): void {
    clearTimeout(this.#timer);
    this.#offExit();
    this.#wake.close();
  }

  /**
   * From the loop's poll phase. The round ends here, and the promise's reactions
   * run in the check phase of the same iteration (`checkpointSoon`).
   */
  #readable(stopped: boolean): void {
    if (stopped) this.#started = false;
    if (this.#settle === undefined) return this.#stop();
    this.#end(this.#round);
    checkpointSoon();
  }

  #end(round: number): void {
    // A timer or an immediate of a round that has ended already.
    if (round !== this.#round || this.#settle === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#refed = false;
    this.#wake.setRef(false);
    const settle = this.#settle;
    this.#settle = undefined;
    settle();
  }

  #stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#wake.stop();
  }
}
