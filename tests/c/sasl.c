/* SASL scenarios: a client and a server connection driver wired together
 * in memory, or a server fed scripted bytes. Events, SASL state, transport
 * conditions and every byte written are printed, and the transports trace
 * their frames (PN_TRACE_FRM) to stderr. The output must be the same on
 * proton-c and proton-rs.
 *
 * usage: sasl [SCENARIO]   (see the table at the end) */
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/event.h>
#include <proton/logger.h>
#include <proton/sasl.h>
#include <proton/sasl_plugin.h>
#include <proton/transport.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

typedef struct peer_t {
  const char *name;
  pn_connection_driver_t d;
  int open_on_remote;
} peer_t;

static peer_t client, server;

static const char *state_str(pn_state_t s) {
  static char buf[8];
  buf[0] = (s & PN_LOCAL_UNINIT) ? 'u' : (s & PN_LOCAL_ACTIVE) ? 'a' : (s & PN_LOCAL_CLOSED) ? 'c' : '?';
  buf[1] = (s & PN_REMOTE_UNINIT) ? 'u' : (s & PN_REMOTE_ACTIVE) ? 'a' : (s & PN_REMOTE_CLOSED) ? 'c' : '?';
  buf[2] = 0;
  return buf;
}

static const char *str(const char *s) { return s ? s : "null"; }

static void print_cond(const char *label, pn_condition_t *c) {
  if (c && pn_condition_is_set(c)) printf(" %s=(%s, %s)", label, pn_condition_get_name(c), str(pn_condition_get_description(c)));
}

static void print_sasl(peer_t *p) {
  pn_transport_t *t = p->d.transport;
  pn_sasl_t *s = pn_sasl(t);
  printf("%s sasl outcome=%d user=%s authz=%s mech=%s insecure=%d | transport user=%s authenticated=%d encrypted=%d\n", p->name,
         pn_sasl_outcome(s), str(pn_sasl_get_user(s)), str(pn_sasl_get_authorization(s)), str(pn_sasl_get_mech(s)),
         pn_sasl_get_allow_insecure_mechs(s), str(pn_transport_get_user(t)), pn_transport_is_authenticated(t),
         pn_transport_is_encrypted(t));
}

static void print_event(peer_t *p, pn_event_t *e) {
  pn_event_type_t t = pn_event_type(e);
  printf("%s %s", p->name, pn_event_type_name(t));
  pn_connection_t *c = pn_event_connection(e);
  if (c && t == PN_CONNECTION_REMOTE_OPEN) {
    printf(" conn %s rcontainer=%s", state_str(pn_connection_state(c)), str(pn_connection_remote_container(c)));
  }
  if (c && t == PN_CONNECTION_REMOTE_CLOSE) print_cond("rcond", pn_connection_remote_condition(c));
  if (t == PN_TRANSPORT_ERROR || t == PN_TRANSPORT_CLOSED) print_cond("tcond", pn_transport_condition(pn_event_transport(e)));
  printf("\n");
}

static int handle(peer_t *p) {
  int n = 0;
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(&p->d))) {
    print_event(p, e);
    if (pn_event_type(e) == PN_CONNECTION_REMOTE_OPEN && p->open_on_remote &&
        (pn_connection_state(pn_event_connection(e)) & PN_LOCAL_UNINIT))
      pn_connection_open(pn_event_connection(e));
    n++;
  }
  return n;
}

static size_t transfer(peer_t *a, peer_t *b) {
  pn_bytes_t wb = pn_connection_driver_write_buffer(&a->d);
  if (!wb.size) return 0;
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(&b->d);
  size_t n = wb.size < rb.size ? wb.size : rb.size;
  if (!n) return 0;
  printf("%s -> %zu bytes: ", a->name, n);
  print_hex(stdout, wb.start, n);
  printf("\n");
  memcpy(rb.start, wb.start, n);
  pn_connection_driver_write_done(&a->d, n);
  pn_connection_driver_read_done(&b->d, n);
  return n;
}

static void run(void) {
  for (int i = 0; i < 1000; i++) {
    int ev = handle(&client) + handle(&server);
    size_t moved = transfer(&client, &server) + transfer(&server, &client);
    if (!ev && !moved) return;
  }
  printf("run: no quiescence\n");
}

static void finish(void) {
  print_sasl(&client);
  print_sasl(&server);
  print_cond("client tcond", pn_transport_condition(client.d.transport));
  print_cond("server tcond", pn_transport_condition(server.d.transport));
  printf("\nclient %s closed=%d finished=%d | server %s closed=%d finished=%d\n",
         state_str(pn_connection_state(client.d.connection)), pn_transport_closed(client.d.transport),
         pn_connection_driver_finished(&client.d), state_str(pn_connection_state(server.d.connection)),
         pn_transport_closed(server.d.transport), pn_connection_driver_finished(&server.d));
  pn_connection_driver_destroy(&client.d);
  pn_connection_driver_destroy(&server.d);
}

/* Both drivers made; the client's connection has a container; nothing
 * is bound to SASL yet. */
static void setup(void) {
  memset(&client, 0, sizeof client);
  memset(&server, 0, sizeof server);
  client.name = "C";
  server.name = "S";
  pn_connection_driver_init(&client.d, pn_connection(), NULL);
  pn_connection_driver_init(&server.d, NULL, NULL);
  pn_transport_set_server(server.d.transport);
  pn_transport_trace(client.d.transport, PN_TRACE_FRM);
  pn_transport_trace(server.d.transport, PN_TRACE_FRM);
  pn_connection_set_container(client.d.connection, "client");
  pn_connection_set_container(server.d.connection, "server");
  server.open_on_remote = 1;
}

/* The client is given its credentials before it is bound. */
static void setup_with(const char *user, const char *password, const char *authz) {
  memset(&client, 0, sizeof client);
  memset(&server, 0, sizeof server);
  client.name = "C";
  server.name = "S";
  pn_connection_t *c = pn_connection();
  if (user) pn_connection_set_user(c, user);
  if (password) pn_connection_set_password(c, password);
  if (authz) pn_connection_set_authorization(c, authz);
  pn_connection_driver_init(&client.d, c, NULL);
  pn_connection_driver_init(&server.d, NULL, NULL);
  pn_transport_set_server(server.d.transport);
  pn_transport_trace(client.d.transport, PN_TRACE_FRM);
  pn_transport_trace(server.d.transport, PN_TRACE_FRM);
  pn_connection_set_container(client.d.connection, "client");
  pn_connection_set_container(server.d.connection, "server");
  server.open_on_remote = 1;
}

static void open_run_finish(void) {
  pn_connection_open(client.d.connection);
  run();
  pn_connection_close(client.d.connection);
  run();
  finish();
}

/* ------------------------------------------------------------------ */

static void anonymous(void) {
  setup();
  pn_sasl(client.d.transport);
  pn_sasl(server.d.transport);
  open_run_finish();
}

static void anonymous_autodetect(void) {
  setup();
  pn_sasl(client.d.transport);
  /* The server made no SASL layer: the SASL header makes one. */
  open_run_finish();
}

static void anonymous_with_user(void) {
  setup_with("bob", NULL, NULL);
  pn_sasl(server.d.transport);
  open_run_finish();
}

static void plain_insecure_not_allowed(void) {
  /* PLAIN needs encryption or allow_insecure_mechs: ANONYMOUS is used. */
  setup_with("bob", "secret", NULL);
  open_run_finish();
}

static void plain_only_insecure_not_allowed(void) {
  setup_with("bob", "secret", NULL);
  pn_sasl_allowed_mechs(pn_sasl(client.d.transport), "PLAIN");
  open_run_finish();
}

static void client_allows_nothing_offered(void) {
  setup();
  pn_sasl_allowed_mechs(pn_sasl(client.d.transport), "EXTERNAL");
  open_run_finish();
}

static void server_allows_nothing_it_has(void) {
  setup();
  pn_sasl(client.d.transport);
  pn_sasl_allowed_mechs(pn_sasl(server.d.transport), "PLAIN EXTERNAL");
  open_run_finish();
}

static void external_without_tls(void) {
  setup_with(NULL, NULL, "admin");
  pn_sasl_allowed_mechs(pn_sasl(client.d.transport), "EXTERNAL ANONYMOUS");
  open_run_finish();
}

static void require_auth_plain_client(void) {
  setup();
  pn_transport_require_auth(server.d.transport, true);
  open_run_finish();
}

static void require_auth_anonymous(void) {
  setup();
  pn_sasl(client.d.transport);
  pn_transport_require_auth(server.d.transport, true);
  open_run_finish();
}

static void require_encryption_sasl(void) {
  setup();
  pn_sasl(client.d.transport);
  pn_transport_require_encryption(server.d.transport, true);
  open_run_finish();
}

static void server_sasl_client_plain(void) {
  /* The server configured SASL, the client speaks plain AMQP. */
  setup();
  pn_sasl(server.d.transport);
  open_run_finish();
}

static void client_sasl_server_plain_only(void) {
  /* The client expects SASL; a "server" that answers with AMQP only. */
  setup();
  pn_sasl(client.d.transport);
  handle(&server);
  pn_connection_open(client.d.connection);
  handle(&client);
  pn_bytes_t wb = pn_connection_driver_write_buffer(&client.d);
  printf("C wrote %zu bytes\n", wb.size);
  pn_connection_driver_write_done(&client.d, wb.size);
  const char amqp[] = "AMQP\x00\x01\x00\x00";
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(&client.d);
  memcpy(rb.start, amqp, 8);
  pn_connection_driver_read_done(&client.d, 8);
  handle(&client);
  wb = pn_connection_driver_write_buffer(&client.d);
  printf("C then wrote %zu bytes\n", wb.size);
  finish();
}

static void done_and_getters(void) {
  setup();
  pn_sasl_t *s = pn_sasl(client.d.transport);
  printf("extended=%d outcome=%d\n", pn_sasl_extended(), pn_sasl_outcome(s));
  pn_sasl_set_allow_insecure_mechs(s, true);
  printf("insecure=%d\n", pn_sasl_get_allow_insecure_mechs(s));
  pn_sasl_set_allow_insecure_mechs(s, false);
  pn_sasl_config_name(s, "test");
  pn_sasl_config_path(s, "/nonexistent");
  pn_sasl_done(s, PN_SASL_TEMP);
  printf("after done: outcome=%d\n", pn_sasl_outcome(s));
  pn_sasl_done(s, PN_SASL_NONE);
  open_run_finish();
}


/* ------------------------------------------------------------------ */
/* A custom mechanism through the plugin API (sasl_plugin.h): "X-TEST", a
 * challenge and a response, with a context freed by the implementation. */

typedef struct { int calls; char name[16]; } ctx_t;
static const char *x_answer = "answer-1";

static void show(pn_transport_t *t, const char *what) {
  printf("  [%s %s] client=%d user=%s password=%s authz=%s mech=%s ssf=%d ext=%s required=%d insecure=%d encrypted=%d fqdn=%s ctx=%s\n",
         ((ctx_t *)pnx_sasl_get_context(t))->name, what, pnx_sasl_is_client(t), str(pnx_sasl_get_username(t)),
         str(pnx_sasl_get_password(t)), str(pnx_sasl_get_authorization(t)), str(pnx_sasl_get_selected_mechanism(t)),
         pnx_sasl_get_external_ssf(t), str(pnx_sasl_get_external_username(t)), pnx_sasl_get_authentication_required(t),
         pnx_sasl_get_allow_insecure_mechanisms(t), pnx_sasl_is_transport_encrypted(t), str(pnx_sasl_get_remote_fqdn(t)),
         pnx_sasl_get_context(t) ? "set" : "null");
  ((ctx_t *)pnx_sasl_get_context(t))->calls++;
}

static void print_bytes(const char *label, const pn_bytes_t *b) {
  printf("  %s=", label);
  if (!b->start) printf("NULL");
  else printf("'%.*s'(%zu)", (int)b->size, b->start, b->size);
  printf("\n");
}

static void x_free(pn_transport_t *t) {
  ctx_t *c = (ctx_t *)pnx_sasl_get_context(t);
  printf("  [%s free] after %d calls\n", c->name, c->calls);
  free(c);
}
static const char *x_list(pn_transport_t *t) { show(t, "list"); return "X-TEST ANONYMOUS"; }
static bool x_init_server(pn_transport_t *t) {
  show(t, "init_server");
  pnx_sasl_set_desired_state(t, SASL_POSTED_MECHANISMS);
  return true;
}
static bool x_init_client(pn_transport_t *t) { show(t, "init_client"); return true; }
static void x_prepare(pn_transport_t *t) { ((ctx_t *)pnx_sasl_get_context(t))->calls++; }
static void x_process_init(pn_transport_t *t, const char *mech, const pn_bytes_t *recv) {
  show(t, "process_init");
  printf("  mech=%s included=%d/%d\n", mech, pnx_sasl_is_mechanism_included(t, pn_bytes(6, "X-TEST")),
         pnx_sasl_is_mechanism_included(t, pn_bytes(5, "PLAIN")));
  print_bytes("init", recv);
  pnx_sasl_logf(t, PN_LEVEL_INFO, "process_init %s with %d bytes", mech, (int)recv->size);
  /* A client state on a server: refused with an error log. */
  pnx_sasl_set_desired_state(t, SASL_POSTED_INIT);
  pnx_sasl_set_bytes_out(t, pn_bytes(11, "challenge-1"));
  pnx_sasl_set_desired_state(t, SASL_POSTED_CHALLENGE);
}
static void x_process_response(pn_transport_t *t, const pn_bytes_t *recv) {
  show(t, "process_response");
  print_bytes("response", recv);
  if (recv->size == 8 && !memcmp(recv->start, "answer-1", 8)) {
    pnx_sasl_set_succeeded(t, "tester", "boss");
  } else {
    pnx_sasl_error(t, "wrong answer", "amqp:unauthorized-access");
    pnx_sasl_set_failed(t);
  }
  pnx_sasl_set_bytes_out(t, pn_bytes(4, "done"));
  pnx_sasl_set_desired_state(t, SASL_POSTED_OUTCOME);
  /* Going back is refused with an error log. */
  pnx_sasl_set_desired_state(t, SASL_POSTED_MECHANISMS);
}
static bool x_process_mechanisms(pn_transport_t *t, const char *mechs) {
  show(t, "process_mechanisms");
  printf("  offered=%s\n", mechs);
  pnx_sasl_set_selected_mechanism(t, "X-TEST");
  pnx_sasl_set_local_hostname(t, "client.example");
  pnx_sasl_set_bytes_out(t, pn_bytes(5, "hello"));
  pnx_sasl_set_desired_state(t, SASL_POSTED_INIT);
  return true;
}
static void x_process_challenge(pn_transport_t *t, const pn_bytes_t *recv) {
  show(t, "process_challenge");
  print_bytes("challenge", recv);
  pnx_sasl_set_bytes_out(t, pn_bytes(strlen(x_answer), x_answer));
  pnx_sasl_set_desired_state(t, SASL_POSTED_RESPONSE);
}
static void x_process_outcome(pn_transport_t *t, const pn_bytes_t *recv) {
  show(t, "process_outcome");
  print_bytes("additional", recv);
}
static bool x_can_encrypt(pn_transport_t *t) { return false; }
static ssize_t x_max(pn_transport_t *t) { return 0; }
static ssize_t x_code(pn_transport_t *t, pn_bytes_t in, pn_bytes_t *out) { return 0; }

static const pnx_sasl_implementation x_impl = {
  x_free, x_list, x_init_server, x_init_client, x_prepare, x_process_init, x_process_response,
  x_process_mechanisms, x_process_challenge, x_process_outcome, x_can_encrypt, x_max, x_code, x_code,
};

static void use_plugin(peer_t *p) {
  ctx_t *c = calloc(1, sizeof *c);
  strcpy(c->name, p->name);
  pn_sasl(p->d.transport);
  pnx_sasl_set_implementation(p->d.transport, &x_impl, c);
  pn_logger_t *l = pn_transport_logger(p->d.transport);
  pn_logger_set_mask(l, PN_SUBSYSTEM_SASL, PN_LEVEL_INFO | PN_LEVEL_ERROR);
}

static void plugin(void) {
  setup_with("alice", "pw", "admin");
  pn_connection_set_hostname(client.d.connection, "server.example");
  use_plugin(&client);
  use_plugin(&server);
  pn_transport_require_auth(server.d.transport, true);
  x_answer = "answer-1";
  open_run_finish();
}

static void plugin_wrong_answer(void) {
  setup();
  use_plugin(&client);
  use_plugin(&server);
  x_answer = "answer-2";
  open_run_finish();
  x_answer = "answer-1";
}

/* A server that checks PLAIN (and offers it with ANONYMOUS), against the
 * built-in client. */
static const char *p_list(pn_transport_t *t) { return "ANONYMOUS PLAIN"; }
static void p_init(pn_transport_t *t, const char *mech, const pn_bytes_t *recv) {
  print_bytes("server got", recv);
  if (!strcmp(mech, "PLAIN") && recv->size == 11 && !memcmp(recv->start, "\0bob\0secret", 11))
    pnx_sasl_set_succeeded(t, "bob", NULL);
  else
    pnx_sasl_set_failed(t);
  pnx_sasl_set_desired_state(t, SASL_POSTED_OUTCOME);
}
static void p_free(pn_transport_t *t) {}
static bool p_init_server(pn_transport_t *t) {
  pnx_sasl_set_desired_state(t, SASL_POSTED_MECHANISMS);
  return true;
}
static void p_prepare(pn_transport_t *t) {}
static const pnx_sasl_implementation plain_server = {
  p_free, p_list, p_init_server, x_init_client, p_prepare, p_init, x_process_response,
  x_process_mechanisms, x_process_challenge, x_process_outcome, x_can_encrypt, x_max, x_code, x_code,
};

static void plain_server_setup(const char *user, const char *password, int insecure) {
  setup_with(user, password, NULL);
  pn_sasl_set_allow_insecure_mechs(pn_sasl(client.d.transport), insecure);
  pn_sasl(server.d.transport);
  pnx_sasl_set_implementation(server.d.transport, &plain_server, NULL);
}

static void plain_ok(void) {
  plain_server_setup("bob", "secret", 1);
  open_run_finish();
}

static void plain_bad_password(void) {
  plain_server_setup("bob", "wrong", 1);
  open_run_finish();
}

static void plain_not_insecure(void) {
  /* Without allow_insecure_mechs PLAIN is not used: ANONYMOUS, which this
   * server refuses. */
  plain_server_setup("bob", "secret", 0);
  open_run_finish();
}

/* ------------------------------------------------------------------ */
/* Scripted input to a server (or a client) driver. */

static int hexval(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

static void raw(int is_server, int make_sasl, int require_auth, const char *hex) {
  size_t n = strlen(hex) / 2;
  char *b = malloc(n);
  for (size_t i = 0; i < n; i++) b[i] = (char)(hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
  memset(&server, 0, sizeof server);
  server.name = is_server ? "S" : "C";
  server.open_on_remote = 1;
  pn_connection_driver_init(&server.d, NULL, NULL);
  if (is_server) pn_transport_set_server(server.d.transport);
  if (make_sasl) pn_sasl(server.d.transport);
  pn_transport_require_auth(server.d.transport, require_auth);
  pn_transport_trace(server.d.transport, PN_TRACE_FRM);
  if (!is_server) pn_connection_open(server.d.connection);
  handle(&server);
  pn_bytes_t wb;
  while ((wb = pn_connection_driver_write_buffer(&server.d)).size) {
    printf("write %zu: ", wb.size);
    print_hex(stdout, wb.start, wb.size);
    printf("\n");
    pn_connection_driver_write_done(&server.d, wb.size);
    handle(&server);
  }
  size_t off = 0;
  while (off < n) {
    pn_rwbytes_t rb = pn_connection_driver_read_buffer(&server.d);
    if (!rb.size) {
      printf("read closed at %zu\n", off);
      break;
    }
    size_t k = n - off < rb.size ? n - off : rb.size;
    memcpy(rb.start, b + off, k);
    pn_connection_driver_read_done(&server.d, k);
    off += k;
    handle(&server);
    while ((wb = pn_connection_driver_write_buffer(&server.d)).size) {
      printf("write %zu: ", wb.size);
      print_hex(stdout, wb.start, wb.size);
      printf("\n");
      pn_connection_driver_write_done(&server.d, wb.size);
      handle(&server);
    }
  }
  pn_connection_driver_close(&server.d);
  handle(&server);
  print_sasl(&server);
  print_cond("tcond", pn_transport_condition(server.d.transport));
  printf("\nframes in=%llu out=%llu\n", (unsigned long long)pn_transport_get_frames_input(server.d.transport),
         (unsigned long long)pn_transport_get_frames_output(server.d.transport));
  pn_connection_driver_destroy(&server.d);
  free(b);
}

#define SASL_HDR "414d515003010000"
#define AMQP_HDR "414d515000010000"
#define INIT_ANON "0000002402010000005341c01702a309414e4f4e594d4f5553a009616e6f6e796d6f7573"
#define INIT_UNKNOWN "0000001202010000005341c00501a3026869"
#define INIT_FRAME_TYPE_0 "0000002402000000005341c01702a309414e4f4e594d4f5553a009616e6f6e796d6f7573"
#define MECHS "0000001c02010000005340c00f01e00c01a309414e4f4e594d4f5553"
#define OUTCOME_OK "0000001002010000005344c003015000"
#define OUTCOME_AUTH "0000001002010000005344c003015001"
#define OUTCOME_OK_DATA "0000001502010000005344c00802500aa003616263"

static void raw_init_anonymous(void) { raw(1, 0, 0, SASL_HDR INIT_ANON AMQP_HDR); }
static void raw_init_unknown_mech(void) { raw(1, 1, 0, SASL_HDR INIT_UNKNOWN); }
static void raw_init_as_amqp_frame(void) { raw(1, 1, 0, SASL_HDR INIT_FRAME_TYPE_0); }
static void raw_mechanisms_to_server(void) { raw(1, 1, 0, SASL_HDR MECHS); }
static void raw_sasl_frame_in_amqp(void) { raw(1, 0, 0, AMQP_HDR INIT_ANON); }
static void raw_sasl_header_twice(void) { raw(1, 0, 0, SASL_HDR INIT_ANON SASL_HDR); }
static void raw_eos_in_sasl(void) { raw(1, 1, 0, SASL_HDR); }
static void raw_eos_in_sasl_header(void) { raw(1, 1, 0, "414d5150"); }
static void raw_require_auth_after_sasl(void) { raw(1, 0, 1, SASL_HDR INIT_ANON AMQP_HDR); }
static void raw_require_auth_failed(void) { raw(1, 0, 1, SASL_HDR INIT_UNKNOWN AMQP_HDR); }
static void raw_client_ok(void) { raw(0, 1, 0, SASL_HDR MECHS OUTCOME_OK AMQP_HDR); }
static void raw_client_ok_with_data(void) { raw(0, 1, 0, SASL_HDR MECHS OUTCOME_OK_DATA AMQP_HDR); }
static void raw_client_refused(void) { raw(0, 1, 0, SASL_HDR MECHS OUTCOME_AUTH); }
static void raw_client_outcome_first(void) { raw(0, 1, 0, SASL_HDR OUTCOME_OK AMQP_HDR); }
static void raw_client_bad_header(void) { raw(0, 1, 0, "414d515001010000"); }
static void raw_client_heartbeat_in_sasl(void) { raw(0, 1, 0, SASL_HDR "0000000802000000" MECHS OUTCOME_OK AMQP_HDR); }

int main(int argc, char **argv) {
  struct { const char *name; void (*fn)(void); } scenarios[] = {
    {"anonymous", anonymous}, {"anonymous_autodetect", anonymous_autodetect}, {"anonymous_with_user", anonymous_with_user},
    {"plain_insecure_not_allowed", plain_insecure_not_allowed}, {"plain_only_insecure_not_allowed", plain_only_insecure_not_allowed},
    {"client_allows_nothing_offered", client_allows_nothing_offered}, {"server_allows_nothing_it_has", server_allows_nothing_it_has},
    {"external_without_tls", external_without_tls}, {"require_auth_plain_client", require_auth_plain_client},
    {"require_auth_anonymous", require_auth_anonymous}, {"require_encryption_sasl", require_encryption_sasl},
    {"server_sasl_client_plain", server_sasl_client_plain}, {"client_sasl_server_plain_only", client_sasl_server_plain_only},
    {"done_and_getters", done_and_getters}, {"plugin", plugin}, {"plugin_wrong_answer", plugin_wrong_answer},
    {"plain_ok", plain_ok}, {"plain_bad_password", plain_bad_password}, {"plain_not_insecure", plain_not_insecure},
    {"raw_init_anonymous", raw_init_anonymous}, {"raw_init_unknown_mech", raw_init_unknown_mech},
    {"raw_init_as_amqp_frame", raw_init_as_amqp_frame}, {"raw_mechanisms_to_server", raw_mechanisms_to_server},
    {"raw_sasl_frame_in_amqp", raw_sasl_frame_in_amqp}, {"raw_sasl_header_twice", raw_sasl_header_twice},
    {"raw_eos_in_sasl", raw_eos_in_sasl}, {"raw_eos_in_sasl_header", raw_eos_in_sasl_header},
    {"raw_require_auth_after_sasl", raw_require_auth_after_sasl}, {"raw_require_auth_failed", raw_require_auth_failed},
    {"raw_client_ok", raw_client_ok}, {"raw_client_ok_with_data", raw_client_ok_with_data},
    {"raw_client_refused", raw_client_refused}, {"raw_client_outcome_first", raw_client_outcome_first},
    {"raw_client_bad_header", raw_client_bad_header}, {"raw_client_heartbeat_in_sasl", raw_client_heartbeat_in_sasl},
  };
  if (argc > 1 && !strcmp(argv[1], "--list")) {
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) printf("%s\n", scenarios[i].name);
    return 0;
  }
  for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
    if (argc < 2 || !strcmp(argv[1], scenarios[i].name)) {
      printf("=== %s\n", scenarios[i].name);
      fflush(stdout);
      fprintf(stderr, "=== %s\n", scenarios[i].name);
      scenarios[i].fn();
      fflush(stdout);
    }
  }
  return 0;
}
