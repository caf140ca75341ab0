/**
 * Whether this machine has IPv6 loopback: a socket bound to `::1` (containers and
 * sandboxes often have none).
 *
 * @module
 */
import { AF_INET6, Socket } from "../../socket/mod.ts";

/** Whether an IPv6 socket can bind `::1` here. */
export function hasIPv6(): boolean {
  try {
    using s = new Socket(AF_INET6);
    s.bind(["::1", 0]);
    return true;
  } catch {
    return false;
  }
}
