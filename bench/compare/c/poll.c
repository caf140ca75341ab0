/* poll(fds, N, 0) in a loop over N watched pipe fds, 5 ready, revents scanned. */
#include <poll.h>

#include "mux.h"

static struct pollfd *fds;
static int nfds;
static volatile int sink;

static int call(void) {
  int n = poll(fds, (nfds_t)nfds, 0);
  if (n < 0) die("poll");
  int found = 0, sum = 0;
  for (int i = 0; i < nfds && found < n; i++)
    if (fds[i].revents) {
      sum += fds[i].fd;
      found++;
    }
  sink = sum;
  return found;
}

int main(int argc, char **argv) {
  double budget;
  parse_args(argc, argv, &nfds, &budget);
  make_fds(nfds);
  start_idle_thread();
  fds = calloc((size_t)nfds, sizeof(struct pollfd));
  for (int i = 0; i < nfds; i++) {
    fds[i].fd = watched[i];
    fds[i].events = POLLIN;
  }
  measure("c.poll", nfds, budget, call);
  return 0;
}
