/* Memory of idle connections: N pairs of connection drivers in one process,
 * each client opening a connection, a session and a sending link that the
 * server side accepts (as engine_bench.c does), pumped in memory until
 * quiet, then left idle. Prints the heap in use (mallinfo2: allocated
 * bytes, including mmapped blocks) and the resident set growth per
 * connection, a connection being one end: its driver, transport,
 * collector, connection, session and link (so a pair counts two).
 * usage: idle_memory [N] */
#include <proton/connection_driver.h>
#include <proton/connection.h>
#include <proton/session.h>
#include <proton/link.h>
#include <proton/event.h>
#include <proton/transport.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void handle(pn_connection_driver_t *d, int server) {
  pn_event_t *e;
  while ((e = pn_connection_driver_next_event(d))) {
    switch (pn_event_type(e)) {
    case PN_CONNECTION_REMOTE_OPEN: if (server) pn_connection_open(pn_event_connection(e)); break;
    case PN_SESSION_REMOTE_OPEN: if (server) pn_session_open(pn_event_session(e)); break;
    case PN_LINK_REMOTE_OPEN:
      if (server) {
        pn_link_t *l = pn_event_link(e);
        pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
        pn_link_open(l);
        pn_link_flow(l, 500);
      }
      break;
    default: break;
    }
  }
}

static size_t xfer(pn_connection_driver_t *a, pn_connection_driver_t *b) {
  pn_bytes_t wb = pn_connection_driver_write_buffer(a); if (!wb.size) return 0;
  pn_rwbytes_t rb = pn_connection_driver_read_buffer(b);
  size_t n = wb.size < rb.size ? wb.size : rb.size; if (!n) return 0;
  memcpy(rb.start, wb.start, n); pn_connection_driver_write_done(a, n); pn_connection_driver_read_done(b, n);
  return n;
}

static size_t heap_in_use(void) {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

static size_t rss(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) { if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0; fclose(f); }
  return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  pn_connection_driver_t *c = calloc(n, sizeof *c), *s = calloc(n, sizeof *s);
  if (!c || !s) return 1;
  /* Warm up: one pair made, pumped and destroyed, so one-time allocations
     (logger, tables) are not counted. */
  {
    pn_connection_driver_t a, b;
    pn_connection_driver_init(&a, NULL, NULL); pn_connection_driver_init(&b, NULL, NULL);
    pn_transport_set_server(b.transport);
    pn_connection_open(a.connection);
    for (;;) { handle(&a, 0); handle(&b, 1); if (!(xfer(&a, &b) + xfer(&b, &a))) break; }
    pn_connection_driver_destroy(&a); pn_connection_driver_destroy(&b);
  }
  malloc_trim(0);
  size_t heap0 = heap_in_use(), rss0 = rss();
  for (long i = 0; i < n; i++) {
    pn_connection_driver_init(&c[i], NULL, NULL); pn_connection_driver_init(&s[i], NULL, NULL);
    pn_transport_set_server(s[i].transport);
    pn_connection_open(c[i].connection);
    pn_session_t *ssn = pn_session(c[i].connection); pn_session_open(ssn);
    pn_link_t *l = pn_sender(ssn, "idle"); pn_terminus_set_address(pn_link_target(l), "queue"); pn_link_open(l);
    for (;;) {
      handle(&c[i], 0); handle(&s[i], 1);
      if (!(xfer(&c[i], &s[i]) + xfer(&s[i], &c[i])) && !pn_connection_driver_has_event(&c[i]) &&
          !pn_connection_driver_has_event(&s[i]))
        break;
    }
    if (!(pn_link_state(l) & PN_REMOTE_ACTIVE)) { fprintf(stderr, "link %ld not open\n", i); return 1; }
  }
  size_t heap1 = heap_in_use(), rss1 = rss();
  printf("connections=%ld heap_per_conn=%.0f rss_per_conn=%.0f\n", 2 * n,
         (double)(heap1 - heap0) / (2.0 * n), (double)(rss1 - rss0) / (2.0 * n));
  for (long i = 0; i < n; i++) { pn_connection_driver_destroy(&c[i]); pn_connection_driver_destroy(&s[i]); }
  free(c); free(s);
  return 0;
}
