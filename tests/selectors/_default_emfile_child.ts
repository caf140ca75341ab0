// Run by default_emfile_test.ts in a child process whose RLIMIT_NOFILE is small:
// fills the fd table, then makes DefaultSelectors with the table full, with room,
// and full again. Prints what happened as JSON. The first DefaultSelector of the
// process is made with the table full, so its choice is made at EMFILE.
import { close, O_RDONLY, open } from "../../os/mod.ts";
import { DefaultSelector, OSError } from "../../selectors/mod.ts";

const held: number[] = [];

/** Opens /dev/null until the table is full; the error code that stopped it. */
function fill(): string {
  for (;;) {
    try {
      held.push(open("/dev/null", O_RDONLY));
    } catch (error) {
      if (error instanceof OSError) return String(error.code);
      throw error;
    }
  }
}

/** One `new DefaultSelector()`: its class, or the code of the OSError it threw. */
function attempt(): { made?: string; instance?: boolean; error?: string } {
  try {
    const sel = new DefaultSelector();
    const outcome = { made: sel.constructor.name, instance: sel instanceof DefaultSelector };
    sel.close();
    return outcome;
  } catch (error) {
    if (error instanceof OSError) return { error: String(error.code) };
    throw error;
  }
}

/** Whether one more fd can be had now (and gives it back). */
function full(): boolean {
  try {
    close(open("/dev/null", O_RDONLY));
    return false;
  } catch (error) {
    if (error instanceof OSError && error.code === "EMFILE") return true;
    throw error;
  }
}

const prototypeBefore = {
  selectAsync: typeof DefaultSelector.prototype.selectAsync,
  select: typeof DefaultSelector.prototype.select,
  name: DefaultSelector.name,
};

// Load libc and take the runtime's own start-up fds before the table fills.
close(open("/dev/null", O_RDONLY));

const filled = fill();
const whileFull = attempt();
const stillFull = full();
for (const fd of held.splice(0, 8)) close(fd);
const withRoom = attempt();
const refilled = fill();
const fullAgain = attempt();
const fullAgainStillFull = full();
for (const fd of held.splice(0)) close(fd);
const afterwards = attempt();
console.log(JSON.stringify({
  prototypeBefore,
  filled,
  whileFull,
  stillFull,
  withRoom,
  refilled,
  fullAgain,
  fullAgainStillFull,
  afterwards,
}));
