"""Message delivery: volume through a queue broker with acknowledgement,
every outcome as the sender sees it, credit and prefetch, manual
settlement, large messages spanning many frames."""
import hashlib
import os
import time

import pytest

from proton import Condition, Delivery, Message, symbol
from proton.handlers import MessagingHandler, Reject, Release

from util import BINARY, Recorder, ServerThread, run

N = 10000


def test_ten_thousand_messages_through_a_queue(broker):
    """10,000 messages sent to a queue, each accepted by the broker, then
    consumed in order by a receiver on another connection and accepted;
    the sender sees 10,000 accepted and settled deliveries."""

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=200)
            self.sent = self.accepted = self.settled = 0
            self.got = []

        def on_start(self, event):
            self.out = event.container.connect(broker.url)
            self.inp = event.container.connect(broker.url)
            event.container.create_sender(self.out, "bulk")
            event.container.create_receiver(self.inp, "bulk")

        def on_sendable(self, event):
            while event.sender.credit and self.sent < N:
                event.sender.send(Message(id=self.sent, body={"seq": self.sent, "pad": "x" * 32}))
                self.sent += 1

        def on_accepted(self, event):
            self.accepted += 1

        def on_settled(self, event):
            self.settled += 1
            self.maybe_done()

        def on_message(self, event):
            self.got.append((event.message.id, event.message.body["seq"]))
            self.maybe_done()

        def maybe_done(self):
            if self.settled == N and len(self.got) == N:
                self.out.close()
                self.inp.close()

    c = Client()
    run(c, timeout=120)
    assert c.accepted == N and c.settled == N
    assert c.got == [(i, i) for i in range(N)]
    b = broker.handler
    assert len(b.received) == N
    assert b.consumer_outcomes == [Delivery.ACCEPTED] * N
    assert len(b.queue("bulk").messages) == 0


class Settler(MessagingHandler):
    """A peer that settles each message as its body says."""

    def __init__(self):
        super().__init__(auto_accept=False)
        self.seen = []

    def on_link_opening(self, event):
        event.link.target.address = event.link.remote_target.address

    def on_message(self, event):
        dlv, body = event.delivery, event.message.body
        self.seen.append(body)
        if body == "accept":
            self.accept(dlv)
        elif body == "reject":
            dlv.local.condition = Condition("test:bad-message", "rejected by the peer", {symbol("n"): 7})
            self.reject(dlv)
        elif body == "release":
            self.release(dlv, delivered=False)
        elif body == "release-delivered":
            self.release(dlv)  # delivered=True: modified, delivery-failed
        elif body == "modify":
            dlv.local.failed = True
            dlv.local.undeliverable = True
            dlv.local.annotations = {symbol("x-opt-why"): "testing"}
            self.settle(dlv, Delivery.MODIFIED)


class OutcomeSender(MessagingHandler):
    def __init__(self, url, bodies):
        super().__init__()
        self.url, self.bodies = url, bodies
        self.outcomes, self.settled = {}, []

    def on_start(self, event):
        self.conn = event.container.connect(self.url)
        event.container.create_sender(self.conn, "outcomes")
        self.sent = False

    def on_sendable(self, event):
        if not self.sent:
            self.sent = True
            for b in self.bodies:
                d = event.sender.send(Message(body=b))
                d._body = b

    def _note(self, event, callback):
        d = event.delivery
        r = d.remote
        self.outcomes[d._body] = {
            "callback": callback, "state": d.remote_state,
            "condition": (r.condition.name, r.condition.description, r.condition.info) if r.condition else None,
            "failed": r.failed, "undeliverable": r.undeliverable, "annotations": r.annotations,
        }

    def on_accepted(self, event):
        self._note(event, "on_accepted")

    def on_rejected(self, event):
        self._note(event, "on_rejected")

    def on_released(self, event):
        self._note(event, "on_released")

    def on_settled(self, event):
        self.settled.append(event.delivery._body)
        if len(self.settled) == len(self.bodies):
            self.conn.close()


def test_every_outcome_is_observed_by_the_sender():
    """accept, reject (with a condition), release, release as delivered and
    modify (failed, undeliverable, annotations): the sender gets
    on_accepted / on_rejected / on_released with the remote state and its
    fields, then on_settled for each."""
    bodies = ["accept", "reject", "release", "release-delivered", "modify"]
    server = ServerThread(Settler())
    s = OutcomeSender(server.url, bodies)
    try:
        run(s)
    finally:
        server.stop()
    assert server.handler.seen == bodies
    assert sorted(s.settled) == sorted(bodies)
    o = s.outcomes
    assert o["accept"]["callback"] == "on_accepted" and o["accept"]["state"] == Delivery.ACCEPTED
    assert o["reject"]["callback"] == "on_rejected" and o["reject"]["state"] == Delivery.REJECTED
    assert o["reject"]["condition"] == ("test:bad-message", "rejected by the peer", {symbol("n"): 7})
    assert o["release"]["callback"] == "on_released" and o["release"]["state"] == Delivery.RELEASED
    assert o["release-delivered"]["callback"] == "on_released"
    assert o["release-delivered"]["state"] == Delivery.MODIFIED
    assert o["modify"]["callback"] == "on_released" and o["modify"]["state"] == Delivery.MODIFIED
    assert o["modify"]["failed"] is True and o["modify"]["undeliverable"] is True
    assert o["modify"]["annotations"] == {symbol("x-opt-why"): "testing"}


def test_outcomes_through_the_broker():
    """The broker gives the outcome a message asks for (test-outcome): the
    sender's view is the same as with a direct peer."""
    from broker import Broker
    server = ServerThread(Broker())

    class S(OutcomeSender):
        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                for b in self.bodies:
                    d = event.sender.send(Message(body=b, properties={"test-outcome": b}))
                    d._body = b

    s = S(server.url, ["accept", "reject", "release", "modify"])
    try:
        run(s)
    finally:
        server.stop()
    o = s.outcomes
    assert [o[b]["state"] for b in ("accept", "reject", "release", "modify")] == \
        [Delivery.ACCEPTED, Delivery.REJECTED, Delivery.RELEASED, Delivery.MODIFIED]
    assert o["reject"]["condition"] == ("test:rejected", "rejected as asked", {symbol("reason"): "test"})
    assert o["modify"]["annotations"] == {symbol("x-opt-modified-by"): "broker"}
    assert [m.body for a, m, _ in server.handler.received] == ["accept", "reject", "release", "modify"]
    assert [m.body for m in server.handler.queue("outcomes").messages] == ["accept"]


def test_reject_and_release_raised_from_on_message():
    """With auto_accept, raising Reject from on_message rejects the message
    and raising Release releases it (as modified); other messages are
    accepted."""

    class Peer(MessagingHandler):
        def on_link_opening(self, event):
            event.link.target.address = event.link.remote_target.address

        def on_message(self, event):
            if event.message.body == "reject":
                raise Reject()
            if event.message.body == "release":
                raise Release()

    server = ServerThread(Peer())
    s = OutcomeSender(server.url, ["accept", "reject", "release"])
    try:
        run(s)
    finally:
        server.stop()
    o = s.outcomes
    assert o["accept"]["callback"] == "on_accepted"
    assert o["reject"]["callback"] == "on_rejected" and o["reject"]["state"] == Delivery.REJECTED
    assert o["release"]["callback"] == "on_released" and o["release"]["state"] == Delivery.MODIFIED


class Source(MessagingHandler):
    """A peer that sends numbered messages on each link attached to it,
    as long as it has credit, up to `limit`; it notes the credit it sees."""

    def __init__(self, limit=1000):
        super().__init__()
        self.limit, self.credits, self.sent = limit, [], 0

    def on_link_opening(self, event):
        event.link.source.address = event.link.remote_source.address

    def on_sendable(self, event):
        s = event.sender
        self.credits.append(s.credit)
        while s.credit and self.sent < self.limit:
            s.send(Message(body=self.sent))
            self.sent += 1


def test_credit_issued_by_hand():
    """prefetch=0 and receiver.flow(n): the peer sees exactly the credit
    given, sends that many messages and no more until more credit comes."""
    server = ServerThread(Source())

    class Later:
        def __init__(self, owner):
            self.owner = owner

        def on_timer_task(self, event):
            o = self.owner
            o.before_second_flow = len(o.got)
            o.receiver.flow(5)

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=0)
            self.got = []

        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            self.receiver = event.container.create_receiver(self.conn, "credit")

        def on_link_opened(self, event):
            self.receiver.flow(3)

        def on_message(self, event):
            self.got.append(event.message.body)
            if len(self.got) == 3:
                # wait: nothing more may arrive without credit
                event.container.schedule(0.5, Later(self))
            if len(self.got) == 8:
                self.credit_at_end = self.receiver.credit
                self.conn.close()

    c = Client()
    try:
        run(c)
    finally:
        server.stop()
    assert c.before_second_flow == 3
    assert c.got == list(range(8))
    assert c.credit_at_end == 0
    peer = server.handler
    assert peer.sent == 8
    assert peer.credits[0] == 3
    assert 5 in peer.credits


def test_prefetch_window():
    """MessagingHandler(prefetch=N) keeps N credits open: the peer sees N
    first, and the window is topped up as messages are consumed."""
    server = ServerThread(Source(limit=40))

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=4)
            self.got = []

        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            event.container.create_receiver(self.conn, "prefetch")

        def on_message(self, event):
            self.got.append(event.message.body)
            if len(self.got) == 40:
                self.conn.close()

    c = Client()
    try:
        run(c)
    finally:
        server.stop()
    assert c.got == list(range(40))
    assert server.handler.credits[0] == 4
    assert max(server.handler.credits) <= 4


@pytest.mark.xfail(reason="proton-c 0.37 takes a receiver's credit when the delivery is consumed "
                          "(advance), after MessagingHandler's FlowController has looked at the "
                          "credit on the delivery event: with prefetch=1 no credit is issued again "
                          "and the stream stops after the first message (both bindings)",
                   strict=False)
def test_prefetch_of_one():
    """MessagingHandler(prefetch=1): one message at a time, all of them."""
    server = ServerThread(Source(limit=5))

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=1)
            self.got = []

        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            event.container.create_receiver(self.conn, "one-by-one")

        def on_message(self, event):
            self.got.append(event.message.body)
            if len(self.got) == 5:
                self.conn.close()

    c = Client()
    try:
        run(c, timeout=5)
    finally:
        server.stop()
    assert c.got == list(range(5))


def test_manual_settlement():
    """auto_accept=False on the receiver, auto_settle=False on the sender:
    the receiver accepts one message without settling and accepts and
    settles another; the sender sees both accepted, only the second
    remotely settled, settles both itself, and the receiver is told
    (on_settled) of the one it left unsettled."""

    class Receiver(Recorder):
        def __init__(self):
            super().__init__(auto_accept=False)

        def on_link_opening(self, event):
            event.link.target.address = event.link.remote_target.address

        def on_message(self, event):
            d = event.delivery
            d._body = event.message.body
            self.note("message", d._body)
            if d._body == "keep-open":
                d.update(Delivery.ACCEPTED)  # no settle
            else:
                self.accept(d)

        def on_settled(self, event):
            self.note("settled-by-sender", event.delivery._body, event.delivery.remote_state)

    server = ServerThread(Receiver())

    class Sender(Recorder):
        def __init__(self):
            super().__init__(auto_settle=False)
            self.deliveries = {}

        def on_start(self, event):
            self.conn = event.container.connect(server.url)
            self.sender = event.container.create_sender(self.conn, "manual")
            self.sent = False

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                for b in ("keep-open", "settle"):
                    d = event.sender.send(Message(body=b))
                    d._body = b
                    self.deliveries[b] = d

        def on_accepted(self, event):
            d = event.delivery
            self.note("accepted", d._body, d.settled)
            if len([e for e in self.events if e[0] == "accepted"]) == 2:
                self.note("unsettled-before", self.sender.unsettled)
                for x in self.deliveries.values():
                    x.settle()
                self.note("unsettled-after", self.sender.unsettled)
                event.container.schedule(0.5, self)

        def on_settled(self, event):
            self.note("settled", event.delivery._body)

        def on_timer_task(self, event):
            self.conn.close()

    s = Sender()
    try:
        run(s)
    finally:
        server.stop()
    assert ("accepted", "keep-open", False) in s.events
    assert ("accepted", "settle", True) in s.events
    assert [e for e in s.events if e[0] == "settled"] == [("settled", "settle")]
    assert ("unsettled-before", 2) in s.events and ("unsettled-after", 0) in s.events
    r = server.handler
    assert [e for e in r.events if e[0] == "settled-by-sender"] == \
        [("settled-by-sender", "keep-open", 0)]


def test_large_messages_span_many_frames(broker):
    """Three messages of 3-5 MiB go through the broker intact; the
    receiving transport counted at least size / max-frame-size frames."""
    sizes = [5 * 1024 * 1024, 3 * 1024 * 1024 + 17, 4 * 1024 * 1024 - 5]
    payloads = [os.urandom(n) for n in sizes]
    digests = [hashlib.sha256(p).hexdigest() for p in payloads]

    class Client(MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=2)
            self.got, self.accepted = [], 0

        def on_start(self, event):
            self.out = event.container.connect(broker.url)
            self.inp = event.container.connect(broker.url, max_frame_size=16384)
            event.container.create_sender(self.out, "large")
            event.container.create_receiver(self.inp, "large")
            self.sent = False

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                for i, p in enumerate(payloads):
                    event.sender.send(Message(body=p, properties={"i": i}))

        def on_accepted(self, event):
            self.accepted += 1

        def on_message(self, event):
            m = event.message
            body = m.body
            self.got.append((m.properties["i"], type(body) in (bytes, BINARY), len(body),
                             hashlib.sha256(bytes(body)).hexdigest()))
            if len(self.got) == len(payloads):
                t = event.transport
                self.frames_in = t.frames_input
                self.max_frame = t.max_frame_size
                self.out.close()
                self.inp.close()

    c = Client()
    t0 = time.time()
    run(c, timeout=120)
    assert c.accepted == 3
    assert c.got == [(i, True, sizes[i], digests[i]) for i in range(3)]
    assert c.max_frame == 16384
    assert c.frames_in >= sum(sizes) // 16384, (c.frames_in, time.time() - t0)
