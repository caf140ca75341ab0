/*
 * Shared set-up for the C readiness loops: N watched pipe fds with 5 ready, an
 * idle extra thread, and the timing protocol every runtime's variant follows.
 *
 * Why both ends of N/2 pipes: 10,000 pipes need 20,000 fds, which is exactly the
 * usual hard RLIMIT_NOFILE, and select() at N = 1,000 needs every fd below 1,024.
 * Watching both ends of N/2 pipes for reading gives N distinct pipe files, of which
 * exactly the 5 read ends holding a byte are ready (a write end never reports
 * POLLIN). Every runtime's variant sets up the same fds in the same way.
 *
 * Why the idle thread: in a process with more than one thread the kernel takes an
 * atomic reference on each fd's file for every poll/select (Linux fs/file.c,
 * __fget_light: "no refcnt increment if fd table isn't shared"), which a
 * single-threaded C program skips. Every JS runtime is multi-threaded, so the fair
 * baseline is C with one idle thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define READY 5

static int *watched; /* N fds, read ends first within each pipe */
static int nwatched;

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) die("getrlimit");
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0) die("setrlimit");
}

static void *idle_thread(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void start_idle_thread(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, idle_thread, NULL) != 0) die("pthread_create");
  pthread_detach(t);
}

static void make_fds(int n) {
  raise_nofile();
  nwatched = n;
  watched = calloc((size_t)n, sizeof(int));
  for (int i = 0; i < n / 2; i++) {
    int p[2];
    if (pipe(p) != 0) die("pipe");
    watched[2 * i] = p[0];
    watched[2 * i + 1] = p[1];
    if (i < READY && write(p[1], "x", 1) != 1) die("write");
  }
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Calls per clock read: enough that reading the clock costs nothing measurable. */
static int chunk_for(int n) { return n <= 100 ? 1000 : n <= 2000 ? 100 : 10; }

/*
 * The protocol: warm up for a fifth of the budget, then 5 batches of a fifth each;
 * prints the median batch's ns per call as one JSON line. `call` returns the number
 * of ready fds, which must be READY.
 */
static void measure(const char *name, int n, double budget_ms, int (*call)(void)) {
  int got = call();
  if (got != READY) {
    fprintf(stderr, "%s: expected %d ready, got %d\n", name, READY, got);
    exit(1);
  }
  int chunk = chunk_for(n);
  double slice = budget_ms * 1e6 / 6;
  double start = now_ns();
  while (now_ns() - start < slice)
    for (int i = 0; i < chunk; i++) call();
  double batches[5];
  for (int b = 0; b < 5; b++) {
    long calls = 0;
    double t0 = now_ns(), t;
    do {
      for (int i = 0; i < chunk; i++) got = call();
      calls += chunk;
      t = now_ns();
    } while (t - t0 < slice);
    batches[b] = (t - t0) / (double)calls;
  }
  if (got != READY) {
    fprintf(stderr, "%s: expected %d ready, got %d\n", name, READY, got);
    exit(1);
  }
  qsort(batches, 5, sizeof(double), cmp_double);
  printf("{\"variant\":\"%s\",\"n\":%d,\"ns\":%.1f}\n", name, n, batches[2]);
}

static void parse_args(int argc, char **argv, int *n, double *budget_ms) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s N [budget_ms]\n", argv[0]);
    exit(2);
  }
  *n = atoi(argv[1]);
  *budget_ms = argc > 2 ? atof(argv[2]) : 600;
  if (*n < 2 * READY || *n % 2 != 0) {
    fprintf(stderr, "N must be even and at least %d\n", 2 * READY);
    exit(2);
  }
}
