/* Proactor scenarios over loopback TCP, run on both libraries by run.sh.
 *
 *   proactor hasty_header_first   a raw TCP client sends the AMQP header,
 *                                 pauses, then its open frame and its end of
 *                                 stream together; the server connection's
 *                                 events are printed.
 *   proactor hasty_all_at_once    the same, all bytes and the end at once.
 *   proactor flow_batches         a server sends one message for each
 *                                 PN_LINK_FLOW to a client that granted 20
 *                                 credits; prints how many batches the
 *                                 sends took (they come from encoding).
 */
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <proton/connection.h>
#include <proton/delivery.h>
#include <proton/event.h>
#include <proton/link.h>
#include <proton/listener.h>
#include <proton/netaddr.h>
#include <proton/proactor.h>
#include <proton/session.h>
#include <proton/transport.h>

#define CREDIT 20
#define BODY 100

static char port[PN_MAX_ADDR];

/* What the hasty client writes: header and open, from a sans-I/O transport. */
static char hasty_bytes[1024];
static size_t hasty_size, hasty_first;

static void make_hasty_bytes(void) {
  pn_connection_t *c = pn_connection();
  pn_transport_t *t = pn_transport();
  pn_transport_bind(t, c);
  pn_connection_set_container(c, "hasty-client");
  pn_connection_open(c);
  ssize_t n;
  while ((n = pn_transport_pending(t)) > 0 && hasty_size + (size_t)n <= sizeof hasty_bytes) {
    memcpy(hasty_bytes + hasty_size, pn_transport_head(t), (size_t)n);
    hasty_size += (size_t)n;
    pn_transport_pop(t, (size_t)n);
  }
  pn_transport_free(t);
  pn_connection_free(c);
}

static void *hasty_client(void *arg) {
  (void)arg;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("connect");
    exit(1);
  }
  if (hasty_first) {
    if (write(s, hasty_bytes, hasty_first) < 0) perror("write");
    usleep(100 * 1000);
  }
  if (write(s, hasty_bytes + hasty_first, hasty_size - hasty_first) < 0) perror("write");
  shutdown(s, SHUT_WR);
  char sink[1024];
  while (read(s, sink, sizeof sink) > 0) {
  }
  close(s);
  return NULL;
}

int main(int argc, char **argv) {
  const char *scenario = argc > 1 ? argv[1] : "";
  int flow = !strcmp(scenario, "flow_batches");
  if (!flow && strcmp(scenario, "hasty_header_first") && strcmp(scenario, "hasty_all_at_once")) {
    fprintf(stderr, "usage: proactor hasty_header_first|hasty_all_at_once|flow_batches\n");
    return 2;
  }
  make_hasty_bytes();
  hasty_first = strcmp(scenario, "hasty_header_first") ? 0 : 8;

  pn_proactor_t *p = pn_proactor();
  pn_listener_t *l = pn_listener();
  pn_proactor_listen(p, l, "127.0.0.1:0", 16);
  pn_proactor_set_timeout(p, 10000); /* a hang fails the test */
  pn_connection_t *server = NULL, *client = NULL;
  pthread_t thread;
  int started = 0, batch = 0, sent = 0, received = 0, first_batch = 0, last_batch = 0, done = 0;
  char body[BODY] = {0}, buf[BODY];

  while (!done) {
    pn_event_batch_t *b = pn_proactor_wait(p);
    pn_event_t *e;
    batch++;
    while ((e = pn_event_batch_next(b))) {
      pn_connection_t *c = pn_event_connection(e);
      pn_event_type_t type = pn_event_type(e);
      if (!flow && c && c == server && type != PN_TRANSPORT) printf("%s\n", pn_event_type_name(type));
      switch (type) {
      case PN_LISTENER_OPEN:
        pn_netaddr_host_port(pn_listener_addr(l), NULL, 0, port, sizeof port);
        if (flow) {
          char addr[PN_MAX_ADDR + 16];
          snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
          client = pn_connection();
          pn_proactor_connect2(p, client, NULL, addr);
        } else {
          pthread_create(&thread, NULL, hasty_client, NULL);
          started = 1;
        }
        break;
      case PN_LISTENER_ACCEPT:
        server = pn_connection();
        pn_listener_accept2(l, server, NULL);
        break;
      case PN_PROACTOR_TIMEOUT:
        printf("timed out\n");
        return 1;
      case PN_PROACTOR_INACTIVE:
        done = 1;
        break;
      case PN_CONNECTION_INIT:
        if (c == client) {
          pn_connection_open(c);
          pn_session_t *s = pn_session(c);
          pn_session_open(s);
          pn_link_t *r = pn_receiver(s, "r");
          pn_link_open(r);
          pn_link_flow(r, CREDIT);
        }
        break;
      case PN_CONNECTION_REMOTE_OPEN:
        if (c == server) pn_connection_open(c);
        break;
      case PN_SESSION_REMOTE_OPEN:
        if (c == server) pn_session_open(pn_event_session(e));
        break;
      case PN_LINK_REMOTE_OPEN:
        if (c == server) pn_link_open(pn_event_link(e));
        break;
      case PN_LINK_FLOW:
        if (c == server && flow) {
          pn_link_t *s = pn_event_link(e);
          if (pn_link_credit(s) > 0 && sent < CREDIT) {
            long tag = ++sent;
            pn_delivery_t *d = pn_delivery(s, pn_dtag((const char *)&tag, sizeof tag));
            pn_link_send(s, body, sizeof body);
            pn_link_advance(s);
            pn_delivery_settle(d);
            if (!first_batch) first_batch = batch;
            last_batch = batch;
          }
        }
        break;
      case PN_DELIVERY:
        if (c == client) {
          pn_delivery_t *d = pn_event_delivery(e);
          if (pn_delivery_readable(d) && !pn_delivery_partial(d)) {
            pn_link_recv(pn_event_link(e), buf, sizeof buf);
            pn_delivery_settle(d);
            if (++received == CREDIT) pn_connection_close(c);
          }
        }
        break;
      case PN_CONNECTION_REMOTE_CLOSE:
        pn_connection_close(c);
        break;
      case PN_TRANSPORT_CLOSED:
        if (c == server) {
          pn_proactor_cancel_timeout(p);
          pn_listener_close(l);
        }
        break;
      default:
        break;
      }
    }
    pn_proactor_done(p, b);
  }
  if (started) pthread_join(thread, NULL);
  if (flow) {
    printf("%d messages sent, %d received\n", sent, received);
    printf("the sends took %d batch(es)\n", last_batch - first_batch + 1);
  }
  pn_proactor_free(p);
  return 0;
}
