/* epoll_wait(ep, events, 1024, 0) in a loop over N watched pipe fds, 5 ready. */
#include <sys/epoll.h>

#include "mux.h"

static int ep;
static struct epoll_event events[1024];
static volatile int sink;

static int call(void) {
  int n = epoll_wait(ep, events, 1024, 0);
  if (n < 0) die("epoll_wait");
  int sum = 0;
  for (int i = 0; i < n; i++) sum += events[i].data.fd;
  sink = sum;
  return n;
}

int main(int argc, char **argv) {
  int n;
  double budget;
  parse_args(argc, argv, &n, &budget);
  make_fds(n);
  start_idle_thread();
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  for (int i = 0; i < n; i++) {
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = watched[i]};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, watched[i], &ev) != 0) die("epoll_ctl");
  }
  measure("c.epoll_wait", n, budget, call);
  return 0;
}
