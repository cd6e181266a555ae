/* Engine scenarios: two connection drivers (a client and a server) wired
 * together in memory. Every event is printed with the state of the object
 * it names, every write with its bytes in hex, and the transports trace
 * their frames to stderr. The output must be the same on proton-c and
 * proton-rs.
 *
 * usage: engine SCENARIO   (see the table at the end) */
#include <proton/codec.h>
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/delivery.h>
#include <proton/disposition.h>
#include <proton/event.h>
#include <proton/link.h>
#include <proton/object.h>
#include <proton/session.h>
#include <proton/terminus.h>
#include <proton/transport.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

typedef struct peer_t {
  const char *name;
  pn_connection_driver_t d;
  /* Behaviour when reacting to events. */
  int open_on_remote;      /* open endpoints the peer opened */
  int close_on_remote;     /* close endpoints the peer closed */
  int credit;              /* credit given by receivers when they open */
  uint64_t outcome;        /* receivers: outcome of complete deliveries (0: none) */
  int settle;              /* receivers: settle after the outcome */
  int settle_on_update;    /* senders: settle when the peer updates */
  int send_count;          /* senders: messages to send when credit comes */
  size_t send_size;        /* bytes per message */
  int sent;
  int max_chunk;           /* pump at most this many bytes per write (0: all) */
  int quiet;               /* do not print the bytes of writes */
} peer_t;

static peer_t client, server;
static pn_timestamp_t now = 1000;

static const char *state_str(pn_state_t s) {
  static char buf[8];
  buf[0] = (s & PN_LOCAL_UNINIT) ? 'u' : (s & PN_LOCAL_ACTIVE) ? 'a' : (s & PN_LOCAL_CLOSED) ? 'c' : '?';
  buf[1] = (s & PN_REMOTE_UNINIT) ? 'u' : (s & PN_REMOTE_ACTIVE) ? 'a' : (s & PN_REMOTE_CLOSED) ? 'c' : '?';
  buf[2] = 0;
  return buf;
}

static void print_cond(const char *label, pn_condition_t *c) {
  if (c && pn_condition_is_set(c)) {
    printf(" %s=(%s, %s", label, pn_condition_get_name(c), pn_condition_get_description(c) ? pn_condition_get_description(c) : "null");
    pn_data_t *info = pn_condition_info(c);
    if (info && pn_data_size(info)) {
      pn_string_t *s = pn_string("");
      pn_inspect(info, s);
      printf(", %s", pn_string_get(s));
      pn_free(s);
    }
    printf(")");
  }
}

static void print_data(const char *label, pn_data_t *d) {
  if (d && pn_data_size(d)) {
    pn_string_t *s = pn_string("");
    pn_inspect(d, s);
    printf(" %s=%s", label, pn_string_get(s));
    pn_free(s);
  }
}

static void print_disposition(const char *label, pn_disposition_t *disp) {
  uint64_t t = pn_disposition_type(disp);
  printf(" %s=%s", label, t ? pn_disposition_type_name(t) : "none");
  if (t == PN_RECEIVED) printf("(%u,%llu)", pn_disposition_get_section_number(disp), (unsigned long long)pn_disposition_get_section_offset(disp));
  if (t == PN_MODIFIED) printf("(failed=%d,undeliverable=%d)", pn_disposition_is_failed(disp), pn_disposition_is_undeliverable(disp));
  print_cond("cond", pn_disposition_condition(disp));
  print_data("annotations", pn_disposition_annotations(disp));
  print_data("data", pn_disposition_data(disp));
}

static void print_terminus(const char *label, pn_terminus_t *t) {
  if (!pn_terminus_get_type(t)) return;
  printf(" %s={type=%d addr=%s dur=%d exp=%d timeout=%u dyn=%d dist=%d", label, pn_terminus_get_type(t),
         pn_terminus_get_address(t) ? pn_terminus_get_address(t) : "null", pn_terminus_get_durability(t),
         pn_terminus_get_expiry_policy(t), pn_terminus_get_timeout(t), pn_terminus_is_dynamic(t),
         pn_terminus_get_distribution_mode(t));
  print_data("props", pn_terminus_properties(t));
  print_data("caps", pn_terminus_capabilities(t));
  print_data("outcomes", pn_terminus_outcomes(t));
  print_data("filter", pn_terminus_filter(t));
  printf("}");
}

static void print_link(pn_link_t *l) {
  printf(" link=%s(%s) %s credit=%d queued=%d avail=%d unsettled=%d drain=%d", pn_link_name(l),
         pn_link_is_sender(l) ? "snd" : "rcv", state_str(pn_link_state(l)), pn_link_credit(l), pn_link_queued(l),
         pn_link_available(l), pn_link_unsettled(l), pn_link_get_drain(l));
}

static void print_event(peer_t *p, pn_event_t *e) {
  pn_event_type_t t = pn_event_type(e);
  printf("%s %s", p->name, pn_event_type_name(t));
  pn_delivery_t *dlv = pn_event_delivery(e);
  pn_link_t *l = pn_event_link(e);
  pn_session_t *s = pn_event_session(e);
  pn_connection_t *c = pn_event_connection(e);
  if (dlv) {
    pn_delivery_tag_t tag = pn_delivery_tag(dlv);
    printf(" dlv=%.*s", (int)tag.size, tag.start);
    printf(" settled=%d updated=%d partial=%d aborted=%d pending=%zu readable=%d writable=%d", pn_delivery_settled(dlv),
           pn_delivery_updated(dlv), pn_delivery_partial(dlv), pn_delivery_aborted(dlv), pn_delivery_pending(dlv),
           pn_delivery_readable(dlv), pn_delivery_writable(dlv));
    print_disposition("remote", pn_delivery_remote(dlv));
    print_link(l);
  } else if (l) {
    print_link(l);
    if (t == PN_LINK_REMOTE_OPEN) {
      print_terminus("rsrc", pn_link_remote_source(l));
      print_terminus("rtgt", pn_link_remote_target(l));
      printf(" rsnd=%d rrcv=%d rmax=%llu", pn_link_remote_snd_settle_mode(l), pn_link_remote_rcv_settle_mode(l),
             (unsigned long long)pn_link_remote_max_message_size(l));
      print_data("rprops", pn_link_remote_properties(l));
    }
    print_cond("rcond", pn_link_remote_condition(l));
  } else if (s) {
    printf(" ssn %s in=%zu out=%zu", state_str(pn_session_state(s)), pn_session_incoming_bytes(s), pn_session_outgoing_bytes(s));
    print_cond("rcond", pn_session_remote_condition(s));
  } else if (c && t != PN_TRANSPORT && t != PN_TRANSPORT_ERROR && t != PN_TRANSPORT_CLOSED &&
             t != PN_TRANSPORT_HEAD_CLOSED && t != PN_TRANSPORT_TAIL_CLOSED) {
    printf(" conn %s", state_str(pn_connection_state(c)));
    if (t == PN_CONNECTION_REMOTE_OPEN) {
      const char *rc = pn_connection_remote_container(c), *rh = pn_connection_remote_hostname(c);
      printf(" rcontainer=%s rhost=%s", rc ? rc : "null", rh ? rh : "null");
      print_data("roffered", pn_connection_remote_offered_capabilities(c));
      print_data("rdesired", pn_connection_remote_desired_capabilities(c));
      print_data("rprops", pn_connection_remote_properties(c));
      pn_transport_t *tr = pn_event_transport(e);
      printf(" rmaxframe=%u rchmax=%u ridle=%u chmax=%u", pn_transport_get_remote_max_frame(tr),
             pn_transport_remote_channel_max(tr), pn_transport_get_remote_idle_timeout(tr), pn_transport_get_channel_max(tr));
    }
    print_cond("rcond", pn_connection_remote_condition(c));
  }
  if (t == PN_TRANSPORT_ERROR || t == PN_TRANSPORT_CLOSED) print_cond("tcond", pn_transport_condition(pn_event_transport(e)));
  printf("\n");
}

static void send_message(peer_t *p, pn_link_t *l) {
  char tag[16];
  snprintf(tag, sizeof tag, "m%d", p->sent++);
  pn_delivery_t *d = pn_delivery(l, pn_dtag(tag, strlen(tag)));
  char *body = malloc(p->send_size + 1);
  for (size_t i = 0; i < p->send_size; i++) body[i] = 'a' + (char)((i + p->sent) % 26);
  pn_link_send(l, body, p->send_size);
  free(body);
  if (pn_link_snd_settle_mode(l) == PN_SND_SETTLED) pn_delivery_settle(d);
  pn_link_advance(l);
  (void)d;
}

static void react(peer_t *p, pn_event_t *e) {
  pn_event_type_t t = pn_event_type(e);
  switch (t) {
  case PN_CONNECTION_REMOTE_OPEN:
    if (p->open_on_remote && (pn_connection_state(pn_event_connection(e)) & PN_LOCAL_UNINIT)) pn_connection_open(pn_event_connection(e));
    break;
  case PN_SESSION_REMOTE_OPEN:
    if (p->open_on_remote && (pn_session_state(pn_event_session(e)) & PN_LOCAL_UNINIT)) pn_session_open(pn_event_session(e));
    break;
  case PN_LINK_REMOTE_OPEN: {
    pn_link_t *l = pn_event_link(e);
    if (p->open_on_remote && (pn_link_state(l) & PN_LOCAL_UNINIT)) {
      pn_terminus_copy(pn_link_source(l), pn_link_remote_source(l));
      pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
      pn_link_set_snd_settle_mode(l, pn_link_remote_snd_settle_mode(l));
      pn_link_set_rcv_settle_mode(l, pn_link_remote_rcv_settle_mode(l));
      pn_link_open(l);
    }
    if (pn_link_is_receiver(l) && p->credit && pn_link_credit(l) == 0) pn_link_flow(l, p->credit);
    break;
  }
  case PN_LINK_FLOW: {
    pn_link_t *l = pn_event_link(e);
    while (pn_link_is_sender(l) && pn_link_credit(l) > 0 && p->sent < p->send_count) send_message(p, l);
    break;
  }
  case PN_DELIVERY: {
    pn_delivery_t *d = pn_event_delivery(e);
    pn_link_t *l = pn_delivery_link(d);
    if (pn_link_is_receiver(l)) {
      if (pn_delivery_readable(d) && !pn_delivery_partial(d)) {
        char buf[256];
        ssize_t n, total = 0;
        while ((n = pn_link_recv(l, buf, sizeof buf)) > 0) total += n;
        printf("%s   recv %zd bytes (last %zd)\n", p->name, total, n);
        pn_link_advance(l);
        if (p->outcome) {
          if (p->outcome == PN_REJECTED) {
            pn_condition_t *c = pn_disposition_condition(pn_delivery_local(d));
            pn_condition_set_name(c, "amqp:internal-error");
            pn_condition_set_description(c, "no thanks");
          } else if (p->outcome == PN_MODIFIED) {
            pn_disposition_set_failed(pn_delivery_local(d), true);
            pn_disposition_set_undeliverable(pn_delivery_local(d), true);
            pn_data_t *a = pn_disposition_annotations(pn_delivery_local(d));
            pn_data_put_map(a);
            pn_data_enter(a);
            pn_data_put_symbol(a, pn_bytes(3, "key"));
            pn_data_put_string(a, pn_bytes(5, "value"));
            pn_data_exit(a);
          } else if (p->outcome == PN_RECEIVED) {
            pn_disposition_set_section_number(pn_delivery_local(d), 3);
            pn_disposition_set_section_offset(pn_delivery_local(d), 77);
          } else if (p->outcome > PN_MODIFIED) {
            pn_data_t *x = pn_disposition_data(pn_delivery_local(d));
            pn_data_put_list(x);
            pn_data_enter(x);
            pn_data_put_binary(x, pn_bytes(3, "txn"));
            pn_data_exit(x);
          }
          pn_delivery_update(d, p->outcome);
        }
        if (p->settle) pn_delivery_settle(d);
      } else if (pn_delivery_aborted(d)) {
        char buf[8];
        printf("%s   recv aborted: %zd\n", p->name, pn_link_recv(l, buf, sizeof buf));
        pn_delivery_settle(d);
      }
    } else if (pn_delivery_updated(d)) {
      if (p->settle_on_update) pn_delivery_settle(d);
    }
    break;
  }
  case PN_LINK_REMOTE_CLOSE:
    if (p->close_on_remote && !(pn_link_state(pn_event_link(e)) & PN_LOCAL_CLOSED)) pn_link_close(pn_event_link(e));
    break;
  case PN_LINK_REMOTE_DETACH:
    if (p->close_on_remote) pn_link_detach(pn_event_link(e));
    break;
  case PN_SESSION_REMOTE_CLOSE:
    if (p->close_on_remote && !(pn_session_state(pn_event_session(e)) & PN_LOCAL_CLOSED)) pn_session_close(pn_event_session(e));
    break;
  case PN_CONNECTION_REMOTE_CLOSE:
    if (p->close_on_remote && !(pn_connection_state(pn_event_connection(e)) & PN_LOCAL_CLOSED)) pn_connection_close(pn_event_connection(e));
    break;
  default:
    break;
  }
}

static int handle(peer_t *p) {
  int n = 0;
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(&p->d))) {
    print_event(p, e);
    react(p, e);
    n++;
  }
  return n;
}

/* Move bytes from a to b; returns the bytes moved. */
static size_t transfer(peer_t *a, peer_t *b) {
  pn_bytes_t wb = pn_connection_driver_write_buffer(&a->d);
  if (!wb.size) return 0;
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(&b->d);
  size_t n = wb.size < rb.size ? wb.size : rb.size;
  if (a->max_chunk && n > (size_t)a->max_chunk) n = a->max_chunk;
  if (!n) return 0;
  printf("%s -> %zu bytes", a->name, n);
  if (!a->quiet) {
    printf(": ");
    print_hex(stdout, wb.start, n);
  }
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
  printf("client finished=%d server finished=%d\n", pn_connection_driver_finished(&client.d), pn_connection_driver_finished(&server.d));
  pn_connection_driver_destroy(&client.d);
  pn_connection_driver_destroy(&server.d);
}

static void setup(void) {
  memset(&client, 0, sizeof client);
  memset(&server, 0, sizeof server);
  client.name = "C";
  server.name = "S";
  pn_connection_driver_init(&client.d, NULL, NULL);
  pn_connection_driver_init(&server.d, NULL, NULL);
  pn_transport_set_server(server.d.transport);
  pn_transport_trace(client.d.transport, PN_TRACE_FRM);
  pn_transport_trace(server.d.transport, PN_TRACE_FRM);
  pn_connection_set_container(client.d.connection, "client");
  pn_connection_set_container(server.d.connection, "server");
  server.open_on_remote = server.close_on_remote = 1;
  client.close_on_remote = 1;
}

static pn_link_t *open_link(int sender, const char *name, const char *addr) {
  pn_session_t *ssn = pn_session(client.d.connection);
  pn_session_open(ssn);
  pn_link_t *l = sender ? pn_sender(ssn, name) : pn_receiver(ssn, name);
  pn_terminus_set_address(sender ? pn_link_target(l) : pn_link_source(l), addr);
  return l;
}

static void close_all(void) {
  pn_connection_close(client.d.connection);
  run();
}

/* ------------------------------------------------------------------ */

static void basic(void) {
  setup();
  server.credit = 10;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 3;
  client.send_size = 10;
  client.settle_on_update = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "sender", "queue");
  pn_link_open(l);
  run();
  pn_link_close(l);
  pn_session_close(pn_link_session(l));
  close_all();
  finish();
}

static void conditions(void) {
  setup();
  pn_connection_set_hostname(client.d.connection, "example.com");
  pn_data_t *p = pn_connection_properties(client.d.connection);
  pn_data_put_map(p);
  pn_data_enter(p);
  pn_data_put_symbol(p, pn_bytes(7, "product"));
  pn_data_put_string(p, pn_bytes(4, "test"));
  pn_data_exit(p);
  pn_data_t *oc = pn_connection_offered_capabilities(client.d.connection);
  pn_data_put_array(oc, false, PN_SYMBOL);
  pn_data_enter(oc);
  pn_data_put_symbol(oc, pn_bytes(3, "cap"));
  pn_data_exit(oc);
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(0, "recv", "src");
  pn_link_open(l);
  run();
  pn_condition_t *lc = pn_link_condition(l);
  pn_condition_set_name(lc, "amqp:link:detach-forced");
  pn_condition_set_description(lc, "bye link");
  pn_data_t *info = pn_condition_info(lc);
  pn_data_put_map(info);
  pn_data_enter(info);
  pn_data_put_symbol(info, pn_bytes(1, "x"));
  pn_data_put_int(info, 42);
  pn_data_exit(info);
  pn_link_close(l);
  run();
  pn_session_t *s = pn_link_session(l);
  pn_condition_set_name(pn_session_condition(s), "amqp:session:unattached-handle");
  pn_session_close(s);
  run();
  pn_condition_set_name(pn_connection_condition(client.d.connection), "amqp:connection:forced");
  pn_condition_set_description(pn_connection_condition(client.d.connection), "shutting down");
  close_all();
  finish();
}

static void settle_modes(void) {
  setup();
  server.credit = 5;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 2;
  client.send_size = 4;
  client.settle_on_update = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "presettled", "q");
  pn_link_set_snd_settle_mode(l, PN_SND_SETTLED);
  pn_link_open(l);
  run();
  pn_link_t *l2 = pn_sender(pn_link_session(l), "second");
  pn_link_set_snd_settle_mode(l2, PN_SND_UNSETTLED);
  pn_link_set_rcv_settle_mode(l2, PN_RCV_SECOND);
  pn_terminus_set_address(pn_link_target(l2), "q2");
  client.sent = 0;
  pn_link_open(l2);
  run();
  close_all();
  finish();
}

static void outcome(uint64_t o, int settle) {
  setup();
  server.credit = 2;
  server.outcome = o;
  server.settle = settle;
  client.send_count = 2;
  client.send_size = 3;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "out", "q");
  pn_link_open(l);
  run();
  for (pn_delivery_t *d = pn_unsettled_head(l); d; d = pn_unsettled_next(d)) {
    pn_delivery_tag_t tag = pn_delivery_tag(d);
    printf("unsettled %.*s remote=%s settled=%d\n", (int)tag.size, tag.start, pn_disposition_type_name(pn_delivery_remote_state(d)), pn_delivery_settled(d));
  }
  close_all();
  finish();
}

static void outcomes(void) {
  outcome(PN_ACCEPTED, 1);
  outcome(PN_REJECTED, 1);
  outcome(PN_RELEASED, 0);
  outcome(PN_MODIFIED, 1);
  outcome(PN_RECEIVED, 0);
  outcome(0x34, 1);
}

static void multiframe(void) {
  setup();
  pn_transport_set_max_frame(server.d.transport, 512);
  server.credit = 3;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 2;
  client.send_size = 1500;
  client.settle_on_update = 1;
  client.quiet = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "big", "q");
  pn_link_open(l);
  run();
  close_all();
  finish();
}

static void abort_delivery(void) {
  setup();
  pn_transport_set_max_frame(server.d.transport, 512);
  server.credit = 3;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "ab", "q");
  pn_link_open(l);
  run();
  /* Aborted before anything was sent. */
  pn_delivery_t *d0 = pn_delivery(l, pn_dtag("a0", 2));
  pn_link_send(l, "xyz", 3);
  pn_delivery_abort(d0);
  run();
  /* Aborted after the first frames were sent. */
  char big[2000];
  memset(big, 'q', sizeof big);
  pn_delivery_t *d1 = pn_delivery(l, pn_dtag("a1", 2));
  pn_link_send(l, big, sizeof big);
  client.quiet = 1;
  handle(&client);
  transfer(&client, &server);
  handle(&server);
  pn_delivery_abort(d1);
  run();
  printf("credit after aborts: %d\n", pn_link_credit(l));
  close_all();
  finish();
}

static void drain(void) {
  setup();
  client.send_count = 2;
  client.send_size = 2;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "drainer", "q");
  pn_link_open(l);
  run();
  /* The server drains: the client sends what it has then gives back the
   * rest. */
  pn_link_t *rl = pn_link_head(server.d.connection, PN_LOCAL_ACTIVE);
  pn_link_drain(rl, 5);
  printf("draining=%d\n", pn_link_draining(rl));
  run();
  pn_link_t *sl = l;
  printf("sender drain=%d credit=%d\n", pn_link_get_drain(sl), pn_link_credit(sl));
  printf("drained on sender: %d\n", pn_link_drained(sl));
  run();
  printf("drained on receiver: %d draining=%d credit=%d\n", pn_link_drained(rl), pn_link_draining(rl), pn_link_credit(rl));
  pn_link_flow(rl, 1);
  pn_link_offered(sl, 7);
  run();
  close_all();
  finish();
}

static void refused(void) {
  setup();
  server.open_on_remote = 0;
  pn_connection_open(client.d.connection);
  run();
  pn_condition_set_name(pn_connection_condition(server.d.connection), "amqp:unauthorized-access");
  pn_condition_set_description(pn_connection_condition(server.d.connection), "go away");
  pn_connection_open(server.d.connection);
  pn_connection_close(server.d.connection);
  run();
  finish();
}

static void idle_timeout(void) {
  setup();
  pn_transport_set_idle_timeout(client.d.transport, 2000);
  pn_transport_set_idle_timeout(server.d.transport, 6000);
  pn_connection_open(client.d.connection);
  run();
  for (int i = 0; i < 8; i++) {
    now += 1000;
    printf("tick %lld: client next=%lld server next=%lld\n", (long long)now,
           (long long)pn_transport_tick(client.d.transport, now), (long long)pn_transport_tick(server.d.transport, now));
    run();
  }
  /* The server goes silent: its peer gives up. */
  for (int i = 0; i < 4; i++) {
    now += 1000;
    printf("tick %lld: client next=%lld\n", (long long)now, (long long)pn_transport_tick(client.d.transport, now));
    handle(&client);
    transfer(&client, &server);
  }
  run();
  finish();
}

static void pipelined(void) {
  setup();
  server.credit = 1;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 1;
  client.send_size = 5;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "pipe", "q");
  pn_link_open(l);
  pn_delivery_t *d = pn_delivery(l, pn_dtag("early", 5));
  pn_link_send(l, "hello", 5);
  pn_link_advance(l);
  (void)d;
  pn_link_close(l);
  pn_session_close(pn_link_session(l));
  pn_connection_close(client.d.connection);
  run();
  finish();
}

static void termini(void) {
  setup();
  pn_connection_open(client.d.connection);
  pn_session_t *ssn = pn_session(client.d.connection);
  pn_session_set_incoming_capacity(ssn, 100000);
  pn_session_set_outgoing_window(ssn, 77);
  pn_session_open(ssn);
  pn_link_t *l = pn_receiver(ssn, "full");
  pn_terminus_t *src = pn_link_source(l);
  pn_terminus_set_address(src, "topic");
  pn_terminus_set_durability(src, PN_DELIVERIES);
  pn_terminus_set_expiry_policy(src, PN_EXPIRE_NEVER);
  pn_terminus_set_timeout(src, 30);
  pn_terminus_set_distribution_mode(src, PN_DIST_MODE_MOVE);
  pn_data_t *f = pn_terminus_filter(src);
  pn_data_put_map(f);
  pn_data_enter(f);
  pn_data_put_symbol(f, pn_bytes(8, "selector"));
  pn_data_put_described(f);
  pn_data_enter(f);
  pn_data_put_ulong(f, 0x468C00000004ULL);
  pn_data_put_string(f, pn_bytes(6, "a = 1"));
  pn_data_exit(f);
  pn_data_exit(f);
  pn_data_t *o = pn_terminus_outcomes(src);
  pn_data_put_array(o, false, PN_SYMBOL);
  pn_data_enter(o);
  pn_data_put_symbol(o, pn_bytes(13, "amqp:accepted"));
  pn_data_put_symbol(o, pn_bytes(13, "amqp:rejected"));
  pn_data_exit(o);
  pn_terminus_t *tgt = pn_link_target(l);
  pn_terminus_set_dynamic(tgt, true);
  pn_data_t *dp = pn_terminus_properties(tgt);
  pn_data_put_map(dp);
  pn_data_enter(dp);
  pn_data_put_symbol(dp, pn_bytes(13, "lifetime-policy"));
  pn_data_put_described(dp);
  pn_data_enter(dp);
  pn_data_put_ulong(dp, 0x2b);
  pn_data_put_list(dp);
  pn_data_exit(dp);
  pn_data_exit(dp);
  pn_data_t *lp = pn_link_properties(l);
  pn_data_put_map(lp);
  pn_data_enter(lp);
  pn_data_put_symbol(lp, pn_bytes(2, "lp"));
  pn_data_put_long(lp, -7);
  pn_data_exit(lp);
  pn_link_set_max_message_size(l, 1u << 20);
  pn_link_open(l);
  pn_link_t *c = pn_sender(ssn, "coord");
  pn_terminus_set_type(pn_link_target(c), PN_COORDINATOR);
  pn_data_t *cc = pn_terminus_capabilities(pn_link_target(c));
  pn_data_put_symbol(cc, pn_bytes(18, "amqp:local-transactions"));
  pn_link_open(c);
  run();
  printf("server remote target of coord: type=%d\n", pn_terminus_get_type(pn_link_remote_target(pn_link_head(server.d.connection, PN_REMOTE_ACTIVE))));
  pn_link_detach(l);
  run();
  close_all();
  finish();
}

/* Reference counts of the objects along a connection's life. */
static void lifetimes(void) {
  setup();
  server.credit = 2;
  server.outcome = PN_ACCEPTED;
  client.send_count = 1;
  client.send_size = 3;
  pn_connection_t *c = client.d.connection;
  printf("conn rc=%d\n", pn_refcount(c));
  pn_connection_open(c);
  pn_session_t *s = pn_session(c);
  printf("after session: conn=%d ssn=%d\n", pn_refcount(c), pn_refcount(s));
  pn_link_t *l = pn_sender(s, "rc");
  printf("after link: conn=%d ssn=%d link=%d\n", pn_refcount(c), pn_refcount(s), pn_refcount(l));
  pn_incref(l);
  printf("incref link: conn=%d ssn=%d link=%d\n", pn_refcount(c), pn_refcount(s), pn_refcount(l));
  pn_session_open(s);
  pn_link_open(l);
  run();
  printf("after run: conn=%d ssn=%d link=%d transport=%d\n", pn_refcount(c), pn_refcount(s), pn_refcount(l), pn_refcount(client.d.transport));
  pn_delivery_t *d = pn_unsettled_head(l);
  printf("delivery rc=%d\n", d ? pn_refcount(d) : -1);
  if (d) {
    pn_incref(d);
    printf("incref delivery: dlv=%d link=%d\n", pn_refcount(d), pn_refcount(l));
    pn_delivery_settle(d);
    run();
    printf("settled: dlv=%d link=%d\n", pn_refcount(d), pn_refcount(l));
    pn_decref(d);
  }
  pn_link_close(l);
  pn_link_free(l);
  printf("link freed: conn=%d ssn=%d link=%d\n", pn_refcount(c), pn_refcount(s), pn_refcount(l));
  run();
  printf("after run: link=%d ssn=%d\n", pn_refcount(l), pn_refcount(s));
  pn_decref(l);
  pn_session_close(s);
  pn_session_free(s);
  printf("session freed: conn=%d\n", pn_refcount(c));
  close_all();
  printf("closed: conn=%d transport=%d\n", pn_refcount(c), pn_refcount(client.d.transport));
  pn_incref(c);
  finish();
  printf("destroyed: conn=%d\n", pn_refcount(c));
  pn_decref(c);
}

/* Closing one end while the other still has work; detach versus close. */
static void detach_close(void) {
  setup();
  server.credit = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(0, "det", "q");
  pn_link_open(l);
  run();
  pn_link_detach(l);
  run();
  pn_link_t *l2 = pn_receiver(pn_link_session(l), "det");
  pn_terminus_set_address(pn_link_source(l2), "q");
  pn_link_open(l2);
  run();
  pn_link_close(l2);
  run();
  pn_session_close(pn_link_session(l));
  pn_connection_close(client.d.connection);
  run();
  finish();
}

/* Many small messages with a window: disposition ranges are batched. */
static void batch(void) {
  setup();
  server.credit = 20;
  server.outcome = PN_ACCEPTED;
  server.settle = 0;
  client.send_count = 12;
  client.send_size = 1;
  client.settle_on_update = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "many", "q");
  pn_link_open(l);
  run();
  pn_link_t *rl = pn_link_head(server.d.connection, PN_LOCAL_ACTIVE);
  int n = 0;
  for (pn_delivery_t *d = pn_unsettled_head(rl); d;) {
    pn_delivery_t *next = pn_unsettled_next(d);
    if (n++ % 3) pn_delivery_settle(d);
    d = next;
  }
  run();
  printf("work head: %p\n", (void *)pn_work_head(client.d.connection));
  close_all();
  finish();
}

static void small_window(void) {
  setup();
  pn_transport_set_max_frame(server.d.transport, 512);
  server.credit = 10;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 4;
  client.send_size = 700;
  client.quiet = 1;
  client.settle_on_update = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "win", "q");
  pn_link_open(l);
  /* The server allows two frames' worth of input. */
  server.open_on_remote = 0;
  run();
  pn_connection_open(server.d.connection);
  pn_session_t *ss = pn_session_head(server.d.connection, 0);
  pn_session_set_incoming_capacity(ss, 1024);
  pn_session_open(ss);
  pn_link_t *rl = pn_link_head(server.d.connection, 0);
  pn_terminus_copy(pn_link_target(rl), pn_link_remote_target(rl));
  pn_link_open(rl);
  pn_link_flow(rl, 10);
  run();
  close_all();
  finish();
}

/* Raw byte tracing as well as frames, heartbeats included. */
static void raw_trace(void) {
  setup();
  pn_transport_trace(client.d.transport, PN_TRACE_FRM | PN_TRACE_RAW);
  pn_transport_trace(server.d.transport, PN_TRACE_RAW);
  pn_transport_set_idle_timeout(server.d.transport, 1000);
  server.credit = 2;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 2;
  client.send_size = 20;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "raw", "q");
  pn_link_open(l);
  run();
  now += 600;
  pn_transport_tick(client.d.transport, now);
  pn_transport_tick(server.d.transport, now);
  now += 600;
  pn_transport_tick(client.d.transport, now);
  run();
  close_all();
  finish();
}

/* Bytes moved a few at a time: frames arrive in pieces. */
static void trickle(void) {
  setup();
  server.credit = 3;
  server.outcome = PN_ACCEPTED;
  server.settle = 1;
  client.send_count = 3;
  client.send_size = 40;
  client.settle_on_update = 1;
  client.max_chunk = 7;
  server.max_chunk = 3;
  client.quiet = server.quiet = 1;
  pn_connection_open(client.d.connection);
  pn_link_t *l = open_link(1, "trickle", "q");
  pn_link_open(l);
  run();
  close_all();
  finish();
}

/* One message far larger than the transports' initial buffers, in a
 * single frame (no max-frame), and then split (small max-frame). */
static void huge(void) {
  for (int split = 0; split < 2; split++) {
    setup();
    if (split) pn_transport_set_max_frame(server.d.transport, 16384);
    server.credit = 2;
    server.outcome = PN_ACCEPTED;
    server.settle = 1;
    client.send_count = 2;
    client.send_size = 200000;
    client.settle_on_update = 1;
    client.quiet = server.quiet = 1;
    pn_connection_open(client.d.connection);
    pn_link_t *l = open_link(1, "huge", "q");
    pn_link_open(l);
    run();
    printf("capacity %zd %zd\n", pn_transport_capacity(client.d.transport), pn_transport_capacity(server.d.transport));
    close_all();
    finish();
  }
}

/* Releasing everything in the orders a garbage-collected binding may:
 * wrappers hold references to connections, sessions, links and
 * deliveries (some unsettled) and drop them in various orders. */
static void teardown_order(int order) {
  printf("-- order %d\n", order);
  setup();
  server.credit = 10;
  pn_connection_t *c = client.d.connection;
  pn_incref(c);
  pn_connection_open(c);
  pn_session_t *s = pn_session(c);
  pn_incref(s);
  pn_session_open(s);
  pn_link_t *l = pn_sender(s, "td");
  pn_incref(l);
  pn_link_open(l);
  run();
  pn_delivery_t *d[6];
  for (int i = 0; i < 6; i++) {
    char tag[4];
    snprintf(tag, sizeof tag, "%d", i);
    d[i] = pn_delivery(l, pn_dtag(tag, strlen(tag)));
    pn_incref(d[i]);
    pn_link_send(l, "x", 1);
    pn_link_advance(l);
  }
  run();
  for (int i = 0; i < 3; i++) pn_delivery_settle(d[i]);
  run();
  printf("before: c=%d s=%d l=%d d0=%d d5=%d\n", pn_refcount(c), pn_refcount(s), pn_refcount(l), pn_refcount(d[0]), pn_refcount(d[5]));
  if (order == 0) {
    finish();
    pn_decref(c);
    pn_decref(s);
    pn_decref(l);
    for (int i = 0; i < 6; i++) pn_decref(d[i]);
  } else if (order == 1) {
    for (int i = 0; i < 6; i++) pn_decref(d[i]);
    pn_decref(l);
    pn_decref(s);
    pn_decref(c);
    finish();
  } else if (order == 2) {
    pn_decref(c);
    finish();
    for (int i = 5; i >= 0; i--) pn_decref(d[i]);
    pn_decref(s);
    pn_decref(l);
  } else {
    pn_session_free(s);
    pn_decref(l);
    pn_decref(s);
    for (int i = 0; i < 6; i++) pn_decref(d[i]);
    pn_decref(c);
    finish();
  }
  printf("released\n");
}

static void teardown(void) {
  for (int o = 0; o < 4; o++) teardown_order(o);
}

int main(int argc, char **argv) {
  struct { const char *name; void (*fn)(void); } scenarios[] = {
    {"basic", basic}, {"conditions", conditions}, {"settle_modes", settle_modes}, {"outcomes", outcomes},
    {"multiframe", multiframe}, {"abort", abort_delivery}, {"drain", drain}, {"refused", refused},
    {"idle_timeout", idle_timeout}, {"pipelined", pipelined}, {"termini", termini}, {"lifetimes", lifetimes},
    {"detach_close", detach_close}, {"batch", batch}, {"small_window", small_window}, {"teardown", teardown}, {"trickle", trickle}, {"huge", huge}, {"raw_trace", raw_trace},
  };
  for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
    if (argc < 2 || !strcmp(argv[1], scenarios[i].name)) {
      printf("=== %s\n", scenarios[i].name);
      fflush(stdout);
      scenarios[i].fn();
      fflush(stdout);
    }
  }
  return 0;
}
