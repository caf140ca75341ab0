"""CPython's readiness calls over N watched pipe fds with 5 ready (see bench/compare/c/mux.h).

Usage: python3 mux.py MECHANISM N [BUDGET_MS]
MECHANISM: selectors (DefaultSelector().select(0)), poll (select.poll().poll(0)),
epoll (select.epoll().poll(0)), select (select.select(fds, [], [], 0)).
Prints one JSON line: {"variant", "n", "ns"} with the median batch's ns per call.
"""

import json
import os
import resource
import select
import selectors
import sys
import time

READY = 5


def make_fds(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    fds = []
    for i in range(n // 2):
        r, w = os.pipe()
        fds += [r, w]
        if i < READY:
            os.write(w, b"x")
    return fds


def chunk_for(n):
    return 1000 if n <= 100 else 100 if n <= 2000 else 10


def measure(name, n, budget_ms, call):
    got = call()
    if got != READY:
        sys.exit(f"{name}: expected {READY} ready, got {got}")
    chunk = range(chunk_for(n))
    slice_ns = budget_ms * 1e6 / 6
    clock = time.perf_counter_ns
    start = clock()
    while clock() - start < slice_ns:
        for _ in chunk:
            call()
    batches = []
    for _ in range(5):
        calls = 0
        t0 = clock()
        while True:
            for _ in chunk:
                got = call()
            calls += len(chunk)
            t = clock()
            if t - t0 >= slice_ns:
                break
        batches.append((t - t0) / calls)
    if got != READY:
        sys.exit(f"{name}: expected {READY} ready, got {got}")
    batches.sort()
    print(json.dumps({"variant": name, "n": n, "ns": round(batches[2], 1)}), flush=True)


def main():
    mechanism, n = sys.argv[1], int(sys.argv[2])
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 600
    fds = make_fds(n)
    if mechanism == "selectors":
        sel = selectors.DefaultSelector()
        for fd in fds:
            sel.register(fd, selectors.EVENT_READ)

        def call():
            return len(sel.select(0))
    elif mechanism == "poll":
        p = select.poll()
        for fd in fds:
            p.register(fd, select.POLLIN)

        def call():
            return len(p.poll(0))
    elif mechanism == "epoll":
        ep = select.epoll()
        for fd in fds:
            ep.register(fd, select.EPOLLIN)

        def call():
            return len(ep.poll(0))
    elif mechanism == "select":

        def call():
            return len(select.select(fds, [], [], 0)[0])
    else:
        sys.exit(f"unknown mechanism {mechanism}")
    measure(f"python.{mechanism}", n, budget, call)


main()
