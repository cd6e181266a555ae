/* TLS scenarios (ssl.h): a client and a server connection driver wired in
 * memory, with the certificates of tests/tls/make-certs.sh. Prints the
 * events, the transport conditions and what ssl.h reports about each end
 * (cipher, protocol, strength, subject, fingerprints, resumption), and the
 * results of the API calls. The bytes on the wire are random, so they are
 * not printed. The output must be the same on proton-c and proton-rs.
 *
 * usage: tls CERTDIR [SCENARIO]   (see the table at the end)
 *        tls CERTDIR --list       (the scenario names) */
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/event.h>
#include <proton/sasl.h>
#include <proton/ssl.h>
#include <proton/transport.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char *certdir;

/* The path of a file of the certificate directory (8 live at a time). */
static const char *P(const char *name) {
  static char bufs[8][1024];
  static int next;
  char *b = bufs[next++ % 8];
  snprintf(b, sizeof bufs[0], "%s/%s", certdir, name);
  return b;
}

typedef struct peer_t {
  const char *name;
  pn_connection_driver_t d;
  pn_ssl_t *ssl;
  int plain_garbage; /* write this text instead of speaking AMQP */
} peer_t;

static peer_t client, server;

static void print_cond(const char *label, pn_condition_t *c) {
  if (c && pn_condition_is_set(c)) {
    const char *d = pn_condition_get_description(c);
    printf(" %s=(%s, %s)", label, pn_condition_get_name(c), d ? d : "null");
  }
}

static void print_ssl(peer_t *p) {
  pn_ssl_t *ssl = p->ssl;
  pn_transport_t *t = p->d.transport;
  const char *user = pn_transport_get_user(t);
  printf("%s   user=%s encrypted=%d authenticated=%d\n", p->name, user ? user : "null", pn_transport_is_encrypted(t),
         pn_transport_is_authenticated(t));
  if (!ssl) return;
  char buf[256];
  printf("%s   cipher=%s", p->name, pn_ssl_get_cipher_name(ssl, buf, sizeof buf) ? buf : "(false)");
  printf(" protocol=%s", pn_ssl_get_protocol_name(ssl, buf, sizeof buf) ? buf : "(false)");
  printf(" ssf=%d resume=%d\n", pn_ssl_get_ssf(ssl), (int)pn_ssl_resume_status(ssl));
  const char *s = pn_ssl_get_remote_subject(ssl);
  printf("%s   subject=%s\n", p->name, s ? s : "null");
  printf("%s   fields:", p->name);
  for (int f = PN_SSL_CERT_SUBJECT_COUNTRY_NAME; f <= PN_SSL_CERT_SUBJECT_COMMON_NAME; f++) {
    const char *v = pn_ssl_get_remote_subject_subfield(ssl, (pn_ssl_cert_subject_subfield)f);
    printf(" %d=%s", f, v ? v : "null");
  }
  printf("\n");
  static const char *algs[] = {"sha1", "sha256", "sha512", "md5"};
  for (int a = PN_SSL_SHA1; a <= PN_SSL_MD5; a++) {
    char fp[256];
    memset(fp, 'x', sizeof fp);
    fp[sizeof fp - 1] = 0;
    int rc = pn_ssl_get_cert_fingerprint(ssl, fp, sizeof fp, (pn_ssl_hash_alg)a);
    printf("%s   %s rc=%d %s\n", p->name, algs[a], rc, rc == 0 ? fp : "");
  }
  size_t size = sizeof buf;
  int rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("%s   peer_hostname rc=%d size=%zu name=%s\n", p->name, rc, size, rc == 0 && size ? buf : "");
}

static void print_event(peer_t *p, pn_event_t *e) {
  pn_event_type_t t = pn_event_type(e);
  printf("%s %s", p->name, pn_event_type_name(t));
  if (t == PN_TRANSPORT_ERROR || t == PN_TRANSPORT_CLOSED) print_cond("tcond", pn_transport_condition(pn_event_transport(e)));
  if (t == PN_CONNECTION_REMOTE_CLOSE) print_cond("rcond", pn_connection_remote_condition(pn_event_connection(e)));
  printf("\n");
  if (t == PN_CONNECTION_REMOTE_OPEN) print_ssl(p);
}

static int handle(peer_t *p) {
  int n = 0;
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(&p->d))) {
    print_event(p, e);
    pn_event_type_t t = pn_event_type(e);
    pn_connection_t *c = pn_event_connection(e);
    if (t == PN_CONNECTION_REMOTE_OPEN && (pn_connection_state(c) & PN_LOCAL_UNINIT)) pn_connection_open(c);
    if (t == PN_CONNECTION_REMOTE_CLOSE && !(pn_connection_state(c) & PN_LOCAL_CLOSED)) pn_connection_close(c);
    n++;
  }
  return n;
}

static size_t transfer(peer_t *a, peer_t *b) {
  pn_bytes_t wb = pn_connection_driver_write_buffer(&a->d);
  if (!wb.size) return 0;
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(&b->d);
  size_t n = wb.size < rb.size ? wb.size : rb.size;
  if (!n) {
    /* The reader is closed: the bytes go nowhere. */
    pn_connection_driver_write_done(&a->d, wb.size);
    return wb.size;
  }
  memcpy(rb.start, wb.start, n);
  pn_connection_driver_write_done(&a->d, n);
  pn_connection_driver_read_done(&b->d, n);
  return n;
}

/* Propagate the end of each stream to the other side. */
static int close_ends(void) {
  int n = 0;
  if (pn_connection_driver_write_closed(&client.d) && !pn_connection_driver_read_closed(&server.d)) {
    pn_connection_driver_read_close(&server.d);
    n++;
  }
  if (pn_connection_driver_write_closed(&server.d) && !pn_connection_driver_read_closed(&client.d)) {
    pn_connection_driver_read_close(&client.d);
    n++;
  }
  return n;
}

static void run(void) {
  for (int i = 0; i < 1000; i++) {
    int ev = handle(&client) + handle(&server);
    size_t moved = transfer(&client, &server) + transfer(&server, &client);
    if (!ev && !moved && !close_ends()) return;
  }
  printf("run: no quiescence\n");
}

static void finish(void) {
  printf("client finished=%d server finished=%d\n", pn_connection_driver_finished(&client.d),
         pn_connection_driver_finished(&server.d));
  pn_connection_driver_destroy(&client.d);
  pn_connection_driver_destroy(&server.d);
}

/* Set up both ends; a NULL domain with use_ssl means pn_ssl_init's
 * default. The client opens its connection. */
static void setup(pn_ssl_domain_t *cd, int client_ssl, const char *session_id, const char *peer_hostname,
                  pn_ssl_domain_t *sd, int server_ssl) {
  memset(&client, 0, sizeof client);
  memset(&server, 0, sizeof server);
  client.name = "client";
  server.name = "server";
  pn_connection_driver_init(&client.d, NULL, NULL);
  pn_connection_driver_init(&server.d, NULL, NULL);
  pn_transport_set_server(server.d.transport);
  if (client_ssl) {
    client.ssl = pn_ssl(client.d.transport);
    printf("client init=%d\n", pn_ssl_init(client.ssl, cd, session_id));
    if (peer_hostname) printf("client set_peer_hostname=%d\n", pn_ssl_set_peer_hostname(client.ssl, peer_hostname));
  }
  if (server_ssl) {
    server.ssl = pn_ssl(server.d.transport);
    printf("server init=%d\n", pn_ssl_init(server.ssl, sd, NULL));
  }
  pn_connection_set_container(client.d.connection, "client");
  pn_connection_set_container(server.d.connection, "server");
  pn_connection_open(client.d.connection);
}

static void go(void) {
  run();
  if (!pn_connection_driver_finished(&client.d) && (pn_connection_state(client.d.connection) & PN_REMOTE_ACTIVE)) {
    printf("-- client closes\n");
    pn_connection_close(client.d.connection);
    run();
  }
  finish();
}

static pn_ssl_domain_t *client_domain(pn_ssl_verify_mode_t mode) {
  pn_ssl_domain_t *d = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("client trusted_ca_db=%d\n", pn_ssl_domain_set_trusted_ca_db(d, P("ca.pem")));
  printf("client peer_authentication=%d\n", pn_ssl_domain_set_peer_authentication(d, mode, NULL));
  return d;
}

static pn_ssl_domain_t *server_domain(const char *cert, const char *key) {
  pn_ssl_domain_t *d = pn_ssl_domain(PN_SSL_MODE_SERVER);
  printf("server credentials=%d\n", pn_ssl_domain_set_credentials(d, P(cert), P(key), NULL));
  return d;
}

/* ---- scenarios */

static void verify_name(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void default_mode(void) {
  /* A client domain verifies the name unless told otherwise. */
  pn_ssl_domain_t *cd = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("client trusted_ca_db=%d\n", pn_ssl_domain_set_trusted_ca_db(cd, P("ca.pem")));
  pn_ssl_domain_t *sd = server_domain("other.pem", "other.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void name_mismatch(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("other.pem", "other.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void name_ip(void) {
  /* The server certificate names 127.0.0.1 as an IP address. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "127.0.0.1", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void name_other(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("other.pem", "other.key");
  setup(cd, 1, NULL, "other.example.com", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void name_from_connection(void) {
  /* Without pn_ssl_set_peer_hostname, the connection's hostname is used. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  memset(&client, 0, sizeof client);
  memset(&server, 0, sizeof server);
  client.name = "client";
  server.name = "server";
  pn_connection_t *c = pn_connection();
  pn_connection_set_hostname(c, "localhost");
  pn_connection_driver_init(&client.d, c, NULL);
  pn_connection_driver_init(&server.d, NULL, NULL);
  pn_transport_set_server(server.d.transport);
  client.ssl = pn_ssl(client.d.transport);
  printf("client init=%d\n", pn_ssl_init(client.ssl, cd, NULL));
  server.ssl = pn_ssl(server.d.transport);
  printf("server init=%d\n", pn_ssl_init(server.ssl, sd, NULL));
  char buf[64];
  size_t size = sizeof buf;
  int rc = pn_ssl_get_peer_hostname(client.ssl, buf, &size);
  printf("client peer_hostname rc=%d size=%zu name=%s\n", rc, size, rc == 0 && size ? buf : "");
  pn_connection_open(c);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void name_from_connection_late(void) {
  /* The connection's hostname, set after pn_ssl_init but before any I/O. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, NULL, sd, 1);
  pn_connection_set_hostname(client.d.connection, "localhost");
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void name_overrides_connection(void) {
  /* pn_ssl_set_peer_hostname wins over the connection's hostname. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "other.example.com", sd, 1);
  pn_connection_set_hostname(client.d.connection, "localhost");
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void no_hostname(void) {
  /* Name verification with no name to check. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void verify_peer(void) {
  /* VERIFY_PEER does not look at the name. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER);
  pn_ssl_domain_t *sd = server_domain("other.pem", "other.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void untrusted(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER);
  pn_ssl_domain_t *sd = server_domain("untrusted.pem", "untrusted.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void trust_two_cas(void) {
  /* One file with two CAs: both are trusted. */
  pn_ssl_domain_t *cd = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("client trusted_ca_db=%d\n", pn_ssl_domain_set_trusted_ca_db(cd, P("cas.pem")));
  pn_ssl_domain_t *sd = server_domain("untrusted.pem", "untrusted.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void system_cas(void) {
  /* The default client domain trusts the system CAs only. */
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(NULL, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(sd);
}

static void anonymous(void) {
  /* Neither end has a certificate. */
  pn_ssl_domain_t *cd = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("client peer_authentication=%d\n", pn_ssl_domain_set_peer_authentication(cd, PN_SSL_ANONYMOUS_PEER, NULL));
  pn_ssl_domain_t *sd = pn_ssl_domain(PN_SSL_MODE_SERVER);
  setup(cd, 1, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void anonymous_client_cert_server(void) {
  /* An anonymous client of a server with a certificate. */
  pn_ssl_domain_t *cd = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("client peer_authentication=%d\n", pn_ssl_domain_set_peer_authentication(cd, PN_SSL_ANONYMOUS_PEER, NULL));
  pn_ssl_domain_t *sd = server_domain("untrusted.pem", "untrusted.key");
  setup(cd, 1, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void anonymous_tls12(void) {
  /* An anonymous client of a server with a certificate, over TLS 1.2. */
  pn_ssl_domain_t *cd = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("client peer_authentication=%d\n", pn_ssl_domain_set_peer_authentication(cd, PN_SSL_ANONYMOUS_PEER, NULL));
  printf("client protocols=%d\n", pn_ssl_domain_set_protocols(cd, "TLSv1.2"));
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void verify_vs_anonymous_server(void) {
  /* A verifying client refuses a server without a certificate. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER);
  pn_ssl_domain_t *sd = pn_ssl_domain(PN_SSL_MODE_SERVER);
  setup(cd, 1, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static pn_ssl_domain_t *verifying_server(void) {
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  printf("server trusted_ca_db=%d\n", pn_ssl_domain_set_trusted_ca_db(sd, P("ca.pem")));
  printf("server peer_authentication=%d\n", pn_ssl_domain_set_peer_authentication(sd, PN_SSL_VERIFY_PEER, P("ca.pem")));
  return sd;
}

static void client_cert(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("client credentials=%d\n", pn_ssl_domain_set_credentials(cd, P("client.pem"), P("client.key"), NULL));
  pn_ssl_domain_t *sd = verifying_server();
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void client_cert_encrypted(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("client credentials=%d\n", pn_ssl_domain_set_credentials(cd, P("client.pem"), P("client-enc.key"), "secret"));
  pn_ssl_domain_t *sd = verifying_server();
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void client_cert_missing(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = verifying_server();
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void client_cert_untrusted(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("client credentials=%d\n", pn_ssl_domain_set_credentials(cd, P("untrusted.pem"), P("untrusted.key"), NULL));
  pn_ssl_domain_t *sd = verifying_server();
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void server_encrypted_key(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = pn_ssl_domain(PN_SSL_MODE_SERVER);
  printf("server credentials=%d\n", pn_ssl_domain_set_credentials(sd, P("server.pem"), P("server-enc.key"), "secret"));
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void unsecured_plain(void) {
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  printf("server allow_unsecured=%d\n", pn_ssl_domain_allow_unsecured_client(sd));
  setup(NULL, 0, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(sd);
}

static void unsecured_tls(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  printf("server allow_unsecured=%d\n", pn_ssl_domain_allow_unsecured_client(sd));
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void unsecured_required(void) {
  /* Encryption required: a plain client is refused even if allowed. */
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  printf("server allow_unsecured=%d\n", pn_ssl_domain_allow_unsecured_client(sd));
  setup(NULL, 0, NULL, NULL, sd, 1);
  pn_transport_require_encryption(server.d.transport, true);
  go();
  pn_ssl_domain_free(sd);
}

static void plain_to_tls_server(void) {
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(NULL, 0, NULL, NULL, sd, 1);
  go();
  pn_ssl_domain_free(sd);
}

static void tls_to_plain_server(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  setup(cd, 1, NULL, "localhost", NULL, 0);
  go();
  pn_ssl_domain_free(cd);
}

static void garbage(const char *text, size_t n, int tls_server) {
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  if (!tls_server) printf("server allow_unsecured=%d\n", pn_ssl_domain_allow_unsecured_client(sd));
  memset(&server, 0, sizeof server);
  server.name = "server";
  pn_connection_driver_init(&server.d, NULL, NULL);
  pn_transport_set_server(server.d.transport);
  server.ssl = pn_ssl(server.d.transport);
  printf("server init=%d\n", pn_ssl_init(server.ssl, sd, NULL));
  handle(&server);
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(&server.d);
  memcpy(rb.start, text, n);
  pn_connection_driver_read_done(&server.d, n);
  for (int i = 0; i < 10; i++) {
    handle(&server);
    pn_bytes_t wb = pn_connection_driver_write_buffer(&server.d);
    printf("server writes %zu bytes\n", wb.size);
    if (!wb.size) break;
    pn_connection_driver_write_done(&server.d, wb.size);
  }
  printf("-- end of input\n");
  pn_connection_driver_read_close(&server.d);
  handle(&server);
  pn_bytes_t wb = pn_connection_driver_write_buffer(&server.d);
  if (wb.size) pn_connection_driver_write_done(&server.d, wb.size);
  handle(&server);
  printf("server finished=%d\n", pn_connection_driver_finished(&server.d));
  pn_connection_driver_destroy(&server.d);
  pn_ssl_domain_free(sd);
}

#define GARBAGE(s, tls) garbage(s, sizeof s - 1, tls)
static void garbage_tls(void) { GARBAGE("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", 1); }
static void garbage_record(void) {
  /* Starts as a TLS handshake record, but is not one. */
  GARBAGE("\x16\x03\x01\x00\x10xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1);
}
static void garbage_short_record(void) {
  /* The first bytes of a TLS record, then the end of the stream. */
  GARBAGE("\x16\x03\x01", 1);
}
static void garbage_alert(void) {
  /* A TLS alert record instead of a ClientHello. */
  GARBAGE("\x15\x03\x03\x00\x02\x02\x28", 1);
}
static void garbage_unsecured(void) { GARBAGE("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", 0); }

static void resume(void) {
  /* Two connections from one client domain with one session id: the
   * second resumes the first's session. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  for (int i = 0; i < 3; i++) {
    printf("-- connection %d\n", i);
    setup(cd, 1, i < 2 ? "session-1" : "session-2", "localhost", sd, 1);
    printf("client resume before=%d\n", (int)pn_ssl_resume_status(client.ssl));
    go();
  }
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void resume_tls12(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("client protocols=%d\n", pn_ssl_domain_set_protocols(cd, "TLSv1.2"));
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  for (int i = 0; i < 2; i++) {
    printf("-- connection %d\n", i);
    setup(cd, 1, "session-12", "localhost", sd, 1);
    go();
  }
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void protocols(void) {
  static const char *cases[][2] = {
    {"TLSv1.2", NULL}, {"TLSv1.3", NULL}, {"TLSv1.2", "TLSv1.3"}, {"TLSv1.2 TLSv1.3", "TLSv1.2"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    printf("-- client %s server %s\n", cases[i][0], cases[i][1] ? cases[i][1] : "(any)");
    pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
    printf("client protocols=%d\n", pn_ssl_domain_set_protocols(cd, cases[i][0]));
    pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
    if (cases[i][1]) printf("server protocols=%d\n", pn_ssl_domain_set_protocols(sd, cases[i][1]));
    setup(cd, 1, NULL, "localhost", sd, 1);
    go();
    pn_ssl_domain_free(cd);
    pn_ssl_domain_free(sd);
  }
}

static void ciphers(void) {
  static const char *cases[][2] = {
    {"ECDHE-RSA-AES128-GCM-SHA256", NULL},
    {"ECDHE-RSA-AES256-GCM-SHA384", NULL},
    {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    printf("-- client %s server %s\n", cases[i][0], cases[i][1] ? cases[i][1] : "(any)");
    pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
    printf("client protocols=%d\n", pn_ssl_domain_set_protocols(cd, "TLSv1.2"));
    printf("client ciphers=%d\n", pn_ssl_domain_set_ciphers(cd, cases[i][0]));
    pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
    if (cases[i][1]) printf("server ciphers=%d\n", pn_ssl_domain_set_ciphers(sd, cases[i][1]));
    setup(cd, 1, NULL, "localhost", sd, 1);
    go();
    pn_ssl_domain_free(cd);
    pn_ssl_domain_free(sd);
  }
}

static void ciphers_tls13(void) {
  /* A TLS 1.2 cipher list does not restrict TLS 1.3. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("client ciphers=%d\n", pn_ssl_domain_set_ciphers(cd, "ECDHE-RSA-AES128-GCM-SHA256"));
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void abrupt_eof(void) {
  /* The server's stream ends without close_notify once the connection is
   * open. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  run();
  printf("-- the client's input ends\n");
  pn_connection_driver_read_close(&client.d);
  run();
  finish();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void amqp_error_over_tls(void) {
  /* An AMQP protocol error inside TLS: the error goes out encrypted. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  run();
  pn_condition_t *cond = pn_transport_condition(client.d.transport);
  pn_condition_set_name(cond, "amqp:internal-error");
  pn_condition_set_description(cond, "giving up");
  pn_connection_driver_close(&client.d);
  run();
  finish();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void external(void) {
  /* SASL EXTERNAL: the client certificate's subject is the user. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("client credentials=%d\n", pn_ssl_domain_set_credentials(cd, P("client.pem"), P("client.key"), NULL));
  pn_ssl_domain_t *sd = verifying_server();
  setup(cd, 1, NULL, "localhost", sd, 1);
  pn_sasl_allowed_mechs(pn_sasl(client.d.transport), "EXTERNAL");
  pn_sasl_allowed_mechs(pn_sasl(server.d.transport), "EXTERNAL");
  pn_transport_require_auth(server.d.transport, true);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void external_no_cert(void) {
  /* EXTERNAL offered but the client has no certificate. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  pn_sasl_allowed_mechs(pn_sasl(client.d.transport), "EXTERNAL");
  pn_sasl_allowed_mechs(pn_sasl(server.d.transport), "EXTERNAL");
  pn_transport_require_auth(server.d.transport, true);
  go();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

static void domain_refcount(void) {
  /* A domain freed while a transport uses it lives on until the
   * transport is done with it. */
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
  go();
}

static void api(void) {
  printf("present=%d\n", pn_ssl_present());
  printf("domain(0)=%s\n", pn_ssl_domain((pn_ssl_mode_t)0) ? "domain" : "NULL");
  printf("domain(3)=%s\n", pn_ssl_domain((pn_ssl_mode_t)3) ? "domain" : "NULL");
  printf("ssl(NULL)=%s\n", pn_ssl(NULL) ? "ssl" : "NULL");
  /* pn_ssl_domain_free(NULL) crashes proton-c: not called. */

  pn_ssl_domain_t *d = pn_ssl_domain(PN_SSL_MODE_CLIENT);
  printf("credentials missing cert=%d\n", pn_ssl_domain_set_credentials(d, P("nonexistent.pem"), P("client.key"), NULL));
  printf("credentials missing key=%d\n", pn_ssl_domain_set_credentials(d, P("client.pem"), P("nonexistent.key"), NULL));
  printf("credentials wrong key=%d\n", pn_ssl_domain_set_credentials(d, P("client.pem"), P("server.key"), NULL));
  printf("credentials wrong password=%d\n", pn_ssl_domain_set_credentials(d, P("client.pem"), P("client-enc.key"), "wrong"));
  printf("credentials ok=%d\n", pn_ssl_domain_set_credentials(d, P("client.pem"), P("client.key"), NULL));
  printf("credentials encrypted=%d\n", pn_ssl_domain_set_credentials(d, P("client.pem"), P("client-enc.key"), "secret"));
  printf("credentials cert+key in one file=%d\n", pn_ssl_domain_set_credentials(d, P("client.pem"), NULL, NULL));
  printf("trusted_ca_db missing=%d\n", pn_ssl_domain_set_trusted_ca_db(d, P("nonexistent.pem")));
  printf("trusted_ca_db ok=%d\n", pn_ssl_domain_set_trusted_ca_db(d, P("ca.pem")));
  printf("trusted_ca_db NULL=%d\n", pn_ssl_domain_set_trusted_ca_db(d, NULL));
  printf("protocols TLSv1.2=%d\n", pn_ssl_domain_set_protocols(d, "TLSv1.2"));
  printf("protocols TLSv1 TLSv1.1=%d\n", pn_ssl_domain_set_protocols(d, "TLSv1 TLSv1.1"));
  printf("protocols empty=%d\n", pn_ssl_domain_set_protocols(d, ""));
  printf("protocols bogus=%d\n", pn_ssl_domain_set_protocols(d, "TLSv1.2 bogus"));
  printf("protocols SSLv3=%d\n", pn_ssl_domain_set_protocols(d, "SSLv3"));
  printf("protocols spaces=%d\n", pn_ssl_domain_set_protocols(d, "  TLSv1.3  TLSv1.2 "));
  printf("ciphers ok=%d\n", pn_ssl_domain_set_ciphers(d, "ECDHE-RSA-AES128-GCM-SHA256"));
  printf("ciphers bogus=%d\n", pn_ssl_domain_set_ciphers(d, "bogus-cipher"));
  printf("ciphers empty=%d\n", pn_ssl_domain_set_ciphers(d, ""));
  printf("allow_unsecured on client=%d\n", pn_ssl_domain_allow_unsecured_client(d));
  printf("auth VERIFY_PEER=%d\n", pn_ssl_domain_set_peer_authentication(d, PN_SSL_VERIFY_PEER, NULL));
  printf("auth ANONYMOUS=%d\n", pn_ssl_domain_set_peer_authentication(d, PN_SSL_ANONYMOUS_PEER, NULL));
  printf("auth NULL mode=%d\n", pn_ssl_domain_set_peer_authentication(d, PN_SSL_VERIFY_NULL, NULL));
  printf("auth mode 9=%d\n", pn_ssl_domain_set_peer_authentication(d, (pn_ssl_verify_mode_t)9, NULL));
  pn_ssl_domain_free(d);

  pn_ssl_domain_t *s = pn_ssl_domain(PN_SSL_MODE_SERVER);
  printf("server auth VERIFY_PEER without CAs=%d\n", pn_ssl_domain_set_peer_authentication(s, PN_SSL_VERIFY_PEER, NULL));
  printf("server auth VERIFY_PEER with missing CAs=%d\n",
         pn_ssl_domain_set_peer_authentication(s, PN_SSL_VERIFY_PEER, P("nonexistent.pem")));
  printf("server trusted_ca_db=%d\n", pn_ssl_domain_set_trusted_ca_db(s, P("ca.pem")));
  printf("server auth VERIFY_PEER with CAs=%d\n", pn_ssl_domain_set_peer_authentication(s, PN_SSL_VERIFY_PEER, P("ca.pem")));
  printf("server auth VERIFY_PEER_NAME with CAs=%d\n", pn_ssl_domain_set_peer_authentication(s, PN_SSL_VERIFY_PEER_NAME, P("ca.pem")));
  printf("server auth ANONYMOUS=%d\n", pn_ssl_domain_set_peer_authentication(s, PN_SSL_ANONYMOUS_PEER, NULL));
  printf("server allow_unsecured=%d\n", pn_ssl_domain_allow_unsecured_client(s));
  printf("server allow_unsecured again=%d\n", pn_ssl_domain_allow_unsecured_client(s));
  pn_ssl_domain_free(s);

  /* pn_ssl and the per-transport calls before any I/O. */
  pn_transport_t *t = pn_transport();
  pn_ssl_t *ssl = pn_ssl(t);
  printf("ssl(t)=%s again same=%d\n", ssl ? "ssl" : "NULL", pn_ssl(t) == ssl);
  char buf[64];
  size_t size = sizeof buf;
  int rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("peer_hostname unset rc=%d size=%zu\n", rc, size);
  printf("set_peer_hostname=%d\n", pn_ssl_set_peer_hostname(ssl, "example.com"));
  size = sizeof buf;
  rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("peer_hostname rc=%d size=%zu name=%s\n", rc, size, rc == 0 ? buf : "");
  size = 5;
  memset(buf, 'x', sizeof buf);
  rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("peer_hostname small rc=%d size=%zu first=%c\n", rc, size, buf[0]);
  size = 11;
  rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("peer_hostname no room for NUL rc=%d size=%zu\n", rc, size);
  size = 12;
  rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("peer_hostname exact rc=%d size=%zu name=%s\n", rc, size, rc == 0 ? buf : "");
  size = 0;
  rc = pn_ssl_get_peer_hostname(ssl, NULL, &size);
  printf("peer_hostname NULL buffer rc=%d size=%zu\n", rc, size);
  printf("set_peer_hostname NULL=%d\n", pn_ssl_set_peer_hostname(ssl, NULL));
  size = sizeof buf;
  rc = pn_ssl_get_peer_hostname(ssl, buf, &size);
  printf("peer_hostname after NULL rc=%d size=%zu\n", rc, size);
  printf("before init: cipher=%d protocol=%d ssf=%d resume=%d subject=%s\n", pn_ssl_get_cipher_name(ssl, buf, sizeof buf),
         pn_ssl_get_protocol_name(ssl, buf, sizeof buf), pn_ssl_get_ssf(ssl), (int)pn_ssl_resume_status(ssl),
         pn_ssl_get_remote_subject(ssl) ? pn_ssl_get_remote_subject(ssl) : "null");
  char fp[128];
  printf("fingerprint before init=%d\n", pn_ssl_get_cert_fingerprint(ssl, fp, sizeof fp, PN_SSL_SHA1));
  printf("subfield before init=%s\n",
         pn_ssl_get_remote_subject_subfield(ssl, PN_SSL_CERT_SUBJECT_COMMON_NAME) ? "set" : "null");
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  printf("init=%d\n", pn_ssl_init(ssl, cd, "id"));
  printf("init again=%d\n", pn_ssl_init(ssl, cd, "id"));
  printf("after init: cipher=%d protocol=%d ssf=%d resume=%d subject=%s\n", pn_ssl_get_cipher_name(ssl, buf, sizeof buf),
         pn_ssl_get_protocol_name(ssl, buf, sizeof buf), pn_ssl_get_ssf(ssl), (int)pn_ssl_resume_status(ssl),
         pn_ssl_get_remote_subject(ssl) ? pn_ssl_get_remote_subject(ssl) : "null");
  printf("fingerprint after init=%d\n", pn_ssl_get_cert_fingerprint(ssl, fp, sizeof fp, PN_SSL_SHA1));
  /* pn_ssl_init(NULL, ...) crashes proton-c: not called. */
  pn_ssl_domain_free(cd);
  pn_transport_free(t);
}

static void fingerprint_sizes(void) {
  pn_ssl_domain_t *cd = client_domain(PN_SSL_VERIFY_PEER_NAME);
  pn_ssl_domain_t *sd = server_domain("server.pem", "server.key");
  setup(cd, 1, NULL, "localhost", sd, 1);
  run();
  static const size_t sizes[] = {0, 1, 20, 40, 41, 64, 65};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    char fp[256];
    memset(fp, 'x', sizeof fp);
    fp[255] = 0;
    int a = pn_ssl_get_cert_fingerprint(client.ssl, fp, sizes[i], PN_SSL_SHA1);
    int b = pn_ssl_get_cert_fingerprint(client.ssl, fp, sizes[i], PN_SSL_SHA256);
    printf("size %zu: sha1=%d sha256=%d\n", sizes[i], a, b);
  }
  char fp[256];
  printf("bad alg=%d\n", pn_ssl_get_cert_fingerprint(client.ssl, fp, sizeof fp, (pn_ssl_hash_alg)7));
  /* A NULL buffer crashes proton-c: not tried. */
  printf("bad subfield=%s\n", pn_ssl_get_remote_subject_subfield(client.ssl, (pn_ssl_cert_subject_subfield)9) ? "set" : "null");
  char buf[4];
  printf("cipher small=%d protocol small=%d\n", pn_ssl_get_cipher_name(client.ssl, buf, sizeof buf),
         pn_ssl_get_protocol_name(client.ssl, buf, sizeof buf));
  printf("cipher 0=%d protocol 0=%d\n", pn_ssl_get_cipher_name(client.ssl, buf, 0), pn_ssl_get_protocol_name(client.ssl, buf, 0));
  pn_connection_close(client.d.connection);
  run();
  finish();
  pn_ssl_domain_free(cd);
  pn_ssl_domain_free(sd);
}

int main(int argc, char **argv) {
  struct { const char *name; void (*fn)(void); } scenarios[] = {
    {"api", api},
    {"verify_name", verify_name},
    {"default_mode", default_mode},
    {"name_mismatch", name_mismatch},
    {"name_ip", name_ip},
    {"name_other", name_other},
    {"name_from_connection", name_from_connection},
    {"name_from_connection_late", name_from_connection_late},
    {"name_overrides_connection", name_overrides_connection},
    {"no_hostname", no_hostname},
    {"verify_peer", verify_peer},
    {"untrusted", untrusted},
    {"trust_two_cas", trust_two_cas},
    {"system_cas", system_cas},
    {"anonymous", anonymous},
    {"anonymous_client_cert_server", anonymous_client_cert_server},
    {"anonymous_tls12", anonymous_tls12},
    {"verify_vs_anonymous_server", verify_vs_anonymous_server},
    {"client_cert", client_cert},
    {"client_cert_encrypted", client_cert_encrypted},
    {"client_cert_missing", client_cert_missing},
    {"client_cert_untrusted", client_cert_untrusted},
    {"server_encrypted_key", server_encrypted_key},
    {"unsecured_plain", unsecured_plain},
    {"unsecured_tls", unsecured_tls},
    {"unsecured_required", unsecured_required},
    {"plain_to_tls_server", plain_to_tls_server},
    {"tls_to_plain_server", tls_to_plain_server},
    {"garbage_tls", garbage_tls},
    {"garbage_record", garbage_record},
    {"garbage_short_record", garbage_short_record},
    {"garbage_alert", garbage_alert},
    {"garbage_unsecured", garbage_unsecured},
    {"resume", resume},
    {"resume_tls12", resume_tls12},
    {"protocols", protocols},
    {"ciphers", ciphers},
    {"ciphers_tls13", ciphers_tls13},
    {"abrupt_eof", abrupt_eof},
    {"amqp_error_over_tls", amqp_error_over_tls},
    {"external", external},
    {"external_no_cert", external_no_cert},
    {"domain_refcount", domain_refcount},
    {"fingerprint_sizes", fingerprint_sizes},
  };
  if (argc < 2) {
    fprintf(stderr, "usage: tls CERTDIR [SCENARIO]\n");
    return 2;
  }
  if (!strcmp(argv[1], "--list") || (argc > 2 && !strcmp(argv[2], "--list"))) {
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) printf("%s\n", scenarios[i].name);
    return 0;
  }
  certdir = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
    if (argc < 3 || !strcmp(argv[2], scenarios[i].name)) {
      printf("=== %s\n", scenarios[i].name);
      fflush(stdout);
      scenarios[i].fn();
      fflush(stdout);
    }
  }
  return 0;
}
