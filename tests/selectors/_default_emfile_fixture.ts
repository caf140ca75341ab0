// Run by default_emfile_test.ts in a child whose fd limit is low: the first
// DefaultSelector is made while the process is out of fds, then again after some
// are freed. Prints what it saw as JSON.
import { DefaultSelector } from "../../selectors/mod.ts";
import { close, O_RDONLY, open, OSError } from "../../os/mod.ts";

const held: number[] = [];
let exhausted = false;
while (!exhausted) {
  try {
    held.push(open("/dev/null", O_RDONLY));
  } catch (e) {
    if (!(e instanceof OSError && e.code === "EMFILE")) throw e;
    exhausted = true;
  }
}
let first: string;
try {
  const sel = new DefaultSelector();
  first = `made ${sel.constructor.name}`;
  sel.close();
} catch (e) {
  first = e instanceof OSError ? `OSError ${e.code}` : `${e}`;
}
for (const fd of held.splice(0, 8)) close(fd);
const sel = new DefaultSelector();
const second = sel.constructor.name;
sel.close();
for (const fd of held) close(fd);
console.log(JSON.stringify({ first, second }));
