/*
 * The C floor, measured inside the JS process: a shared library whose loops make
 * the same readiness calls as bench/compare/c/{epoll_wait,poll,select}.c on the
 * fds iomux watches (the very epoll fd of the selector), so that a runtime's FFI
 * can call a whole loop of `calls` system calls at once and time it on the same
 * thread's CPU clock as the iomux calls it interleaves with (js/floor.mjs). In a
 * JS process the kernel's per-call costs (the fd references a multi-threaded
 * process takes, the cache state) are the same for both sides.
 *
 * The byte loops (iomux_floor_sendrecv, iomux_floor_writeread) are the same for the
 * socket and os calls: a round trip of `len` bytes through a socket pair or a pipe.
 *
 * Built by bench/compare/main.ts: cc -O2 -shared -fPIC floor.c -o libiomux_floor.so
 */
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile int sink;

/* CLOCK_THREAD_CPUTIME_ID in nanoseconds, as a double (exact below 2^53 ns). */
double iomux_thread_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct epoll_event *events;
static int events_len;

/* `calls` × epoll_wait(epfd, events, maxevents, 0), the ready fds summed; the last count. */
int iomux_floor_epoll(int epfd, int maxevents, int calls) {
  if (events_len < maxevents) {
    free(events);
    events = calloc((size_t)maxevents, sizeof *events);
    events_len = maxevents;
  }
  int n = 0;
  for (int c = 0; c < calls; c++) {
    n = epoll_wait(epfd, events, maxevents, 0);
    if (n < 0) return -1;
    int sum = 0;
    for (int i = 0; i < n; i++) sum += events[i].data.fd;
    sink = sum;
  }
  return n;
}

static struct pollfd *pollfds;
static int pollfds_len;

/* Fills the pollfd array the poll loop reuses (a C program keeps its array). */
int iomux_floor_poll_set(const int *fds, int nfds, int mask) {
  free(pollfds);
  pollfds = calloc((size_t)nfds, sizeof *pollfds);
  if (pollfds == NULL) return -1;
  for (int i = 0; i < nfds; i++) {
    pollfds[i].fd = fds[i];
    pollfds[i].events = (short)mask;
  }
  pollfds_len = nfds;
  return 0;
}

/* `calls` × poll(pollfds, nfds, 0), revents scanned; the last count. */
int iomux_floor_poll(int calls) {
  int n = 0;
  for (int c = 0; c < calls; c++) {
    n = poll(pollfds, (nfds_t)pollfds_len, 0);
    if (n < 0) return -1;
    int found = 0, sum = 0;
    for (int i = 0; i < pollfds_len && found < n; i++)
      if (pollfds[i].revents) {
        sum += pollfds[i].fd;
        found++;
      }
    sink = sum;
  }
  return n;
}

static int *select_fds;
static int select_len;
static int select_max;

/* The fds the select loop watches for reading (each below FD_SETSIZE). */
int iomux_floor_select_set(const int *fds, int nfds) {
  free(select_fds);
  select_fds = calloc((size_t)nfds, sizeof *select_fds);
  if (select_fds == NULL) return -1;
  select_max = -1;
  for (int i = 0; i < nfds; i++) {
    if (fds[i] >= FD_SETSIZE) return -1;
    select_fds[i] = fds[i];
    if (fds[i] > select_max) select_max = fds[i];
  }
  select_len = nfds;
  return 0;
}

/* `calls` × select() with the set rebuilt before and scanned after; the last count. */
int iomux_floor_select(int calls) {
  int found = 0;
  for (int c = 0; c < calls; c++) {
    fd_set set;
    FD_ZERO(&set);
    for (int i = 0; i < select_len; i++) FD_SET(select_fds[i], &set);
    struct timeval zero = {0, 0};
    int n = select(select_max + 1, &set, NULL, NULL, &zero);
    if (n < 0) return -1;
    int sum = 0;
    found = 0;
    for (int i = 0; i < select_len; i++)
      if (FD_ISSET(select_fds[i], &set)) {
        sum += select_fds[i];
        found++;
      }
    sink = sum;
  }
  return found;
}

static unsigned char bytes[65536];

/*
 * `calls` × send(a, bytes, len, MSG_NOSIGNAL) then recv(b, bytes, 65536, 0): one
 * round trip of `len` bytes over a socket pair; the last count received.
 */
int iomux_floor_sendrecv(int a, int b, int len, int calls) {
  int got = 0;
  for (int c = 0; c < calls; c++) {
    if (send(a, bytes, (size_t)len, MSG_NOSIGNAL) != len) return -1;
    got = (int)recv(b, bytes, sizeof bytes, 0);
    if (got < 0) return -1;
    sink = bytes[0];
  }
  return got;
}

/* `calls` × write(w, bytes, len) then read(r, bytes, 65536): the same through a pipe. */
int iomux_floor_writeread(int w, int r, int len, int calls) {
  int got = 0;
  for (int c = 0; c < calls; c++) {
    if (write(w, bytes, (size_t)len) != len) return -1;
    got = (int)read(r, bytes, sizeof bytes);
    if (got < 0) return -1;
    sink = bytes[0];
  }
  return got;
}
