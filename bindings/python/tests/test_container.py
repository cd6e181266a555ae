"""Event-driven containers: Container(handler).run(), the MessagingHandler
callbacks, timers, events injected from another thread, listening for
direct peer-to-peer connections, senders and receivers with and without an
explicit connection, dynamic receivers, and link options as they appear on
the wire."""
import socket
import threading
import time

from proton import Described, Link, Message, Terminus, symbol
from proton.handlers import EndpointStateHandler, MessagingHandler
from proton.reactor import (ApplicationEvent, AtLeastOnce, AtMostOnce, Container, Copy,
                            DurableSubscription, EventInjector, Move, Selector)

from util import TIMEOUT, Recorder, ServerThread, data_value, free_port, run


class _Expire:
    """Timer handler: ends a run() that takes too long."""

    def __init__(self, owner):
        self.owner = owner

    def on_timer_task(self, event):
        self.owner.expired = True
        event.container.stop()


def test_run_dispatches_callbacks_in_order(broker):
    """A plain Container(handler).run(): connection, links, one message sent
    and received, links and connection closed; run() returns by itself."""

    class Handler(Recorder):
        expired = False

        def on_start(self, event):
            self.note("start", event.container is container)
            self.watchdog = event.container.schedule(TIMEOUT, _Expire(self))
            self.conn = event.container.connect(broker.url)
            self.sender = event.container.create_sender(self.conn, "q1")
            self.receiver = event.container.create_receiver(self.conn, "q1")
            self.sent = False

        def on_connection_opened(self, event):
            self.note("connection_opened")

        def on_link_opened(self, event):
            self.note("link_opened", "sender" if event.link.is_sender else "receiver")

        def on_sendable(self, event):
            self.note("sendable")
            if not self.sent:
                self.sent = True
                event.sender.send(Message(body="hello", subject="greeting"))

        def on_accepted(self, event):
            self.note("accepted")

        def on_settled(self, event):
            self.note("settled")
            self.maybe_finish()

        def on_message(self, event):
            self.note("message", event.message.body, event.message.subject)
            self.maybe_finish()

        def maybe_finish(self):
            if "settled" in self.names() and "message" in self.names():
                self.sender.close()
                self.receiver.close()

        def on_link_closed(self, event):
            self.note("link_closed")
            if "link_closed" in self.names()[:-1]:
                self.conn.close()

        def on_connection_closed(self, event):
            self.note("connection_closed")
            self.watchdog.cancel()

        def on_disconnected(self, event):
            self.note("disconnected")

    h = Handler()
    container = Container(h)
    t0 = time.time()
    container.run()
    assert not h.expired, h.describe()
    assert time.time() - t0 < TIMEOUT
    names = h.names()
    assert h.events[0] == ("start", True)
    assert names.count("connection_opened") == 1
    assert sorted(e[1] for e in h.events if e[0] == "link_opened") == ["receiver", "sender"]
    assert ("message", "hello", "greeting") in h.events
    assert names.count("accepted") == 1 and names.count("settled") == 1
    assert names.count("link_closed") == 2
    assert names[-1] == "connection_closed"
    assert "disconnected" not in names

    def first(n):
        return names.index(n)
    assert first("start") < first("connection_opened") < first("link_opened")
    assert first("link_opened") < first("sendable") < first("accepted") < first("settled")
    assert first("message") < first("link_closed")
    # the broker saw both links, with the address given
    assert {(link["role"], link["address"]) for link in broker.handler.links} == \
        {("receiver", "q1"), ("sender", "q1")}


def test_scheduled_timers_fire_in_deadline_order(broker):
    """container.schedule: tasks fire after their delay, earliest deadline
    first; a cancelled task never fires; a task can reschedule itself and
    drive sending."""

    class Tick:
        def __init__(self, owner, name):
            self.owner, self.name = owner, name

        def on_timer_task(self, event):
            self.owner.fired.append((self.name, time.time() - self.owner.t0))

    class Repeat:
        def __init__(self, owner):
            self.owner = owner

        def on_timer_task(self, event):
            o = self.owner
            o.sender.send(Message(body="tick-%d" % o.ticks))
            o.ticks += 1
            if o.ticks < 5:
                event.container.schedule(0.05, self)

    class Handler(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.fired, self.ticks, self.got = [], 0, []

        def on_start(self, event):
            self.t0 = time.time()
            c = event.container
            c.schedule(0.3, Tick(self, "c"))
            c.schedule(0.1, Tick(self, "a"))
            c.schedule(0.2, Tick(self, "b"))
            c.schedule(0.15, Tick(self, "cancelled")).cancel()
            self.conn = c.connect(broker.url)
            self.sender = c.create_sender(self.conn, "ticks")
            c.create_receiver(self.conn, "ticks")
            c.schedule(0.0, Repeat(self))

        def on_message(self, event):
            self.got.append(event.message.body)
            if len(self.got) == 5:
                self.conn.close()

    h = Handler()
    run(h)
    assert [n for n, _ in h.fired] == ["a", "b", "c"]
    for (name, elapsed), delay in zip(h.fired, (0.1, 0.2, 0.3)):
        assert elapsed >= delay - 0.01, (name, elapsed)
    assert h.got == ["tick-%d" % i for i in range(5)]


def test_event_injector_delivers_application_events_on_the_container_thread(broker):
    """EventInjector.trigger from another thread: each ApplicationEvent is
    dispatched as on_<type> on the container's thread, in order, carrying
    its subject and engine objects; closing the injector lets run() end."""
    injector = EventInjector()
    main_thread = threading.get_ident()

    def feeder():
        for i in range(5):
            injector.trigger(ApplicationEvent("feed", subject=i))
            time.sleep(0.01)
        injector.trigger(ApplicationEvent("fed"))

    class Handler(Recorder):
        def on_start(self, event):
            event.container.selectable(injector)
            self.conn = event.container.connect(broker.url)
            self.sender = event.container.create_sender(self.conn, "injected")
            event.container.create_receiver(self.conn, "injected")
            self.thread = threading.Thread(target=feeder)
            self.got = []

        def on_link_opened(self, event):
            if event.link.is_sender:
                self.thread.start()
                # an event about an engine object, injected from this thread
                injector.trigger(ApplicationEvent("about_link", link=event.link))

        def on_about_link(self, event):
            self.note("about_link", event.link is not None and event.link.name == self.sender.name,
                      event.connection is not None)

        def on_feed(self, event):
            self.note("feed", event.subject, threading.get_ident() == main_thread)
            self.sender.send(Message(body=event.subject))

        def on_fed(self, event):
            self.note("fed")
            self.maybe_done()

        def on_message(self, event):
            self.got.append(event.message.body)
            self.maybe_done()

        def maybe_done(self):
            if len(self.got) == 5 and "fed" in self.names():
                injector.close()
                self.conn.close()

    h = Handler()
    run(h)
    h.thread.join(5)
    assert ("about_link", True, True) in h.events
    feeds = [e for e in h.events if e[0] == "feed"]
    assert feeds == [("feed", i, True) for i in range(5)]
    assert "fed" in h.names()
    assert h.got == list(range(5))


class DirectReceiver(MessagingHandler):
    """A peer that accepts connections and receives messages itself."""

    def __init__(self):
        super().__init__()
        self.messages, self.targets, self.containers = [], [], []

    def on_connection_opening(self, event):
        self.containers.append(event.connection.remote_container)

    def on_link_opening(self, event):
        if event.link.is_receiver:
            self.targets.append(event.link.remote_target.address)
            event.link.target.address = event.link.remote_target.address

    def on_message(self, event):
        self.messages.append(event.message.body)


class DirectSender(MessagingHandler):
    """A peer that accepts connections and sends `count` messages on each
    receiving link attached to it."""

    def __init__(self, count):
        super().__init__()
        self.count, self.accepted, self.sources = count, 0, []

    def on_link_opening(self, event):
        if event.link.is_sender:
            self.sources.append(event.link.remote_source.address)
            event.link.source.address = event.link.remote_source.address
            event.link._sent = 0

    def on_sendable(self, event):
        s = event.sender
        while s.credit and s._sent < self.count:
            s.send(Message(body="direct-%d" % s._sent))
            s._sent += 1

    def on_accepted(self, event):
        self.accepted += 1


def test_listen_peer_to_peer_create_sender_from_url():
    """container.listen on one side, create_sender(URL) on the other (a
    connection made from the URL, the path as the target): messages go
    straight to the listening peer, no broker in between."""
    server = ServerThread(DirectReceiver())

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.sent = self.accepted = 0

        def on_start(self, event):
            event.container.container_id = "direct-client"
            self.sender = event.container.create_sender(server.url + "/inbox")

        def on_sendable(self, event):
            while event.sender.credit and self.sent < 20:
                event.sender.send(Message(body=self.sent))
                self.sent += 1

        def on_accepted(self, event):
            self.accepted += 1
            if self.accepted == 20:
                event.connection.close()

    c = Client()
    try:
        run(c)
    finally:
        server.stop()
    assert c.accepted == 20
    peer = server.handler
    assert peer.messages == list(range(20))
    assert peer.targets == ["inbox"]
    assert peer.containers == ["direct-client"]
    assert c.sender.target.address == "inbox"


def test_listen_peer_to_peer_create_receiver_from_url():
    """create_receiver(URL) against a listening peer that sends: the URL's
    path is the source address the peer sees."""
    server = ServerThread(DirectSender(7))

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.got = []

        def on_start(self, event):
            self.receiver = event.container.create_receiver(server.url + "/outbox")

        def on_message(self, event):
            self.got.append(event.message.body)
            if len(self.got) == 7:
                event.connection.close()

    c = Client()
    try:
        run(c)
    finally:
        server.stop()
    assert c.got == ["direct-%d" % i for i in range(7)]
    assert server.handler.sources == ["outbox"]
    assert server.handler.accepted == 7


def test_listen_and_connect_in_one_container():
    """One container both listens and connects to itself."""
    port = free_port()

    class Both(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.got, self.sent = [], 0

        def on_start(self, event):
            self.acceptor = event.container.listen("127.0.0.1:%d" % port)
            self.conn = event.container.connect("amqp://127.0.0.1:%d" % port)
            event.container.create_sender(self.conn, "self")

        def on_link_opening(self, event):
            event.link.target.address = event.link.remote_target.address

        def on_sendable(self, event):
            if event.sender.credit and self.sent < 3:
                event.sender.send(Message(body=self.sent))
                self.sent += 1

        def on_message(self, event):
            self.got.append(event.message.body)

        def on_accepted(self, event):
            if event.delivery.link.is_sender and len(self.got) == 3:
                self.acceptor.close()
                self.conn.close()

    h = Both()
    run(h)
    assert h.got == [0, 1, 2]


def test_links_with_and_without_an_explicit_connection(broker):
    """create_sender/create_receiver on an explicit connection share it;
    given a URL, each makes a connection of its own."""

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.accepted, self.got = 0, []

        def on_start(self, event):
            c = event.container
            self.conn = c.connect(broker.url)
            self.s1 = c.create_sender(self.conn, "shared-a")
            self.s2 = c.create_sender(self.conn, target="shared-b")
            self.r1 = c.create_receiver(self.conn, "shared-a")
            self.s3 = c.create_sender(broker.url + "/own")
            self.r2 = c.create_receiver(broker.url + "/own")

        def on_sendable(self, event):
            s = event.sender
            if not getattr(s, "_done", False):
                s._done = True
                s.send(Message(body=s.target.address))

        def on_accepted(self, event):
            self.accepted += 1
            self.maybe_done()

        def on_message(self, event):
            self.got.append(event.message.body)
            self.maybe_done()

        def maybe_done(self):
            if self.accepted == 3 and len(self.got) == 2:
                for conn in {self.conn, self.s3.connection, self.r2.connection}:
                    conn.close()

    c = Client()
    run(c)
    assert sorted(c.got) == ["own", "shared-a"]
    assert c.s1.connection == c.conn and c.s2.connection == c.conn and c.r1.connection == c.conn
    assert c.s1.session == c.s2.session  # one session per connection by default
    assert c.s3.connection != c.conn and c.r2.connection != c.conn
    assert c.s3.connection != c.r2.connection
    assert len(broker.handler.connections) == 3
    assert c.s2.target.address == "shared-b"
    assert any(m.body == "shared-b" for a, m, _ in broker.handler.received if a == "shared-b")


class Service(MessagingHandler):
    """Replies to each request on `address` with its body upper-cased,
    sent to the request's reply_to through an anonymous sender."""

    def __init__(self, url, address="requests"):
        super().__init__()
        self.url, self.address, self.served = url, address, 0

    def start(self, container):
        self.conn = container.connect(self.url, handler=self)  # its own handler
        container.create_receiver(self.conn, self.address)
        self.relay = container.create_sender(self.conn, None)

    def on_message(self, event):
        req = event.message
        self.relay.send(Message(address=req.reply_to, correlation_id=req.correlation_id,
                                body=req.body.upper()))
        self.served += 1


def test_dynamic_receiver_request_response(broker):
    """A dynamic receiver gets its address from the peer (on_link_opened,
    remote_source.address); requests carry it as reply_to and the replies
    come back to it, matched by correlation_id."""
    requests = ["alpha", "beta", "gamma"]

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.replies = []

        def on_start(self, event):
            self.service = Service(broker.url)
            self.service.start(event.container)
            self.conn = event.container.connect(broker.url)
            self.receiver = event.container.create_receiver(self.conn, None, dynamic=True)
            self.sender = event.container.create_sender(self.conn, "requests")

        def on_link_opened(self, event):
            if event.receiver == self.receiver:
                self.reply_to = event.receiver.remote_source.address
                for i, r in enumerate(requests):
                    self.sender.send(Message(reply_to=self.reply_to, correlation_id=i, body=r))

        def on_message(self, event):
            if event.receiver == self.receiver:
                m = event.message
                self.replies.append((m.correlation_id, m.body, m.address))
                if len(self.replies) == len(requests):
                    self.conn.close()
                    self.service.conn.close()

    c = Client()
    run(c)
    assert c.reply_to and c.reply_to.startswith("dynamic-")
    assert sorted(c.replies) == [(i, r.upper(), c.reply_to) for i, r in enumerate(requests)]
    dyn = [link for link in broker.handler.links if link["dynamic"]]
    assert len(dyn) == 1 and dyn[0]["role"] == "sender" and dyn[0]["assigned"] == c.reply_to


def test_link_options_on_the_wire(broker):
    """Selector, DurableSubscription, Copy, Move, AtMostOnce and AtLeastOnce
    set the attach fields the peer sees, and the broker acts on them:
    the selector picks messages, Copy browses, Move consumes, AtMostOnce
    sends pre-settled."""
    colours = ["red", "blue", "red", "green"]
    selector = "colour = 'red'"

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__()
            self.accepted, self.browsed, self.consumed = 0, [], []
            self.amo_sent = False

        def on_start(self, event):
            c = event.container
            self.c = c
            self.conn = c.connect(broker.url)
            self.sender = c.create_sender(self.conn, "opts")
            self.amo = c.create_sender(self.conn, "opts-amo", options=AtMostOnce())
            self.sent = False

        def on_sendable(self, event):
            if event.sender == self.sender and not self.sent:
                self.sent = True
                for colour in colours:
                    self.sender.send(Message(body=colour, properties={"colour": colour}))
            if event.sender == self.amo and not self.amo_sent:
                self.amo_sent = True
                self.amo.send(Message(body="fire-and-forget"))

        def on_accepted(self, event):
            self.accepted += 1
            if self.accepted == len(colours):
                self.browser = self.c.create_receiver(
                    self.conn, "opts", name="browser",
                    options=[Selector(selector), DurableSubscription(), Copy()])

        def on_message(self, event):
            if event.receiver.name == "browser":
                self.browsed.append(event.message.body)
                if len(self.browsed) == 2:
                    self.consumer = self.c.create_receiver(self.conn, "opts", name="consumer",
                                                           options=[Move(), AtLeastOnce()])
            elif event.receiver.name == "consumer":
                self.consumed.append(event.message.body)
                if len(self.consumed) == len(colours):
                    self.conn.close()

    c = Client()
    run(c)
    links = {link["name"]: link for link in broker.handler.links}
    browser = links["browser"]
    assert browser["filter"] == {symbol("selector"): Described(
        symbol("apache.org:selector-filter:string"), selector)}
    assert browser["distribution_mode"] == Terminus.DIST_MODE_COPY
    assert browser["durability"] == Terminus.DELIVERIES
    assert browser["expiry_policy"] == Terminus.EXPIRE_NEVER
    consumer = links["consumer"]
    assert consumer["distribution_mode"] == Terminus.DIST_MODE_MOVE
    assert consumer["filter"] in (None, {})
    assert consumer["snd_settle_mode"] == Link.SND_UNSETTLED
    assert consumer["rcv_settle_mode"] == Link.RCV_FIRST
    amo = [link for link in broker.handler.links if link["address"] == "opts-amo"][0]
    assert amo["snd_settle_mode"] == Link.SND_SETTLED
    # the broker echoed the filter it applied: the client sees it in force
    assert data_value(c.browser.remote_source.filter) == browser["filter"]
    assert c.browser.remote_source.distribution_mode == Terminus.DIST_MODE_COPY
    # the selector picked the red ones, Copy left them queued for Move to consume
    assert c.browsed == ["red", "red"]
    assert c.consumed == colours
    assert len(broker.handler.queue("opts").messages) == 0
    # the at-most-once message arrived settled
    pre = [settled for a, m, settled in broker.handler.received if a == "opts-amo"]
    assert pre == [True]
    assert all(not settled for a, m, settled in broker.handler.received if a == "opts")


def test_peer_closing_links_and_connection(broker):
    """The peer closes first: on_link_closing/on_connection_closing, then
    the handler's automatic reply gives on_link_closed/on_connection_closed;
    a close with a condition is an error (on_link_error), with the
    condition as sent."""
    from proton import Condition

    class Closer(MessagingHandler):
        def on_link_opening(self, event):
            event.link.source.copy(event.link.remote_source)
            event.link.target.copy(event.link.remote_target)

        def on_link_opened(self, event):
            if event.link.name == "close-plain":
                event.link.close()
            elif event.link.name == "close-error":
                event.link.condition = Condition("test:link-refused", "go away", {symbol("why"): "testing"})
                event.link.close()

        def on_connection_opened(self, event):
            pass

    server = ServerThread(Closer())

    class Client(Recorder):
        closing = False

        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            event.container.create_receiver(self.conn, "x", name="close-plain")
            event.container.create_receiver(self.conn, "x", name="close-error")

        def on_link_closing(self, event):
            self.note("link_closing", event.link.name)
            self.maybe_done()

        def on_link_closed(self, event):
            self.note("link_closed", event.link.name)
            self.maybe_done()

        def on_link_error(self, event):
            cond = event.link.remote_condition
            self.note("link_error", event.link.name, cond.name, cond.description, cond.info)
            event.link.close()
            self.maybe_done()

        def maybe_done(self):
            if "link_closing" in self.names() and "link_error" in self.names() and not self.closing:
                self.closing = True
                self.conn.close()

        def on_connection_closed(self, event):
            self.note("connection_closed")

    c = Client()
    try:
        run(c)
    finally:
        server.stop()
    assert ("link_closing", "close-plain") in c.events
    if hasattr(EndpointStateHandler, "on_link_local_close"):
        # bindings >= 0.40 also report the end of the close handshake the
        # handler itself completed; 0.37 reports only on_link_closing
        assert ("link_closed", "close-plain") in c.events
    assert ("link_error", "close-error", "test:link-refused", "go away",
            {symbol("why"): "testing"}) in c.events
    assert c.names()[-1] == "connection_closed"


def test_transport_error_and_disconnected_when_nothing_listens():
    """Connecting to a port where nothing listens, without reconnect:
    on_transport_error with a condition, then on_disconnected; run() ends."""
    port = free_port()

    class Client(Recorder):
        def on_start(self, event):
            event.container.connect("amqp://127.0.0.1:%d" % port, reconnect=False)

        def on_transport_error(self, event):
            cond = event.transport.condition
            self.note("transport_error", cond.name if cond else None, cond.description if cond else None)

        def on_disconnected(self, event):
            self.note("disconnected")

        def on_connection_opened(self, event):
            self.note("opened")

    c = Client()
    t0 = time.time()
    run(c)
    assert time.time() - t0 < 10
    errs = [e for e in c.events if e[0] == "transport_error"]
    assert len(errs) == 1 and errs[0][1], c.events
    assert "disconnected" in c.names()
    assert "opened" not in c.names()


def test_transport_error_on_garbage_from_peer():
    """A peer that answers the AMQP header with something else: the client
    reports a framing error through on_transport_error and on_disconnected."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]

    def serve():
        conn, _ = srv.accept()
        conn.settimeout(5)
        try:
            conn.recv(8)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            time.sleep(0.5)
        finally:
            conn.close()
            srv.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()

    class Client(Recorder):
        def on_start(self, event):
            event.container.connect("amqp://127.0.0.1:%d" % port, reconnect=False)

        def on_transport_error(self, event):
            cond = event.transport.condition
            self.note("transport_error", cond.name, cond.description)

        def on_disconnected(self, event):
            self.note("disconnected")

    c = Client()
    run(c)
    t.join(5)
    errs = [e for e in c.events if e[0] == "transport_error"]
    assert errs, c.events
    assert errs[0][1] == "amqp:connection:framing-error", errs
    assert "disconnected" in c.names()
