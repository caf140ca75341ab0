/*
 * The other end of the watcher latency bench (bench/watch_latency.ts), and the floor
 * it is compared with: the time from a write to the moment the waiting thread runs
 * again, stamped on CLOCK_MONOTONIC, after an idle gap before each event.
 *
 *   wake_peer serve PATH EVENTS GAP_US
 *       Listens on the Unix stream socket PATH and accepts one connection. Then, for
 *       each event: sleeps GAP_US, writes its CLOCK_MONOTONIC time (8 bytes, ns, native
 *       order), and waits for a 1-byte acknowledgement, so that one event is in flight
 *       at a time. The bench's watcher reads the stamp and reads the clock again.
 *
 *   wake_peer floor EVENTS GAP_US
 *       The same events inside this process, from a writer thread, two ways, event by
 *       event alternating; prints {"one":[...],"two":[...]} (µs, sorted):
 *       one: the waiting thread is blocked in poll(2) on the socket itself (one kernel
 *            wake-up: what a runtime pays whose event loop watches the fd);
 *       two: a helper thread blocked in poll(2) on the socket wakes the waiting thread,
 *            blocked in poll(2) on an eventfd (two wake-ups: what a runtime pays whose
 *            event loop cannot watch the fd and learns of it from a thread of its own).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void must(int ok, const char *what) {
  if (!ok) {
    perror(what);
    exit(1);
  }
}

/* One event on `fd`: sleep, stamp, write; then wait for the acknowledgement. */
static void send_event(int fd, int gap_us) {
  usleep(gap_us);
  int64_t stamp = now_ns();
  must(write(fd, &stamp, sizeof stamp) == sizeof stamp, "write");
  char ack;
  must(read(fd, &ack, 1) == 1, "read acknowledgement");
}

static int serve(const char *path, int events, int gap_us) {
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  must(listener >= 0 && strlen(path) < sizeof address.sun_path, "socket");
  strcpy(address.sun_path, path);
  must(bind(listener, (struct sockaddr *)&address, sizeof address) == 0, "bind");
  must(listen(listener, 1) == 0, "listen");
  int fd = accept(listener, NULL, NULL);
  must(fd >= 0, "accept");
  close(listener);
  unlink(path);
  for (int i = 0; i < events; i++) send_event(fd, gap_us);
  close(fd);
  return 0;
}

/* The floor's threads: a writer (the bench's peer) and a helper (the worker source). */
static int events_total, gap;
static int direct[2], relayed[2], wake_fd, arm_fd;

static void *writer(void *unused) {
  (void)unused;
  for (int i = 0; i < events_total; i++) {
    send_event(direct[1], gap);
    send_event(relayed[1], gap);
  }
  return NULL;
}

/*
 * As the worker source's thread: blocked until the waiting thread asks for a round
 * (the worker's Atomics.wait; here a read of an eventfd), then in poll(2) until the
 * socket is readable, then it wakes the waiting thread.
 */
static void *helper(void *unused) {
  (void)unused;
  for (;;) {
    uint64_t count;
    must(read(arm_fd, &count, sizeof count) == sizeof count, "read arm eventfd");
    struct pollfd fd = {relayed[0], POLLIN, 0};
    must(poll(&fd, 1, -1) >= 0, "poll");
    uint64_t one = 1;
    must(write(wake_fd, &one, sizeof one) == sizeof one, "write eventfd");
  }
  return NULL;
}

static void arm(void) {
  uint64_t one = 1;
  must(write(arm_fd, &one, sizeof one) == sizeof one, "write arm eventfd");
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void print(const char *name, double *samples, int n) {
  qsort(samples, n, sizeof *samples, by_value);
  printf("\"%s\":[", name);
  for (int i = 0; i < n; i++) printf("%s%.2f", i ? "," : "", samples[i]);
  printf("]");
}

/* Reads the stamp on `fd`, acknowledges it, and returns µs since the stamp. */
static double receive(int fd) {
  int64_t stamp;
  must(read(fd, &stamp, sizeof stamp) == sizeof stamp, "read stamp");
  double us = (double)(now_ns() - stamp) / 1e3;
  must(write(fd, "a", 1) == 1, "write acknowledgement");
  return us;
}

static int floor_run(int events, int gap_us) {
  events_total = events;
  gap = gap_us;
  must(socketpair(AF_UNIX, SOCK_STREAM, 0, direct) == 0, "socketpair");
  must(socketpair(AF_UNIX, SOCK_STREAM, 0, relayed) == 0, "socketpair");
  wake_fd = eventfd(0, 0);
  arm_fd = eventfd(0, 0);
  must(wake_fd >= 0 && arm_fd >= 0, "eventfd");
  double *one = malloc(events * sizeof *one), *two = malloc(events * sizeof *two);
  pthread_t threads[2];
  must(pthread_create(&threads[0], NULL, helper, NULL) == 0, "pthread_create");
  must(pthread_create(&threads[1], NULL, writer, NULL) == 0, "pthread_create");
  arm();
  for (int i = 0; i < events; i++) {
    struct pollfd fd = {direct[0], POLLIN, 0};
    must(poll(&fd, 1, -1) == 1, "poll");
    one[i] = receive(direct[0]);
    struct pollfd woken = {wake_fd, POLLIN, 0};
    must(poll(&woken, 1, -1) == 1, "poll eventfd");
    uint64_t count;
    must(read(wake_fd, &count, sizeof count) == sizeof count, "read eventfd");
    two[i] = receive(relayed[0]);
    arm();
  }
  pthread_join(threads[1], NULL);
  printf("{");
  print("one", one, events);
  printf(",");
  print("two", two, events);
  printf("}\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "serve") == 0) {
    return serve(argv[2], atoi(argv[3]), atoi(argv[4]));
  }
  if (argc == 4 && strcmp(argv[1], "floor") == 0) return floor_run(atoi(argv[2]), atoi(argv[3]));
  fprintf(stderr, "usage: wake_peer serve PATH EVENTS GAP_US | wake_peer floor EVENTS GAP_US\n");
  return 2;
}
