/*
 * select(nfds, &set, 0, 0, &zero) in a loop over N watched pipe fds, 5 ready. The
 * set is rebuilt before each call (select overwrites it) and scanned after, as
 * every language's select() does.
 */
#include <sys/select.h>

#include "mux.h"

static int nfds;
static int maxfd;
static volatile int sink;

static int call(void) {
  fd_set set;
  FD_ZERO(&set);
  for (int i = 0; i < nwatched; i++) FD_SET(watched[i], &set);
  struct timeval zero = {0, 0};
  int n = select(maxfd + 1, &set, NULL, NULL, &zero);
  if (n < 0) die("select");
  int found = 0, sum = 0;
  for (int i = 0; i < nwatched; i++)
    if (FD_ISSET(watched[i], &set)) {
      sum += watched[i];
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
  for (int i = 0; i < nfds; i++) {
    if (watched[i] >= FD_SETSIZE) {
      fprintf(stderr, "fd %d >= FD_SETSIZE\n", watched[i]);
      return 2;
    }
    if (watched[i] > maxfd) maxfd = watched[i];
  }
  measure("c.select", nfds, budget, call);
  return 0;
}
