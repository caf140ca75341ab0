/**
 * Socket fixtures: a fresh AF_UNIX pair around a test body, leak-checked.
 *
 * @module
 */
import { AF_UNIX, type Socket, socketpair } from "../../socket/mod.ts";
import { leakFree } from "./fds.ts";

/** Runs `body` on a fresh AF_UNIX socketpair of `type`, closed after, leak-checked. */
export function withSocketPair(
  type: number,
  body: (a: Socket, b: Socket) => void,
): () => Promise<void> {
  return leakFree(() => {
    const [a, b] = socketpair(AF_UNIX, type);
    try {
      body(a, b);
    } finally {
      a.close();
      b.close();
    }
  });
}
