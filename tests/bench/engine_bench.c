/* Engine benchmark: two connection drivers wired together in one process.
 * The client sends N messages (each built and encoded with pn_message_t),
 * unsettled; the server (credit window 500) decodes each, accepts and
 * settles it; the client settles on the update. Prints messages per
 * second and CPU time per message. With CERTDIR (tests/tls/make-certs.sh),
 * the two talk TLS: the client verifies the server's certificate and name.
 * usage: engine_bench [N [CERTDIR]] */
#include <proton/connection_driver.h>
#include <proton/connection.h>
#include <proton/session.h>
#include <proton/link.h>
#include <proton/delivery.h>
#include <proton/message.h>
#include <proton/codec.h>
#include <proton/event.h>
#include <proton/transport.h>
#include <proton/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static long N = 200000; static long sent = 0, received = 0, settled = 0;
static pn_message_t *msg_out, *msg_in; static char buf[4096];
static void send_some(pn_link_t *l) {
  while (pn_link_credit(l) > 0 && sent < N) {
    char tag[16]; int tl = snprintf(tag, sizeof tag, "%ld", sent);
    pn_delivery_t *d = pn_delivery(l, pn_dtag(tag, tl));
    pn_message_clear(msg_out);
    pn_message_set_address(msg_out, "queue");
    pn_data_t *b = pn_message_body(msg_out); pn_data_put_string(b, pn_bytes(11, "hello world"));
    size_t sz = sizeof buf; pn_message_encode(msg_out, buf, &sz);
    pn_link_send(l, buf, sz); pn_link_advance(l); sent++; (void)d;
  }
}
static void handle(pn_connection_driver_t *d, int server) {
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(d))) {
    switch (pn_event_type(e)) {
    case PN_CONNECTION_REMOTE_OPEN: if (server) pn_connection_open(pn_event_connection(e)); break;
    case PN_SESSION_REMOTE_OPEN: if (server) pn_session_open(pn_event_session(e)); break;
    case PN_LINK_REMOTE_OPEN: if (server) { pn_link_t *l = pn_event_link(e); pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l)); pn_link_open(l); pn_link_flow(l, 500);} break;
    case PN_LINK_FLOW: if (!server) send_some(pn_event_link(e)); break;
    case PN_DELIVERY: {
      pn_delivery_t *dl = pn_event_delivery(e); pn_link_t *l = pn_delivery_link(dl);
      if (server) {
        if (pn_delivery_readable(dl) && !pn_delivery_partial(dl)) {
          ssize_t n = pn_link_recv(l, buf, sizeof buf); pn_message_decode(msg_in, buf, n);
          pn_link_advance(l); pn_delivery_update(dl, PN_ACCEPTED); pn_delivery_settle(dl); received++;
          if (pn_link_credit(l) < 250) pn_link_flow(l, 500 - pn_link_credit(l));
        }
      } else if (pn_delivery_updated(dl)) { pn_delivery_settle(dl); settled++; if (settled == N) pn_connection_close(pn_event_connection(e)); }
      break; }
    case PN_CONNECTION_REMOTE_CLOSE: if (server) pn_connection_close(pn_event_connection(e)); break;
    default: break;
    }
  }
}
static size_t xfer(pn_connection_driver_t *a, pn_connection_driver_t *b) {
  pn_bytes_t wb = pn_connection_driver_write_buffer(a); if (!wb.size) return 0;
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(b); size_t n = wb.size < rb.size ? wb.size : rb.size; if (!n) return 0;
  memcpy(rb.start, wb.start, n); pn_connection_driver_write_done(a, n); pn_connection_driver_read_done(b, n); return n;
}
int main(int argc, char **argv) {
  if (argc > 1) N = atol(argv[1]);
  msg_out = pn_message(); msg_in = pn_message();
  pn_connection_driver_t c, s; pn_connection_driver_init(&c, NULL, NULL); pn_connection_driver_init(&s, NULL, NULL);
  pn_transport_set_server(s.transport);
  pn_ssl_domain_t *cd = NULL, *sd = NULL;
  if (argc > 2) {
    char a[1024], b[1024];
    cd = pn_ssl_domain(PN_SSL_MODE_CLIENT); sd = pn_ssl_domain(PN_SSL_MODE_SERVER);
    snprintf(a, sizeof a, "%s/ca.pem", argv[2]);
    if (pn_ssl_domain_set_trusted_ca_db(cd, a)) { fprintf(stderr, "cannot load %s\n", a); return 1; }
    snprintf(a, sizeof a, "%s/server.pem", argv[2]); snprintf(b, sizeof b, "%s/server.key", argv[2]);
    if (pn_ssl_domain_set_credentials(sd, a, b, NULL)) { fprintf(stderr, "cannot load %s\n", a); return 1; }
    pn_ssl_t *cs = pn_ssl(c.transport); pn_ssl_init(cs, cd, NULL); pn_ssl_set_peer_hostname(cs, "localhost");
    pn_ssl_init(pn_ssl(s.transport), sd, NULL);
  }
  pn_connection_open(c.connection); pn_session_t *ssn = pn_session(c.connection); pn_session_open(ssn);
  pn_link_t *l = pn_sender(ssn, "bench"); pn_terminus_set_address(pn_link_target(l), "queue"); pn_link_open(l);
  struct timespec t0, t1, c0, c1; clock_gettime(CLOCK_MONOTONIC, &t0); clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  for (;;) { handle(&c, 0); handle(&s, 1); size_t m = xfer(&c, &s) + xfer(&s, &c); if (!m && !pn_connection_driver_has_event(&c) && !pn_connection_driver_has_event(&s)) break; }
  clock_gettime(CLOCK_MONOTONIC, &t1); clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;
  if (settled != N) { fprintf(stderr, "only %ld of %ld settled\n", settled, N); return 1; }
  printf("msg_per_s=%.0f cpu_ns=%.0f\n", settled / secs, cpu * 1e9 / settled);
  pn_connection_driver_destroy(&c); pn_connection_driver_destroy(&s); pn_message_free(msg_out); pn_message_free(msg_in);
  if (cd) { pn_ssl_domain_free(cd); pn_ssl_domain_free(sd); }
  return 0;
}
