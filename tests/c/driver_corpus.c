/* Hostile input through a server-side connection driver, as proton's
 * connection-driver fuzzer feeds it: each file's bytes are read in as the
 * driver allows, the events are handled as a simple peer would (open what
 * the peer opens, give credit, accept deliveries, close what it closes),
 * and everything observable is printed: events with conditions, and the
 * bytes written back. The output must be the same on proton-c and
 * proton-rs; run under valgrind it must show no error or leak.
 *
 * usage: driver_corpus FILE... */
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/delivery.h>
#include <proton/event.h>
#include <proton/link.h>
#include <proton/session.h>
#include <proton/terminus.h>
#include <proton/transport.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void print_cond(const char *label, pn_condition_t *c) {
  if (c && pn_condition_is_set(c)) {
    const char *d = pn_condition_get_description(c);
    printf(" %s=(%s, %s)", label, pn_condition_get_name(c), d ? d : "null");
  }
}

static void handle(pn_connection_driver_t *d) {
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(d))) {
    pn_event_type_t t = pn_event_type(e);
    printf("  %s", pn_event_type_name(t));
    print_cond("cond", pn_event_condition(e));
    switch (t) {
    case PN_CONNECTION_REMOTE_OPEN:
      pn_connection_open(pn_event_connection(e));
      break;
    case PN_SESSION_REMOTE_OPEN:
      if (pn_session_state(pn_event_session(e)) & PN_LOCAL_UNINIT) pn_session_open(pn_event_session(e));
      break;
    case PN_LINK_REMOTE_OPEN: {
      pn_link_t *l = pn_event_link(e);
      printf(" link=%s", pn_link_name(l));
      if (pn_link_state(l) & PN_LOCAL_UNINIT) {
        pn_terminus_copy(pn_link_source(l), pn_link_remote_source(l));
        pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
        pn_link_open(l);
        if (pn_link_is_receiver(l)) pn_link_flow(l, 100);
      }
      break;
    }
    case PN_LINK_FLOW: {
      pn_link_t *l = pn_event_link(e);
      printf(" credit=%d", pn_link_credit(l));
      if (pn_link_is_sender(l) && pn_link_credit(l) > 0 && pn_link_unsettled(l) < 3) {
        pn_delivery(l, pn_dtag("x", 1));
        pn_link_send(l, "reply", 5);
        pn_link_advance(l);
      }
      break;
    }
    case PN_DELIVERY: {
      pn_delivery_t *dlv = pn_event_delivery(e);
      pn_link_t *l = pn_delivery_link(dlv);
      printf(" partial=%d pending=%zu aborted=%d remote=%llu", pn_delivery_partial(dlv), pn_delivery_pending(dlv),
             pn_delivery_aborted(dlv), (unsigned long long)pn_delivery_remote_state(dlv));
      if (pn_link_is_receiver(l) && pn_delivery_readable(dlv) && !pn_delivery_partial(dlv)) {
        char buf[1024];
        ssize_t n, total = 0;
        while ((n = pn_link_recv(l, buf, sizeof buf)) > 0) total += n;
        printf(" read=%zd", total);
        pn_link_advance(l);
        pn_delivery_update(dlv, PN_ACCEPTED);
        pn_delivery_settle(dlv);
      } else if (pn_link_is_sender(l) && pn_delivery_updated(dlv)) {
        pn_delivery_settle(dlv);
      }
      break;
    }
    case PN_LINK_REMOTE_CLOSE:
      print_cond("rcond", pn_link_remote_condition(pn_event_link(e)));
      pn_link_close(pn_event_link(e));
      break;
    case PN_LINK_REMOTE_DETACH:
      pn_link_detach(pn_event_link(e));
      break;
    case PN_SESSION_REMOTE_CLOSE:
      pn_session_close(pn_event_session(e));
      break;
    case PN_CONNECTION_REMOTE_CLOSE:
      print_cond("rcond", pn_connection_remote_condition(pn_event_connection(e)));
      pn_connection_close(pn_event_connection(e));
      break;
    default:
      break;
    }
    printf("\n");
  }
}

static void drain_output(pn_connection_driver_t *d) {
  pn_bytes_t wb;
  while ((wb = pn_connection_driver_write_buffer(d)).size) {
    printf("  write %zu: ", wb.size);
    print_hex(stdout, wb.start, wb.size > 512 ? 512 : wb.size);
    printf("%s\n", wb.size > 512 ? "..." : "");
    pn_connection_driver_write_done(d, wb.size);
    handle(d);
  }
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    size_t size = 0;
    char *data = read_file(argv[i], &size);
    const char *base = strrchr(argv[i], '/');
    printf("%s (%zu bytes)\n", base ? base + 1 : argv[i], size);
    if (!data) continue;
    pn_connection_driver_t d;
    pn_connection_driver_init(&d, NULL, NULL);
    pn_transport_set_server(d.transport);
    handle(&d);
    size_t off = 0;
    while (off < size) {
      pn_rwbytes_t rb = pn_connection_driver_read_buffer(&d);
      if (!rb.size) {
        printf("  read closed at %zu\n", off);
        break;
      }
      size_t n = size - off < rb.size ? size - off : rb.size;
      memcpy(rb.start, data + off, n);
      pn_connection_driver_read_done(&d, n);
      off += n;
      handle(&d);
      drain_output(&d);
    }
    pn_connection_driver_read_close(&d);
    handle(&d);
    drain_output(&d);
    pn_connection_driver_write_close(&d);
    handle(&d);
    print_cond("transport", pn_transport_condition(d.transport));
    printf("  finished=%d frames in=%llu out=%llu\n", pn_connection_driver_finished(&d),
           (unsigned long long)pn_transport_get_frames_input(d.transport),
           (unsigned long long)pn_transport_get_frames_output(d.transport));
    pn_connection_driver_destroy(&d);
    free(data);
  }
  return 0;
}
