/* TLS over TCP between two processes, each on a library of its own
 * (proton-rs or proton-c): a server that requires a client certificate
 * and receives N messages, and a client that verifies the server's
 * certificate and name and sends them. Plain sockets and
 * pn_connection_driver; certificates from tests/tls/make-certs.sh.
 * Each prints what it learnt about the other (deterministic lines only).
 *
 * usage: tls_interop server PORT CERTDIR [N]
 *        tls_interop client PORT CERTDIR [N] */
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/delivery.h>
#include <proton/event.h>
#include <proton/link.h>
#include <proton/session.h>
#include <proton/ssl.h>
#include <proton/transport.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int server_mode, n_messages = 1000, sent, received, accepted;
static const char *role;

static void print_cond(const char *label, pn_condition_t *c) {
  if (c && pn_condition_is_set(c)) {
    const char *d = pn_condition_get_description(c);
    printf("%s: %s=(%s, %s)\n", role, label, pn_condition_get_name(c), d ? d : "null");
  }
}

static void print_peer(pn_transport_t *t) {
  pn_ssl_t *ssl = pn_ssl(t);
  char cipher[64] = "", proto[64] = "";
  pn_ssl_get_cipher_name(ssl, cipher, sizeof cipher);
  pn_ssl_get_protocol_name(ssl, proto, sizeof proto);
  const char *subject = pn_ssl_get_remote_subject(ssl);
  const char *user = pn_transport_get_user(t);
  printf("%s: peer open: protocol=%s cipher=%s ssf=%d subject=%s user=%s encrypted=%d\n", role, proto, cipher,
         pn_ssl_get_ssf(ssl), subject ? subject : "null", user ? user : "null", pn_transport_is_encrypted(t));
}

static void handle(pn_connection_driver_t *d) {
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(d))) {
    switch (pn_event_type(e)) {
    case PN_CONNECTION_REMOTE_OPEN:
      print_peer(pn_event_transport(e));
      if (server_mode) pn_connection_open(pn_event_connection(e));
      break;
    case PN_SESSION_REMOTE_OPEN:
      if (server_mode) pn_session_open(pn_event_session(e));
      break;
    case PN_LINK_REMOTE_OPEN:
      if (server_mode) {
        pn_link_t *l = pn_event_link(e);
        pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
        pn_link_open(l);
        pn_link_flow(l, 100);
      }
      break;
    case PN_LINK_FLOW: {
      pn_link_t *l = pn_event_link(e);
      while (!server_mode && pn_link_credit(l) > 0 && sent < n_messages) {
        char tag[16], body[64];
        snprintf(tag, sizeof tag, "%d", sent);
        int n = snprintf(body, sizeof body, "message %d", sent);
        pn_delivery(l, pn_dtag(tag, strlen(tag)));
        pn_link_send(l, body, n);
        pn_link_advance(l);
        sent++;
      }
      break;
    }
    case PN_DELIVERY: {
      pn_delivery_t *dl = pn_event_delivery(e);
      pn_link_t *l = pn_delivery_link(dl);
      if (server_mode && pn_delivery_readable(dl) && !pn_delivery_partial(dl)) {
        char buf[64];
        ssize_t n = pn_link_recv(l, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        char expect[64];
        snprintf(expect, sizeof expect, "message %d", received);
        if (strcmp(buf, expect)) printf("%s: unexpected body '%s'\n", role, buf);
        pn_link_advance(l);
        pn_delivery_update(dl, PN_ACCEPTED);
        pn_delivery_settle(dl);
        received++;
        if (pn_link_credit(l) < 50) pn_link_flow(l, 100 - pn_link_credit(l));
      } else if (!server_mode && pn_delivery_updated(dl)) {
        if (pn_delivery_remote_state(dl) == PN_ACCEPTED) accepted++;
        pn_delivery_settle(dl);
        if (accepted == n_messages) pn_connection_close(pn_event_connection(e));
      }
      break;
    }
    case PN_CONNECTION_REMOTE_CLOSE:
      if (server_mode) pn_connection_close(pn_event_connection(e));
      break;
    case PN_TRANSPORT_CLOSED:
      print_cond("transport condition", pn_transport_condition(pn_event_transport(e)));
      break;
    default:
      break;
    }
  }
}

static int run(int fd, pn_connection_driver_t *d) {
  int wr_shut = 0;
  while (!pn_connection_driver_finished(d)) {
    handle(d);
    if (pn_connection_driver_finished(d)) break;
    pn_rwbytes_t rb = pn_connection_driver_read_buffer(d);
    pn_bytes_t wb = pn_connection_driver_write_buffer(d);
    if (pn_connection_driver_write_closed(d) && !wr_shut) {
      shutdown(fd, SHUT_WR);
      wr_shut = 1;
    }
    struct pollfd p = {fd, (short)((rb.size ? POLLIN : 0) | (wb.size ? POLLOUT : 0)), 0};
    if (!p.events) continue;
    int r = poll(&p, 1, 10000);
    if (r == 0) {
      printf("%s: timed out\n", role);
      return 1;
    }
    if (r < 0 && errno != EINTR) return 1;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = rb.size ? read(fd, rb.start, rb.size) : 0;
      if (n > 0) pn_connection_driver_read_done(d, n);
      else if (n == 0 || (errno != EINTR && errno != EAGAIN)) pn_connection_driver_read_close(d);
    }
    if (p.revents & POLLOUT) {
      ssize_t n = write(fd, wb.start, wb.size);
      if (n >= 0) pn_connection_driver_write_done(d, n);
      else if (errno != EINTR && errno != EAGAIN) pn_connection_driver_write_close(d);
    }
  }
  handle(d);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: tls_interop server|client PORT CERTDIR [N]\n");
    return 2;
  }
  server_mode = !strcmp(argv[1], "server");
  role = argv[1];
  int port = atoi(argv[2]);
  const char *dir = argv[3];
  if (argc > 4) n_messages = atoi(argv[4]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  char ca[1024], cert[1024], key[1024];
  snprintf(ca, sizeof ca, "%s/ca.pem", dir);
  snprintf(cert, sizeof cert, "%s/%s.pem", dir, server_mode ? "server" : "client");
  snprintf(key, sizeof key, "%s/%s.key", dir, server_mode ? "server-enc" : "client");

  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd;
  if (server_mode) {
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 1)) {
      perror("listen");
      return 1;
    }
    /* Port 0 picks a free port; the run script learns it from this file. */
    const char *port_file = getenv("TLS_INTEROP_PORT_FILE");
    if (port_file) {
      socklen_t len = sizeof addr;
      getsockname(ls, (struct sockaddr *)&addr, &len);
      char tmp[1100];
      snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
      FILE *f = fopen(tmp, "w");
      if (!f) {
        perror(tmp);
        return 1;
      }
      fprintf(f, "%d\n", ntohs(addr.sin_port));
      fclose(f);
      rename(tmp, port_file);
    }
    fprintf(stderr, "listening\n");
    fd = accept(ls, NULL, NULL);
    close(ls);
  } else {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    int tries = 0;
    while (connect(fd, (struct sockaddr *)&addr, sizeof addr)) {
      if (++tries > 100) {
        perror("connect");
        return 1;
      }
      close(fd);
      fd = socket(AF_INET, SOCK_STREAM, 0);
      usleep(50000);
    }
  }
  if (fd < 0) return 1;

  pn_ssl_domain_t *dom = pn_ssl_domain(server_mode ? PN_SSL_MODE_SERVER : PN_SSL_MODE_CLIENT);
  int rc = pn_ssl_domain_set_credentials(dom, cert, key, server_mode ? "secret" : NULL);
  rc |= pn_ssl_domain_set_trusted_ca_db(dom, ca);
  if (server_mode) rc |= pn_ssl_domain_set_peer_authentication(dom, PN_SSL_VERIFY_PEER, ca);
  if (rc) {
    printf("%s: domain setup failed\n", role);
    return 1;
  }
  pn_connection_driver_t d;
  pn_connection_driver_init(&d, NULL, NULL);
  if (server_mode) pn_transport_set_server(d.transport);
  pn_ssl_t *ssl = pn_ssl(d.transport);
  pn_ssl_init(ssl, dom, NULL);
  if (!server_mode) {
    pn_ssl_set_peer_hostname(ssl, "localhost");
    pn_connection_set_container(d.connection, "interop-client");
    pn_connection_open(d.connection);
    pn_session_t *s = pn_session(d.connection);
    pn_session_open(s);
    pn_link_t *l = pn_sender(s, "sender");
    pn_terminus_set_address(pn_link_target(l), "queue");
    pn_link_open(l);
  }
  rc = run(fd, &d);
  if (server_mode) printf("%s: received %d messages\n", role, received);
  else printf("%s: sent %d, accepted %d\n", role, sent, accepted);
  pn_connection_driver_destroy(&d);
  pn_ssl_domain_free(dom);
  close(fd);
  return rc;
}
