/*
 * The echo load client: C clients on 127.0.0.1 that each send a message, wait
 * for its echo, and repeat; all driven by one epoll loop in one thread, so the
 * client costs the same whichever server it measures.
 *
 * Usage: echo_client PORT [CLIENTS ROUNDS SIZE]   (defaults 50 2000 64)
 * Prints one JSON line: {"clients","rounds","size","seconds","rtt_per_s"}.
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

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PORT [CLIENTS ROUNDS SIZE]\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]);
  int nclients = argc > 2 ? atoi(argv[2]) : 50;
  int rounds = argc > 3 ? atoi(argv[3]) : 2000;
  int size = argc > 4 ? atoi(argv[4]) : 64;
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
    clients[i].rounds_left = rounds;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &clients[i]};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
  }

  /* One warm-up round trip per client, so that accept() is not timed. */
  for (int i = 0; i < nclients; i++) {
    send_message(&clients[i], msg, size);
    int got = 0;
    while (got < size) {
      ssize_t r = recv(clients[i].fd, buf, 65536, 0);
      if (r <= 0) die("recv (warm-up)");
      got += (int)r;
    }
  }

  double t0 = now_s();
  for (int i = 0; i < nclients; i++) send_message(&clients[i], msg, size);
  int active = nclients;
  struct epoll_event events[256];
  while (active > 0) {
    int n = epoll_wait(ep, events, 256, 10000);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    if (n == 0) {
      fprintf(stderr, "echo_client: no echo for 10 s\n");
      return 1;
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
        return 1;
      }
      if (--c->rounds_left == 0) {
        active--;
        close(c->fd);
      } else {
        send_message(c, msg, size);
      }
    }
  }
  double seconds = now_s() - t0;
  printf("{\"clients\":%d,\"rounds\":%d,\"size\":%d,\"seconds\":%.4f,\"rtt_per_s\":%.0f}\n",
         nclients, rounds, size, seconds, (double)nclients * rounds / seconds);
  return 0;
}
