/* The engine's API function by function: transports driven by hand
 * (input/output/peek/capacity, closing, errors, binding), collectors and
 * events, endpoint iteration, contexts and attachments, logging. Prints
 * what it observes; the output must be the same on proton-c and
 * proton-rs. */
#include <proton/codec.h>
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/delivery.h>
#include <proton/event.h>
#include <proton/link.h>
#include <proton/logger.h>
#include <proton/message.h>
#include <proton/object.h>
#include <proton/session.h>
#include <proton/terminus.h>
#include <proton/transport.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void events(const char *label, pn_collector_t *col) {
  pn_event_t *e;
  printf("%s:", label);
  while ((e = pn_collector_peek(col))) {
    printf(" %s", pn_event_type_name(pn_event_type(e)));
    pn_condition_t *c = pn_event_condition(e);
    if (c) printf("(%s)", pn_condition_get_name(c));
    pn_collector_pop(col);
  }
  printf("\n");
}

static void cond(const char *label, pn_condition_t *c) {
  printf("%s: set=%d name=%s desc=%s\n", label, pn_condition_is_set(c), pn_condition_get_name(c) ? pn_condition_get_name(c) : "null",
         pn_condition_get_description(c) ? pn_condition_get_description(c) : "null");
}

static void hexout(const char *label, pn_transport_t *t) {
  char buf[4096];
  ssize_t n = pn_transport_output(t, buf, sizeof buf);
  printf("%s output %zd: ", label, n);
  if (n > 0) print_hex(stdout, buf, n);
  printf("\n");
}

static void transport_io(void) {
  printf("== transport io\n");
  pn_connection_t *c = pn_connection();
  pn_collector_t *col = pn_collector();
  pn_connection_collect(c, col);
  pn_transport_t *t = pn_transport();
  printf("user before bind: %s\n", pn_transport_get_user(t));
  printf("bind: %d rebind: %d\n", pn_transport_bind(t, c), pn_transport_bind(t, c));
  printf("transport connection is c: %d; c transport is t: %d\n", pn_transport_connection(t) == c, pn_connection_transport(c) == t);
  pn_connection_set_container(c, "io");
  pn_connection_open(c);
  printf("pending %zd quiesced %d\n", pn_transport_pending(t), pn_transport_quiesced(t));
  char peek[16];
  printf("peek %zd\n", pn_transport_peek(t, peek, 4));
  print_hex(stdout, peek, 4);
  printf("\n");
  hexout("first", t);
  printf("pending %zd quiesced %d frames out %llu\n", pn_transport_pending(t), pn_transport_quiesced(t),
         (unsigned long long)pn_transport_get_frames_output(t));
  const char in[] = "AMQP\x00\x01\x00\x00\x00\x00\x00\x11\x02\x00\x00\x00\x00\x53\x10\xc0\x04\x01\xa1\x01x";
  printf("input %zd capacity %zd\n", pn_transport_input(t, in, sizeof in - 1), pn_transport_capacity(t));
  printf("remote container %s frames in %llu\n", pn_connection_remote_container(c), (unsigned long long)pn_transport_get_frames_input(t));
  events("events", col);
  printf("set channel max after open: %d -> %u\n", pn_transport_set_channel_max(t, 10), pn_transport_get_channel_max(t));
  pn_connection_close(c);
  hexout("close", t);
  printf("head closed %d tail closed %d closed %d\n", pn_transport_head_closed(t), pn_transport_tail_closed(t), pn_transport_closed(t));
  pn_transport_close_tail(t);
  events("after close tail", col);
  cond("transport", pn_transport_condition(t));
  pn_transport_close_tail(t);
  cond("transport again", pn_transport_condition(t));
  printf("input after close: %zd\n", pn_transport_input(t, "x", 1));
  hexout("rest", t);
  printf("head closed %d tail closed %d closed %d\n", pn_transport_head_closed(t), pn_transport_tail_closed(t), pn_transport_closed(t));
  events("end", col);
  printf("unbind: %d, c transport null: %d\n", pn_transport_unbind(t), pn_connection_transport(c) == NULL);
  events("unbound", col);
  pn_transport_free(t);
  pn_connection_free(c);
  events("freed", col);
  pn_collector_free(col);
}

static void client_header(const char *label, const char *bytes, size_t n) {
  pn_connection_t *c = pn_connection();
  pn_transport_t *t = pn_transport();
  pn_transport_bind(t, c);
  pn_connection_open(c);
  printf("%s: push %zd\n", label, pn_transport_push(t, bytes, n));
  cond("  condition", pn_transport_condition(t));
  hexout("  ", t);
  pn_transport_close_tail(t);
  cond("  after close", pn_transport_condition(t));
  pn_transport_unbind(t);
  pn_transport_free(t);
  pn_connection_free(c);
}

static void headers(void) {
  printf("== headers\n");
  client_header("sasl", "AMQP\x03\x01\x00\x00", 8);
  client_header("tls", "\x16\x03\x01\x00\x00", 5);
  client_header("old", "AMQP\x01\x01\x00\x00", 8);
  client_header("http", "GET / HTTP/1.1", 14);
  client_header("short", "AMQ", 3);
}

static void driver_errors(void) {
  printf("== driver errors\n");
  pn_connection_driver_t d;
  pn_connection_driver_init(&d, NULL, NULL);
  pn_connection_driver_errorf(&d, "amqp:internal-error", "broken %d %s", 42, "here");
  cond("condition", pn_transport_condition(d.transport));
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(&d))) printf("event %s\n", pn_event_type_name(pn_event_type(e)));
  pn_bytes_t wb = pn_connection_driver_write_buffer(&d);
  printf("write %zu: ", wb.size);
  print_hex(stdout, wb.start, wb.size);
  printf("\n");
  pn_connection_driver_write_done(&d, wb.size);
  pn_connection_driver_close(&d);
  while ((e = pn_connection_driver_next_event(&d))) printf("event %s\n", pn_event_type_name(pn_event_type(e)));
  printf("finished %d read closed %d write closed %d\n", pn_connection_driver_finished(&d), pn_connection_driver_read_closed(&d),
         pn_connection_driver_write_closed(&d));
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(&d);
  printf("read buffer %zu\n", rb.size);
  pn_connection_driver_destroy(&d);
  printf("destroyed: %p %p %p\n", (void *)d.connection, (void *)d.transport, (void *)d.collector);
  pn_connection_driver_t d2;
  pn_connection_driver_init(&d2, NULL, NULL);
  pn_rwbytes_t sized = pn_connection_driver_read_buffer_sized(&d2, 10);
  printf("sized read buffer %zu (bound %d)\n", sized.size, pn_connection_transport(d2.connection) != NULL);
  printf("driver ptr slot: %p\n", (void *)*pn_connection_driver_ptr(d2.connection));
  pn_connection_t *c = pn_connection_driver_release_connection(&d2);
  printf("released: %d state %d collector %p\n", c != NULL, pn_connection_state(c), (void *)pn_connection_collector(c));
  pn_connection_free(c);
  pn_connection_driver_destroy(&d2);
}

static void collector_api(void) {
  printf("== collector\n");
  pn_collector_t *col = pn_collector();
  pn_connection_t *c = pn_connection();
  printf("put %d\n", pn_collector_put(col, PN_OBJECT, c, PN_CONNECTION_INIT) != NULL);
  printf("put same %d\n", pn_collector_put(col, PN_OBJECT, c, PN_CONNECTION_INIT) != NULL);
  printf("put other %d more %d\n", pn_collector_put(col, PN_OBJECT, c, PN_CONNECTION_LOCAL_OPEN) != NULL, pn_collector_more(col));
  printf("conn rc %d\n", pn_refcount(c));
  pn_event_t *e = pn_collector_next(col);
  printf("next %s prev==next %d peek %s\n", pn_event_type_name(pn_event_type(e)), pn_collector_prev(col) == e,
         pn_event_type_name(pn_event_type(pn_collector_peek(col))));
  printf("event class %s context==c %d connection==c %d session %p link %p delivery %p transport %p\n",
         pn_class_name(pn_event_class(e)), pn_event_context(e) == c, pn_event_connection(e) == c, (void *)pn_event_session(e),
         (void *)pn_event_link(e), (void *)pn_event_delivery(e), (void *)pn_event_transport(e));
  pn_record_t *r = pn_event_attachments(e);
  printf("attachments %d\n", r != NULL);
  printf("event class name %s rc %d\n", pn_class_name(pn_class(e)), pn_refcount(e));
  pn_collector_drain(col);
  printf("drained: peek %p prev %p conn rc %d\n", (void *)pn_collector_peek(col), (void *)pn_collector_prev(col), pn_refcount(c));
  pn_collector_put(col, PN_OBJECT, c, PN_CONNECTION_INIT);
  pn_collector_release(col);
  printf("released: put %p peek %p conn rc %d\n", (void *)pn_collector_put(col, PN_OBJECT, c, PN_CONNECTION_FINAL),
         (void *)pn_collector_peek(col), pn_refcount(c));
  pn_collector_free(col);
  pn_connection_free(c);
  printf("names: %s %s %s\n", pn_event_type_name(PN_EVENT_NONE), pn_event_type_name(PN_TRANSPORT_CLOSED), pn_event_type_name((pn_event_type_t)99));
}

static int ctx_value = 7;

static void iteration(void) {
  printf("== iteration and attachments\n");
  pn_connection_t *c = pn_connection();
  pn_session_t *s1 = pn_session(c), *s2 = pn_session(c);
  pn_link_t *a = pn_sender(s1, "a"), *b = pn_receiver(s2, "b"), *cc = pn_sender(s1, "c");
  pn_session_open(s2);
  pn_link_open(b);
  pn_link_open(cc);
  pn_link_close(cc);
  int n = 0;
  for (pn_session_t *s = pn_session_head(c, 0); s; s = pn_session_next(s, 0)) n++;
  printf("sessions %d, active %d\n", n, pn_session_head(c, PN_LOCAL_ACTIVE) == s2);
  for (pn_link_t *l = pn_link_head(c, 0); l; l = pn_link_next(l, 0)) printf(" link %s state %d\n", pn_link_name(l), pn_link_state(l));
  printf("active links: %s\n", pn_link_head(c, PN_LOCAL_ACTIVE) ? pn_link_name(pn_link_head(c, PN_LOCAL_ACTIVE)) : "none");
  printf("closed+uninit remote: %s\n", pn_link_head(c, PN_LOCAL_CLOSED | PN_REMOTE_UNINIT) ? pn_link_name(pn_link_head(c, PN_LOCAL_CLOSED | PN_REMOTE_UNINIT)) : "none");
  pn_link_set_context(a, &ctx_value);
  pn_session_set_context(s1, &ctx_value);
  pn_connection_set_context(c, &ctx_value);
  printf("contexts: %d %d %d\n", *(int *)pn_link_get_context(a), *(int *)pn_session_get_context(s1), *(int *)pn_connection_get_context(c));
  printf("link session ok %d, session connection ok %d\n", pn_link_session(a) == s1, pn_session_connection(s1) == c);
  printf("class names: %s %s %s\n", pn_class_name(pn_class(c)), pn_class_name(pn_class(s1)), pn_class_name(pn_class(a)));
  pn_delivery_t *d = pn_delivery(a, pn_dtag("tag", 3));
  printf("delivery class %s current %d writable %d readable %d buffered %d\n", pn_class_name(pn_class(d)), pn_delivery_current(d),
         pn_delivery_writable(d), pn_delivery_readable(d), pn_delivery_buffered(d));
  pn_delivery_set_context(d, &ctx_value);
  printf("delivery context %d tag %.*s link ok %d\n", *(int *)pn_delivery_get_context(d), (int)pn_delivery_tag(d).size,
         pn_delivery_tag(d).start, pn_delivery_link(d) == a);
  printf("send %zd send null %zd\n", pn_link_send(a, "abc", 3), pn_link_send(a, NULL, 0));
  printf("buffered %d pending %zu session out %zu\n", pn_delivery_buffered(d), pn_delivery_pending(d), pn_session_outgoing_bytes(s1));
  pn_delivery_dump(d);
  printf("\n");
  printf("advance %d current %p unsettled %d queued %d credit %d\n", pn_link_advance(a), (void *)pn_link_current(a),
         pn_link_unsettled(a), pn_link_queued(a), pn_link_credit(a));
  printf("recv on sender %zd\n", pn_link_recv(b, NULL, 0));
  pn_delivery_update(d, PN_RELEASED);
  printf("local state %llu remote state %llu settled %d updated %d\n", (unsigned long long)pn_delivery_local_state(d),
         (unsigned long long)pn_delivery_remote_state(d), pn_delivery_settled(d), pn_delivery_updated(d));
  pn_delivery_settle(d);
  printf("after settle: unsettled %d head %p\n", pn_link_unsettled(a), (void *)pn_unsettled_head(a));
  printf("terminus types %d %d %d %d\n", pn_terminus_get_type(pn_link_source(a)), pn_terminus_get_type(pn_link_target(a)),
         pn_terminus_get_type(pn_link_remote_source(a)), pn_terminus_get_type(pn_link_remote_target(a)));
  printf("has expiry %d expiry %d\n", pn_terminus_has_expiry_policy(pn_link_source(a)), pn_terminus_get_expiry_policy(pn_link_source(a)));
  printf("remote props %p\n", (void *)pn_link_remote_properties(a));
  printf("settle modes %d %d remote %d %d\n", pn_link_snd_settle_mode(a), pn_link_rcv_settle_mode(a), pn_link_remote_snd_settle_mode(a),
         pn_link_remote_rcv_settle_mode(a));
  printf("capacity %zu window %zu\n", pn_session_get_incoming_capacity(s1), pn_session_get_outgoing_window(s1));
  printf("getters: %s %s %s %s\n", pn_connection_get_container(c) ? "set" : "null", pn_connection_get_hostname(c) ? "set" : "null",
         pn_connection_get_user(c) ? "set" : "null", pn_connection_get_authorization(c) ? "set" : "null");
  pn_connection_set_user(c, "me");
  pn_connection_set_password(c, "secret");
  pn_connection_set_authorization(c, "you");
  printf("user %s authz %s\n", pn_connection_get_user(c), pn_connection_get_authorization(c));
  printf("remote: %p %p %p\n", (void *)pn_connection_remote_container(c), (void *)pn_connection_remote_properties(c),
         (void *)pn_connection_remote_condition(c));
  printf("errors: %d %d %d\n", pn_error_code(pn_connection_error(c)), pn_error_code(pn_session_error(s1)), pn_error_code(pn_link_error(a)));
  pn_connection_release(c);
  printf("released: rc %d state %d\n", pn_refcount(c), pn_connection_state(c));
  pn_decref(c);
}

static void logging(void) {
  printf("== logging\n");
  pn_transport_t *t = pn_transport();
  pn_transport_log(t, "plain log");
  pn_transport_logf(t, "formatted %d", 5);
  pn_transport_trace(t, PN_TRACE_FRM);
  pn_connection_t *c = pn_connection();
  pn_transport_bind(t, c);
  pn_connection_open(c);
  char buf[1024];
  pn_transport_output(t, buf, sizeof buf);
  pn_transport_trace(t, PN_TRACE_OFF);
  pn_connection_close(c);
  pn_transport_output(t, buf, sizeof buf);
  fflush(stdout);
  pn_transport_unbind(t);
  pn_transport_free(t);
  pn_connection_free(c);
}

static void tracer(pn_transport_t *t, const char *message) {
  (void)t;
  printf("tracer: %s\n", message);
}

static void tracing(void) {
  printf("== tracing\n");
  pn_connection_driver_t d;
  pn_connection_driver_init(&d, NULL, NULL);
  pn_transport_trace(d.transport, PN_TRACE_EVT | PN_TRACE_FRM | PN_TRACE_DRV);
  pn_connection_open(d.connection);
  pn_session_open(pn_session(d.connection));
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(&d))) printf("event %s\n", pn_event_type_name(pn_event_type(e)));
  printf("default tracer set: %d\n", pn_transport_get_tracer(d.transport) != NULL);
  pn_transport_set_tracer(d.transport, tracer);
  printf("tracer is ours: %d\n", pn_transport_get_tracer(d.transport) == tracer);
  pn_bytes_t wb = pn_connection_driver_write_buffer(&d);
  printf("write %zu\n", wb.size);
  pn_connection_driver_write_done(&d, wb.size);
  pn_transport_logf(d.transport, "through the tracer %s", "too");
  pn_transport_trace(d.transport, PN_TRACE_OFF);
  pn_connection_close(d.connection);
  wb = pn_connection_driver_write_buffer(&d);
  printf("write %zu\n", wb.size);
  fflush(stdout);
  pn_connection_driver_destroy(&d);
}

static void message_send(void) {
  printf("== message send\n");
  pn_connection_t *c = pn_connection();
  pn_session_t *s = pn_session(c);
  pn_link_t *l = pn_sender(s, "m");
  pn_message_t *m = pn_message();
  pn_message_set_address(m, "there");
  pn_data_put_string(pn_message_body(m), pn_bytes(5, "hello"));
  ssize_t n = pn_message_send(m, l, NULL);
  printf("without delivery: %zd error %d %s\n", n, pn_error_code(pn_message_error(m)), pn_error_text(pn_message_error(m)) ? pn_error_text(pn_message_error(m)) : "null");
  pn_delivery_t *d = pn_delivery(l, pn_dtag("a", 1));
  n = pn_message_send(m, l, NULL);
  printf("sent %zd pending %zu current %p queued %d\n", n, pn_delivery_pending(d), (void *)pn_link_current(l), pn_link_queued(l));
  /* pn_message_encode2 grows a buffer with realloc: it must be malloc'ed. */
  pn_rwbytes_t small = pn_rwbytes(8, malloc(8));
  pn_delivery(l, pn_dtag("b", 1));
  n = pn_message_send(m, l, &small);
  printf("small buffer: %zd size %zu\n", n, small.size);
  free(small.start);
  pn_rwbytes_t grown = pn_rwbytes(0, NULL);
  pn_delivery(l, pn_dtag("c", 1));
  n = pn_message_send(m, l, &grown);
  printf("grown buffer: %zd size %zu\n", n, grown.size);
  free(grown.start);
  pn_message_free(m);
  pn_connection_free(c);
}

static void detect_sink(intptr_t ctx, pn_log_subsystem_t sub, pn_log_level_t lvl, const char *msg) {
  (void)ctx;
  printf("  log %s:%s: %s\n", pn_logger_subsystem_name(sub), pn_logger_level_name(lvl), msg);
}

/* A server transport detecting what the client sent: refusals by policy,
 * unknown and incomplete headers, and errors on top of a condition the
 * application already set. */
static void detect_case(const char *label, const char *in, size_t n, int close_tail, int mode) {
  printf("-- %s\n", label);
  pn_connection_driver_t d;
  pn_connection_driver_init(&d, NULL, NULL);
  pn_logger_t *l = pn_transport_logger(d.transport);
  pn_logger_set_log_sink(l, detect_sink, 0);
  pn_logger_set_mask(l, PN_SUBSYSTEM_ALL, PN_LEVEL_ALL);
  pn_transport_set_server(d.transport);
  if (mode == 1) pn_transport_require_auth(d.transport, true);
  if (mode == 2) pn_transport_require_encryption(d.transport, true);
  pn_condition_t *tc = pn_transport_condition(d.transport);
  if (mode == 3 || mode == 4) pn_condition_set_name(tc, "x:pre");
  if (mode == 3 || mode == 5) pn_condition_set_description(tc, "earlier");
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(&d))) printf(" event %s\n", pn_event_type_name(pn_event_type(e)));
  if (n) {
    pn_rwbytes_t rb = pn_connection_driver_read_buffer(&d);
    memcpy(rb.start, in, n);
    pn_connection_driver_read_done(&d, n);
  }
  if (close_tail) pn_connection_driver_read_close(&d);
  while ((e = pn_connection_driver_next_event(&d))) printf(" event %s\n", pn_event_type_name(pn_event_type(e)));
  pn_bytes_t wb = pn_connection_driver_write_buffer(&d);
  printf(" write %zu\n", wb.size);
  cond(" transport condition", tc);
  pn_connection_driver_destroy(&d);
}

static void detection(void) {
  printf("== server detection\n");
  detect_case("garbage", "GARBAGE!", 8, 0, 0);
  detect_case("amqp 0-9-1", "AMQP\x00\x00\x09\x01", 8, 0, 0);
  detect_case("incomplete then close", "AM", 2, 1, 0);
  detect_case("one byte", "A", 1, 0, 0);
  detect_case("nothing then close", "", 0, 1, 0);
  detect_case("auth required", "AMQP\x00\x01\x00\x00", 8, 0, 1);
  detect_case("encryption required", "AMQP\x00\x01\x00\x00", 8, 0, 2);
  detect_case("header then close", "AMQP\x00\x01\x00\x00", 8, 1, 0);
  detect_case("error after app condition", "GARBAGE!", 8, 0, 3);
  detect_case("error after app name only", "GARBAGE!", 8, 0, 4);
  detect_case("error after app description only", "GARBAGE!", 8, 0, 5);
}

int main(void) {
  transport_io();
  headers();
  driver_errors();
  collector_api();
  iteration();
  logging();
  tracing();
  message_send();
  detection();
  return 0;
}
