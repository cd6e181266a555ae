"""proton.utils: BlockingConnection senders and receivers, and
SyncRequestResponse."""
import time

import pytest

from proton import ConnectionException, Delivery, Message, Timeout
from proton.handlers import MessagingHandler
from proton.utils import BlockingConnection, SendException, SyncRequestResponse

from util import ServerThread, free_port


def test_send_and_receive(broker):
    """send() returns once the broker settled the message (accepted);
    receive() returns the messages in order; accept() acknowledges."""
    conn = BlockingConnection(broker.url, timeout=10)
    try:
        sender = conn.create_sender("blocking")
        for i in range(5):
            d = sender.send(Message(body="m%d" % i, properties={"i": i}))
            assert d.remote_state == Delivery.ACCEPTED
        assert [m.body for a, m, _ in broker.handler.received] == ["m%d" % i for i in range(5)]
        receiver = conn.create_receiver("blocking", credit=5)
        got = []
        for i in range(5):
            m = receiver.receive(timeout=10)
            got.append((m.body, m.properties["i"]))
            receiver.accept()
        assert got == [("m%d" % i, i) for i in range(5)]
    finally:
        conn.close()
    for _ in range(50):  # the dispositions reach the broker as the connection closes
        if len(broker.handler.consumer_outcomes) == 5:
            break
        time.sleep(0.05)
    assert broker.handler.consumer_outcomes == [Delivery.ACCEPTED] * 5


def test_receive_times_out(broker):
    conn = BlockingConnection(broker.url, timeout=10)
    try:
        receiver = conn.create_receiver("empty")
        t0 = time.time()
        with pytest.raises(Timeout):
            receiver.receive(timeout=0.5)
        assert 0.4 < time.time() - t0 < 5
    finally:
        conn.close()


def test_rejected_send_raises(broker):
    """A message the peer rejects makes send() raise SendException with
    the state; a released one too (by default)."""
    conn = BlockingConnection(broker.url, timeout=10)
    try:
        sender = conn.create_sender("refusing")
        with pytest.raises(SendException) as e:
            sender.send(Message(body="no", properties={"test-outcome": "reject"}))
        assert e.value.state == Delivery.REJECTED
        with pytest.raises(SendException) as e:
            sender.send(Message(body="later", properties={"test-outcome": "release"}))
        assert e.value.state == Delivery.RELEASED
        d = sender.send(Message(body="fine"))
        assert d.remote_state == Delivery.ACCEPTED
    finally:
        conn.close()


def test_receiver_reject_and_release(broker):
    """BlockingReceiver.reject() and release() are the outcomes the broker
    gets; a released message is delivered again."""
    conn = BlockingConnection(broker.url, timeout=10)
    try:
        sender = conn.create_sender("settle")
        for b in ("a", "b"):
            sender.send(Message(body=b))
        receiver = conn.create_receiver("settle", credit=1)
        assert receiver.receive(timeout=10).body == "a"
        receiver.reject()
        assert receiver.receive(timeout=10).body == "b"
        receiver.release(delivered=False)
        assert receiver.receive(timeout=10).body == "b"  # again, released to the front
        receiver.accept()
    finally:
        conn.close()
    for _ in range(50):
        if len(broker.handler.consumer_outcomes) == 3:
            break
        time.sleep(0.05)
    assert broker.handler.consumer_outcomes == [Delivery.REJECTED, Delivery.RELEASED, Delivery.ACCEPTED]


def test_connect_failure_raises():
    """Nothing listens: the constructor raises (a ConnectionException)
    quickly instead of blocking."""
    t0 = time.time()
    with pytest.raises(ConnectionException):
        BlockingConnection("amqp://127.0.0.1:%d" % free_port(), timeout=5)
    assert time.time() - t0 < 5


class RPCServer(MessagingHandler):
    """A direct request/response peer: gives each dynamic receiver an
    address and answers requests on `requests` to their reply_to."""

    def __init__(self):
        super().__init__()
        self.reply_links, self.served, self.n = {}, 0, 0

    def on_link_opening(self, event):
        link = event.link
        if link.is_sender and link.remote_source.dynamic:
            self.n += 1
            address = "reply-%d" % self.n
            link.source.address = address
            self.reply_links[address] = link
        elif link.is_receiver:
            link.target.address = link.remote_target.address

    def on_message(self, event):
        req = event.message
        link = self.reply_links[req.reply_to]
        link.send(Message(address=req.reply_to, correlation_id=req.correlation_id,
                          body={"echo": req.body, "upper": str(req.body).upper()}))
        self.served += 1


def test_sync_request_response():
    """SyncRequestResponse.call sends a request with reply_to set to its
    dynamic receiver's address and returns the matching response."""
    server = ServerThread(RPCServer())
    conn = BlockingConnection(server.url, timeout=10)
    try:
        client = SyncRequestResponse(conn, "requests")
        assert client.reply_to == "reply-1"
        for word in ("one", "two", "three"):
            response = client.call(Message(body=word))
            assert response.body == {"echo": word, "upper": word.upper()}
            assert response.address == "reply-1"
            assert response.correlation_id is not None
    finally:
        conn.close()
        server.stop()
    assert server.handler.served == 3


def test_sync_request_response_through_a_broker(broker):
    """The same through the queue broker: the service, on its own blocking
    connection in another thread, answers from the requests queue to the
    dynamic reply address."""
    import threading
    errors = []
    ready = threading.Event()

    def service():
        svc = BlockingConnection(broker.url, timeout=10)
        try:
            requests = svc.create_receiver("service", credit=10)
            replies = svc.create_sender(None)
            ready.set()
            for _ in range(2):
                req = requests.receive(timeout=10)
                requests.accept()
                replies.send(Message(address=req.reply_to, correlation_id=req.correlation_id,
                                     body="pong:" + req.body))
        except Exception as e:  # reported by the test thread
            errors.append(e)
        finally:
            ready.set()
            svc.close()

    t = threading.Thread(target=service)
    t.start()
    assert ready.wait(10)
    conn = BlockingConnection(broker.url, timeout=10)
    try:
        client = SyncRequestResponse(conn, "service")
        assert client.reply_to.startswith("dynamic-")
        assert client.call(Message(body="a")).body == "pong:a"
        assert client.call(Message(body="b")).body == "pong:b"
    finally:
        conn.close()
        t.join(15)
    assert not errors, errors
