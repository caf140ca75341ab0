// Whether this process can make a kqueue: natively (macOS, FreeBSD), or on Linux
// through the libkqueue that IOMUX_KQUEUE_LIB names.
import { kqueue, OSError } from "../../select/mod.ts";

function probe(): string | false {
  try {
    kqueue().close();
    return false;
  } catch (error) {
    if (error instanceof OSError && error.code === "ENOSYS") {
      return `no kqueue here (${error.strerror}); set IOMUX_KQUEUE_LIB to a libkqueue shared library`;
    }
    throw error;
  }
}

/** `false` when kqueue works, else why not: a test `skip` reason. */
export const kqueueUnavailable: string | false = probe();
