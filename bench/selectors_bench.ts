/**
 * `select(0)` of each selector with 10, 1,000 and 10,000 registered pipe ends,
 * 5 of them readable: the cost of one event-loop turn. `SelectSelector` runs at 10
 * only (select(2) stops at FD_SETSIZE = 1,024).
 *
 * 10,000 pipes would need 20,000 fds, the whole RLIMIT_NOFILE of the machines this
 * was written on (20,000, hard limit too, and no CAP_SYS_RESOURCE to raise it). So
 * the selectors register both ends of N/2 pipes for EVENT_READ: a write end is
 * never readable, so it costs the kernel the same per-fd check as an idle read
 * end, and the fd count is N.
 *
 * Run: `deno bench --allow-ffi --allow-read --allow-env bench/selectors_bench.ts`
 *
 * @module
 */
import { pipe, write } from "../os/mod.ts";
import {
  type BaseSelectorImpl,
  DefaultSelector,
  EVENT_READ,
  PollSelector,
  SelectSelector,
} from "../selectors/mod.ts";

const READY = 5;
const SIZES = [10, 1_000, 10_000];
const pipes: [number, number][] = [];
for (let i = 0; i < SIZES.at(-1)! / 2; i++) pipes.push(pipe());
const byte = new Uint8Array([1]);
for (let i = 0; i < READY; i++) write(pipes[i]![1], byte);

function filled(selector: BaseSelectorImpl, n: number): BaseSelectorImpl {
  for (const [r, w] of pipes.slice(0, n / 2)) {
    selector.register(r, EVENT_READ);
    selector.register(w, EVENT_READ);
  }
  if (selector.select(0).length !== READY) throw new Error("expected 5 ready fds");
  return selector;
}

for (const n of SIZES) {
  const group = `${n} fds, ${READY} ready`;
  const selectors: [string, BaseSelectorImpl][] = [
    [`DefaultSelector (${DefaultSelector.name})`, filled(new DefaultSelector(), n)],
    ["PollSelector", filled(new PollSelector(), n)],
  ];
  if (n === 10) selectors.push(["SelectSelector", filled(new SelectSelector(), n)]);
  for (const [name, selector] of selectors) {
    Deno.bench(`${name}.select(0)`, { group, baseline: name.startsWith("Default") }, () => {
      selector.select(0);
    });
  }
}
