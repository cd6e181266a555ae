/*
 * proactor_events: prints the events a proactor delivers, in order, for a few
 * small scenarios, so that two proactor implementations can be compared
 * (tests/examples/run.sh compares its output on library A and library B after
 * masking port numbers).
 *
 * usage: proactor_events [-a] [PHASE...]
 *   PHASE: timeout interrupt roundtrip refused inuse disconnect (default: all)
 *   -a     also print PN_TRANSPORT events (their number depends on how the
 *          I/O was split, so they are left out by default)
 *
 * Everything runs on one thread, so within one "stream" (the proactor itself,
 * a listener, the client connection, the server connection) the order of
 * events is what the proactor decided. Streams are independent of each other,
 * so each is printed separately, at the end of its phase; the facts that span
 * streams (PN_PROACTOR_INACTIVE comes after everything else, ports agree) are
 * checked here and printed as yes/no lines. A live trace of every event goes
 * to stderr.
 *
 * Uses only the public proactor API (proactor.h, listener.h, netaddr.h) and
 * the connection/transport basics; no SASL or TLS is configured (neither
 * side asks for it), so it runs on a library that has a proactor and no
 * security layers yet.
 */
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/event.h>
#include <proton/listener.h>
#include <proton/netaddr.h>
#include <proton/proactor.h>
#include <proton/transport.h>

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { S_PROACTOR, S_LISTENER, S_LISTENER2, S_CLIENT, S_SERVER, S_COUNT };
static const char *stream_name[S_COUNT] = {"proactor", "listener", "listener2", "client", "server"};

#define MAX_LINES 128
#define LINE_LEN 512
static char lines[S_COUNT][MAX_LINES][LINE_LEN];
static int nlines[S_COUNT];
static bool all_events;
static const char *phase_name = "";
static int failures;

/* Per-phase state */
static pn_proactor_t *proactor;
static pn_listener_t *listener, *listener2;
static pn_connection_t *client, *server;
static char listen_port[64];
static char client_local_port[64], server_remote_port[64];
static int event_seq;          /* global event counter in this phase */
static int last_non_inactive;  /* seq of the last event that was not INACTIVE */
static int inactive_seq;       /* seq of PN_PROACTOR_INACTIVE */
static bool client_closed, server_closed, listener_closed;
static int refused_port;

static void add(int stream, const char *fmt, ...) {
  va_list ap;
  if (nlines[stream] >= MAX_LINES) return;
  va_start(ap, fmt);
  vsnprintf(lines[stream][nlines[stream]++], LINE_LEN, fmt, ap);
  va_end(ap);
}

static void fact(const char *what, bool ok) {
  printf("  check: %s: %s\n", what, ok ? "yes" : "NO");
  if (!ok) ++failures;
}

static void on_alarm(int sig) {
  static const char msg[] = "proactor_events: HANG (no PN_PROACTOR_INACTIVE within 20s)\n";
  (void)sig;
  if (write(2, msg, sizeof(msg) - 1) < 0) { /* nothing to do */ }
  _exit(3);
}

static int stream_of(pn_event_t *e) {
  pn_connection_t *c = pn_event_connection(e);
  pn_listener_t *l = pn_event_listener(e);
  if (c) return c == client ? S_CLIENT : c == server ? S_SERVER : S_PROACTOR;
  if (l) return l == listener2 ? S_LISTENER2 : S_LISTENER;
  return S_PROACTOR;
}

static void port_of(const pn_netaddr_t *na, char *port, size_t size) {
  char host[256];
  port[0] = '\0';
  if (na) pn_netaddr_host_port(na, host, sizeof(host), port, size);
}

/* Condition as "name: description" (the runner masks port numbers). */
static void add_condition(int stream, const char *what, pn_condition_t *cond) {
  if (cond && pn_condition_is_set(cond)) {
    add(stream, "    %s condition: %s: %s", what, pn_condition_get_name(cond),
        pn_condition_get_description(cond));
  }
}

static void *wake_thread(void *arg) {
  /* Work for a connection from another thread goes through pn_connection_wake. */
  usleep(10 * 1000);
  pn_connection_wake((pn_connection_t *)arg);
  return NULL;
}
static pthread_t waker;
static bool waker_started;

static void connect_to(const char *port) {
  char addr[PN_MAX_ADDR];
  client = pn_connection();
  pn_connection_set_container(client, "pe-client");
  pn_proactor_addr(addr, sizeof(addr), "127.0.0.1", port);
  pn_proactor_connect2(proactor, client, NULL, addr);
}

/* Returns false when the phase is over (PN_PROACTOR_INACTIVE). */
static bool handle(pn_event_t *e) {
  pn_event_type_t type = pn_event_type(e);
  int stream = stream_of(e);
  const char *name = pn_event_type_name(type);
  ++event_seq;
  fprintf(stderr, "[%s] %s %s\n", phase_name, stream_name[stream], name);
  if (type == PN_PROACTOR_INACTIVE) inactive_seq = event_seq;
  else last_non_inactive = event_seq;
  if (type != PN_TRANSPORT || all_events) add(stream, "  %s", name);

  switch (type) {
  case PN_LISTENER_OPEN: {
    pn_listener_t *l = pn_event_listener(e);
    char port[64];
    port_of(pn_listener_addr(l), port, sizeof(port));
    add(stream, "    listening port %s", port);
    if (l == listener) {
      strcpy(listen_port, port);
      if (!strcmp(phase_name, "roundtrip") || !strcmp(phase_name, "disconnect")) {
        connect_to(port);
      } else if (!strcmp(phase_name, "refused")) {
        refused_port = atoi(port);
        pn_listener_close(l);    /* the port is free again once closed */
      } else if (!strcmp(phase_name, "inuse")) {
        char addr[PN_MAX_ADDR];
        listener2 = pn_listener();
        pn_proactor_addr(addr, sizeof(addr), "127.0.0.1", port);
        pn_proactor_listen(proactor, listener2, addr, 16);
      }
    }
    break;
  }
  case PN_LISTENER_ACCEPT:
    server = pn_connection();
    pn_connection_set_container(server, "pe-server");
    pn_listener_accept2(pn_event_listener(e), server, NULL);
    break;

  case PN_LISTENER_CLOSE: {
    pn_listener_t *l = pn_event_listener(e);
    add_condition(stream, "listener", pn_listener_condition(l));
    if (l == listener) listener_closed = true;
    if (l == listener2 && listener) pn_listener_close(listener);
    if (l == listener && !strcmp(phase_name, "refused")) {
      char p[32];
      snprintf(p, sizeof(p), "%d", refused_port);
      connect_to(p);
    }
    break;
  }
  case PN_CONNECTION_INIT:
    if (stream == S_CLIENT) pn_connection_open(pn_event_connection(e));
    break;

  case PN_CONNECTION_REMOTE_OPEN: {
    pn_connection_t *c = pn_event_connection(e);
    pn_transport_t *t = pn_event_transport(e);
    char lport[64], rport[64];
    port_of(pn_transport_local_addr(t), lport, sizeof(lport));
    port_of(pn_transport_remote_addr(t), rport, sizeof(rport));
    add(stream, "    remote container %s", pn_connection_remote_container(c));
    if (stream == S_SERVER) {
      pn_connection_open(c);
      strcpy(server_remote_port, rport);
      add(stream, "    local port is the listening port: %s", strcmp(lport, listen_port) ? "NO" : "yes");
    } else if (stream == S_CLIENT) {
      strcpy(client_local_port, lport);
      add(stream, "    remote port is the listening port: %s", strcmp(rport, listen_port) ? "NO" : "yes");
      if (!strcmp(phase_name, "roundtrip")) {
        pthread_create(&waker, NULL, wake_thread, c);
        waker_started = true;
      } else if (!strcmp(phase_name, "disconnect")) {
        pn_condition_t *cond = pn_condition();
        pn_condition_set_name(cond, "test:disconnect");
        pn_condition_set_description(cond, "proactor disconnected");
        pn_proactor_disconnect(proactor, cond);
        pn_condition_free(cond);
      }
    }
    break;
  }
  case PN_CONNECTION_WAKE:
    if (stream == S_CLIENT) pn_connection_close(pn_event_connection(e));
    break;

  case PN_CONNECTION_REMOTE_CLOSE: {
    pn_connection_t *c = pn_event_connection(e);
    add_condition(stream, "remote", pn_connection_remote_condition(c));
    pn_connection_close(c);
    break;
  }
  case PN_TRANSPORT_ERROR:
    add_condition(stream, "transport", pn_transport_condition(pn_event_transport(e)));
    break;

  case PN_TRANSPORT_CLOSED:
    add_condition(stream, "transport", pn_transport_condition(pn_event_transport(e)));
    if (stream == S_CLIENT) client_closed = true;
    if (stream == S_SERVER) {
      server_closed = true;
      if (!strcmp(phase_name, "roundtrip") && listener) pn_listener_close(listener);
    }
    break;

  case PN_PROACTOR_INACTIVE:
    return false;

  default:
    break;
  }
  return true;
}

static void run_phase(const char *name) {
  int i, j;
  pn_event_batch_t *batch;
  bool going = true;

  phase_name = name;
  memset(nlines, 0, sizeof(nlines));
  listener = listener2 = NULL;
  client = server = NULL;
  listen_port[0] = client_local_port[0] = server_remote_port[0] = '\0';
  event_seq = last_non_inactive = inactive_seq = 0;
  client_closed = server_closed = listener_closed = false;
  waker_started = false;

  proactor = pn_proactor();
  printf("== %s\n", name);

  if (!strcmp(name, "timeout")) {
    pn_proactor_set_timeout(proactor, 20);
  } else if (!strcmp(name, "interrupt")) {
    /* An interrupt is delivered once, as its own event, before the timeout
       that keeps the proactor active. */
    pn_proactor_set_timeout(proactor, 200);
    pn_proactor_interrupt(proactor);
  } else {
    char addr[PN_MAX_ADDR];
    listener = pn_listener();
    pn_proactor_addr(addr, sizeof(addr), "127.0.0.1", "0");
    pn_proactor_listen(proactor, listener, addr, 16);
  }

  alarm(20);
  while (going) {
    pn_event_t *e;
    batch = pn_proactor_wait(proactor);
    while (going && (e = pn_event_batch_next(batch))) {
      going = handle(e);
    }
    pn_proactor_done(proactor, batch);
  }
  alarm(0);
  if (waker_started) pthread_join(waker, NULL);

  for (i = 0; i < S_COUNT; ++i) {
    if (!nlines[i]) continue;
    printf("%s:\n", stream_name[i]);
    for (j = 0; j < nlines[i]; ++j) printf("%s\n", lines[i][j]);
  }
  fact("PN_PROACTOR_INACTIVE is the last event", inactive_seq == event_seq && inactive_seq > last_non_inactive);
  /* After INACTIVE there is nothing left: a non-blocking get finds no batch. */
  batch = pn_proactor_get(proactor);
  fact("nothing to get after PN_PROACTOR_INACTIVE", batch == NULL);
  if (batch) pn_proactor_done(proactor, batch);
  if (client) fact("client transport closed before PN_PROACTOR_INACTIVE", client_closed);
  if (server) fact("server transport closed before PN_PROACTOR_INACTIVE", server_closed);
  if (listener) fact("listener closed before PN_PROACTOR_INACTIVE", listener_closed);
  if (client && server)
    fact("client local port is the server's remote port",
         client_local_port[0] && !strcmp(client_local_port, server_remote_port));
  pn_proactor_free(proactor);
  fflush(stdout);
}

int main(int argc, char **argv) {
  static const char *all[] = {"timeout", "interrupt", "roundtrip", "refused", "inuse", "disconnect"};
  int i, n = 0;
  signal(SIGALRM, on_alarm);
  for (i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "-a")) { all_events = true; continue; }
    run_phase(argv[i]);
    ++n;
  }
  if (!n) {
    for (i = 0; i < (int)(sizeof(all) / sizeof(all[0])); ++i) run_phase(all[i]);
  }
  printf("%s\n", failures ? "FAILED" : "done");
  return failures ? 1 : 0;
}
