"""The README's demonstration: a queue broker, a sender and a receiver,
written with proton's Python API, exchanging messages over loopback TCP on
whatever libqpid-proton-core the interpreter loads (proton-rs when run by
.ci/demo). Each part prints what it does.

usage: python_demo.py [COUNT]
"""
import collections
import socket
import sys
import threading

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


def loaded_engine():
    """The libqpid-proton-core this process actually mapped."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "libqpid-proton-core" in line:
                return line.split()[-1]
    return "?"


class Broker(MessagingHandler):
    """Queues by address: senders' messages wait until a receiver has credit."""

    def __init__(self, url, ready):
        super().__init__()
        self.url, self.ready = url, ready
        self.queues = collections.defaultdict(collections.deque)
        self.consumers = collections.defaultdict(list)

    def on_start(self, event):
        self.acceptor = event.container.listen(self.url)
        print(f"broker:   listening on {self.url}")
        self.ready.set()

    def on_link_opening(self, event):
        link = event.link
        if link.is_sender:
            address = link.remote_source.address
            link.source.address = address
            self.consumers[address].append(link)
            print(f"broker:   receiver attached to {address}")
        else:
            link.target.address = link.remote_target.address
            print(f"broker:   sender attached to {link.remote_target.address}")

    def on_message(self, event):
        address = event.link.target.address
        self.queues[address].append(event.message)
        self.dispatch(address)

    def on_sendable(self, event):
        self.dispatch(event.link.source.address)

    def dispatch(self, address):
        queue = self.queues[address]
        for link in self.consumers[address]:
            while queue and link.credit > 0:
                link.send(queue.popleft())

    def on_link_closing(self, event):
        if event.link.is_sender:
            self.consumers[event.link.source.address].remove(event.link)


class Sender(MessagingHandler):
    def __init__(self, url, count):
        super().__init__()
        self.url, self.count = url, count
        self.sent = self.confirmed = 0

    def on_start(self, event):
        event.container.create_sender(self.url)

    def on_sendable(self, event):
        while event.sender.credit and self.sent < self.count:
            self.sent += 1
            event.sender.send(Message(id=self.sent, body={"sequence": self.sent, "text": f"hello {self.sent}"}))

    def on_accepted(self, event):
        self.confirmed += 1
        if self.confirmed == self.count:
            print(f"sender:   all {self.count} messages accepted by the broker")
            event.connection.close()


class Receiver(MessagingHandler):
    def __init__(self, url, count):
        super().__init__()
        self.url, self.count, self.received = url, count, 0

    def on_start(self, event):
        event.container.create_receiver(self.url)

    def on_message(self, event):
        self.received += 1
        if self.received <= 3 or self.received == self.count:
            print(f"receiver: got {event.message.body}")
        elif self.received == 4:
            print("receiver: ...")
        if self.received == self.count:
            event.connection.close()


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with socket.socket() as s:  # a free port for the broker
        s.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{s.getsockname()[1]}"
    print(f"engine: {loaded_engine()}")
    ready = threading.Event()
    broker = Broker(address, ready)
    broker_container = Container(broker)
    broker_thread = threading.Thread(target=broker_container.run, daemon=True)
    broker_thread.start()
    ready.wait(10)
    receiver = Receiver(f"{address}/examples", count)
    sender = Sender(f"{address}/examples", count)
    # Each client runs its own container (and connection) in a thread.
    threads = [threading.Thread(target=Container(h).run) for h in (receiver, sender)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # The broker thread is a daemon: it ends with the process.
    ok = receiver.received == count and sender.confirmed == count
    print(f"demo: {receiver.received} of {count} messages received, {sender.confirmed} accepted: {'OK' if ok else 'FAILED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
