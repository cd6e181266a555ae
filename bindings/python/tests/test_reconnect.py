"""Automatic reconnect and failover: a list of URLs tried in turn with a
Backoff, a broker killed and restarted in mid-stream, and reconnect=False
giving up with on_disconnected. The brokers here are processes, so that
killing one is a real loss of the TCP connection."""
import threading
import time

from proton import Message
from proton.reactor import Backoff

from util import Recorder, ServerProcess, free_port, run


def test_failover_to_the_next_url(broker):
    """urls=[unreachable, working]: the first fails, the second is
    connected to and used; on_connection_opened once, on the working one."""
    dead = "amqp://127.0.0.1:%d" % free_port()

    class Client(Recorder):
        def on_start(self, event):
            self.conn = event.container.connect(urls=[dead, broker.url],
                                                reconnect=Backoff(initial=0.05, max_delay=0.2))
            event.container.create_sender(self.conn, "failover")
            self.sent = False

        def on_connection_opened(self, event):
            self.note("opened", event.connection.connected_address)

        def on_transport_error(self, event):
            self.note("transport_error")

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                event.sender.send(Message(body="after failover"))

        def on_accepted(self, event):
            self.note("accepted")
            self.conn.close()

    c = Client()
    run(c)
    opened = [e for e in c.events if e[0] == "opened"]
    assert len(opened) == 1, c.events
    assert str(broker.port) in str(opened[0][1])
    assert "accepted" in c.names()
    assert [m.body for a, m, _ in broker.handler.received] == ["after failover"]


def test_reconnect_after_broker_restart_and_sending_resumes():
    """A broker process is killed while messages flow and started again on
    the same port: the client reconnects by itself (on_connection_opened
    again, after on_disconnected) and sending resumes; the new broker
    receives the messages sent after the restart."""
    broker = ServerProcess("broker.py")
    port = broker.port
    state = {"restarted": None}

    def restart():
        broker.kill()
        time.sleep(0.5)  # a real outage: reconnect attempts fail meanwhile
        state["restarted"] = ServerProcess("broker.py", port=port)

    class Client(Recorder):
        def __init__(self):
            super().__init__()
            self.seq = 0
            self.accepted = []
            self.killer = None

        def on_start(self, event):
            self.conn = event.container.connect(broker.url, reconnect=Backoff(initial=0.1, max_delay=0.5))
            self.sender = event.container.create_sender(self.conn, "stream")
            event.container.schedule(0.01, self)

        def on_timer_task(self, event):
            # a steady stream: one message every 10 ms while there is credit
            if self.sender.credit and self.seq < 10000:
                self.sender.send(Message(body=self.seq))
                self.seq += 1
            if len(self.accepted) < 40:
                event.container.schedule(0.01, self)

        def on_connection_opened(self, event):
            self.note("opened", len(self.accepted))

        def on_disconnected(self, event):
            self.note("disconnected", len(self.accepted))

        def on_accepted(self, event):
            self.accepted.append(self.seq)
            if len(self.accepted) == 20 and self.killer is None:
                self.killer = threading.Thread(target=restart)
                self.killer.start()
            if len(self.accepted) == 40:
                self.conn.close()

    c = Client()
    try:
        run(c, timeout=60)
    finally:
        if c.killer:
            c.killer.join(20)
        broker.kill()
    second = state["restarted"]
    assert second is not None
    out = second.stop()
    opened = [e for e in c.events if e[0] == "opened"]
    assert len(opened) == 2, c.events
    assert opened[0][1] == 0 and opened[1][1] >= 20
    assert any(e[0] == "disconnected" for e in c.events)
    assert c.names().index("disconnected") < len(c.names()) - 1 - c.names()[::-1].index("opened")
    assert len(c.accepted) >= 40
    # the restarted broker got the messages accepted after the restart
    received = int(out.split("received")[-1].split()[0])
    assert received >= 20, out


def test_no_reconnect_gives_up_with_on_disconnected():
    """reconnect=False: when the broker dies the client reports
    on_disconnected (and a transport error), does not reconnect, and run()
    returns by itself."""
    broker = ServerProcess("broker.py")

    class Client(Recorder):
        def on_start(self, event):
            self.conn = event.container.connect(broker.url, reconnect=False)
            event.container.create_sender(self.conn, "once")
            self.sent = False

        def on_connection_opened(self, event):
            self.note("opened")

        def on_sendable(self, event):
            if not self.sent:
                self.sent = True
                event.sender.send(Message(body="one"))

        def on_accepted(self, event):
            self.note("accepted")
            broker.kill()

        def on_transport_error(self, event):
            self.note("transport_error", event.transport.condition.name if event.transport.condition else None)

        def on_disconnected(self, event):
            self.note("disconnected")

    c = Client()
    t0 = time.time()
    try:
        run(c, timeout=30)
    finally:
        broker.kill()
    assert time.time() - t0 < 15
    assert c.names().count("opened") == 1
    assert "accepted" in c.names()
    assert "disconnected" in c.names()
    assert c.names().index("disconnected") > c.names().index("accepted")


def test_no_reconnect_to_an_unreachable_url_with_a_list():
    """reconnect=False with a list of URLs all unreachable: one round of
    attempts, then on_disconnected, and run() ends."""
    urls = ["amqp://127.0.0.1:%d" % free_port() for _ in range(2)]

    class Client(Recorder):
        def on_start(self, event):
            event.container.connect(urls=urls, reconnect=False)

        def on_transport_error(self, event):
            self.note("transport_error")

        def on_disconnected(self, event):
            self.note("disconnected")

    c = Client()
    t0 = time.time()
    run(c, timeout=20)
    assert time.time() - t0 < 10
    assert "transport_error" in c.names() and "disconnected" in c.names()
