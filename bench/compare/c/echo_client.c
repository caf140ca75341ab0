/*
 * The echo load client: C clients on 127.0.0.1 that each send a message, wait
 * for its echo, and repeat; all driven by one epoll loop in one thread, so the
 * client costs the same whichever server it measures.
 *
 * Usage: echo_client PORT [CLIENTS ROUNDS SIZE SERVER_PID]   (defaults 50 2000 64)
 * Each client first does a tenth of its round trips untimed (warm-up). Prints one JSON
 * line: {"clients","rounds","size","seconds","rtt_per_s"}, and with SERVER_PID also
 * "server_user_us_per_rtt" and "server_sys_us_per_rtt", the server's CPU time in user mode
 * and in the kernel (from /proc) per round trip over the timed phase.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct client {
  int fd;
  int rounds_left;
  int received; /* bytes of the current echo received so far */
};

static void die(const char *what) {
  perror(what);
  exit(1);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void send_message(struct client *c, const char *msg, int size) {
  ssize_t sent = send(c->fd, msg, (size_t)size, MSG_NOSIGNAL);
  /* 64 bytes always fit an empty socket buffer: the echo of the previous one is in. */
  if (sent != size) die("send");
  c->received = 0;
}

/* The CPU time (seconds) process `pid` has used, in user mode and in the kernel; 0 when
   it cannot be read. */
static int cpu_seconds(int pid, double *user, double *sys) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  unsigned long utime = 0, stime = 0;
  /* After ") ": state, then fields 4..13, then utime (14) and stime (15). */
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                   &stime) != 2)
    return 0;
  *user = (double)utime / (double)sysconf(_SC_CLK_TCK);
  *sys = (double)stime / (double)sysconf(_SC_CLK_TCK);
  return 1;
}

/* Every client does `rounds` round trips, all at once, driven by one epoll loop. */
static void run_phase(int ep, struct client *clients, int nclients, int rounds, const char *msg,
                      int size, char *buf) {
  for (int i = 0; i < nclients; i++) {
    clients[i].rounds_left = rounds;
    send_message(&clients[i], msg, size);
  }
  int active = nclients;
  struct epoll_event events[256];
  while (active > 0) {
    int n = epoll_wait(ep, events, 256, 10000);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    if (n == 0) {
      fprintf(stderr, "echo_client: no echo for 10 s\n");
      exit(1);
    }
    for (int i = 0; i < n; i++) {
      struct client *c = events[i].data.ptr;
      ssize_t r = recv(c->fd, buf, 65536, MSG_DONTWAIT);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0) die("recv");
      c->received += (int)r;
      if (c->received < size) continue;
      if (c->received > size) {
        fprintf(stderr, "echo_client: %d bytes echoed for %d sent\n", c->received, size);
        exit(1);
      }
      if (--c->rounds_left == 0) {
        active--;
      } else {
        send_message(c, msg, size);
      }
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PORT [CLIENTS ROUNDS SIZE SERVER_PID]\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]);
  int nclients = argc > 2 ? atoi(argv[2]) : 50;
  int rounds = argc > 3 ? atoi(argv[3]) : 2000;
  int size = argc > 4 ? atoi(argv[4]) : 64;
  int server_pid = argc > 5 ? atoi(argv[5]) : 0;
  char *msg = malloc((size_t)size);
  char *buf = malloc(65536);
  memset(msg, 'e', (size_t)size);

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct client *clients = calloc((size_t)nclients, sizeof *clients);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  for (int i = 0; i < nclients; i++) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) die("connect");
    clients[i].fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &clients[i]};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
  }

  /* Warm-up, a tenth of the load, untimed: accept() and any JIT compiler run here. */
  int warmup = rounds / 10 > 0 ? rounds / 10 : 1;
  run_phase(ep, clients, nclients, warmup, msg, size, buf);

  double user0 = 0, sys0 = 0, user1 = 0, sys1 = 0;
  int cpu = server_pid && cpu_seconds(server_pid, &user0, &sys0);
  double t0 = now_s();
  run_phase(ep, clients, nclients, rounds, msg, size, buf);
  double seconds = now_s() - t0;
  cpu = cpu && cpu_seconds(server_pid, &user1, &sys1);
  for (int i = 0; i < nclients; i++) close(clients[i].fd);

  double round_trips = (double)nclients * rounds;
  printf("{\"clients\":%d,\"rounds\":%d,\"size\":%d,\"seconds\":%.4f,\"rtt_per_s\":%.0f", nclients,
         rounds, size, seconds, round_trips / seconds);
  if (cpu)
    printf(",\"server_user_us_per_rtt\":%.3f,\"server_sys_us_per_rtt\":%.3f",
           (user1 - user0) * 1e6 / round_trips, (sys1 - sys0) * 1e6 / round_trips);
  printf("}\n");
  return 0;
}
