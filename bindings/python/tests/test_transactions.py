"""Transactions from the Python API (container.declare_transaction,
TransactionHandler / TransactionalClientHandler) against the test broker's
coordinator: declare, send in the transaction, commit and abort."""
from proton import Message, Terminus, symbol
from proton.handlers import TransactionalClientHandler

from broker import Broker
from util import ServerThread, run


class TxSender(TransactionalClientHandler):
    """Declares a transaction, sends `count` messages in it, then commits
    or aborts once the broker has settled them all."""

    def __init__(self, url, count, commit=True):
        super().__init__()
        self.url, self.count, self.commit = url, count, commit
        self.events, self.settled = [], 0
        self.queued_before_discharge = None

    def on_start(self, event):
        self.container = event.container
        self.conn = event.container.connect(self.url)
        self.sender = event.container.create_sender(self.conn, "txq")
        event.container.declare_transaction(self.conn, handler=self)

    def on_transaction_declared(self, event):
        self.txn = event.transaction
        self.events.append(("declared", event.transaction.id))
        for i in range(self.count):
            self.txn.send(self.sender, Message(body="tx-%d" % i))

    def on_settled(self, event):
        if event.delivery.link == self.sender:
            self.settled += 1
            if self.settled == self.count:
                self.queued_before_discharge = len(self.server.queue("txq").messages)
                self.txn.commit() if self.commit else self.txn.abort()

    def on_transaction_committed(self, event):
        self.events.append(("committed",))
        self.conn.close()

    def on_transaction_aborted(self, event):
        self.events.append(("aborted",))
        self.conn.close()

    def on_transaction_declare_failed(self, event):
        self.events.append(("declare_failed", event.delivery.remote_state))
        self.conn.close()

    def on_transaction_commit_failed(self, event):
        self.events.append(("commit_failed",))
        self.conn.close()


def _run(count, commit, declare_fails=False):
    server = ServerThread(Broker(declare_fails=declare_fails))
    client = TxSender(server.url, count, commit)
    client.server = server.handler
    try:
        run(client)
    finally:
        server.stop()
    return client, server.handler


def test_commit():
    """The messages sent in the transaction are held by the broker until
    the commit, then queued; the client is told declared then committed,
    and the coordinator link was attached as a coordinator with the
    local-transactions capability."""
    client, broker = _run(5, commit=True)
    assert client.events == [("declared", b"txn-1"), ("committed",)]
    assert client.queued_before_discharge == 0
    assert [m.body for m in broker.queue("txq").messages] == ["tx-%d" % i for i in range(5)]
    assert len(broker.committed) == 1 and len(broker.committed[0][1]) == 5
    coord = [link for link in broker.links if link["type"] == Terminus.COORDINATOR]
    assert len(coord) == 1
    caps = coord[0]["capabilities"]
    assert caps == symbol("amqp:local-transactions") or symbol("amqp:local-transactions") in (caps or [])


def test_abort():
    """Aborted: nothing is queued; the client is told aborted."""
    client, broker = _run(3, commit=False)
    assert client.events == [("declared", b"txn-1"), ("aborted",)]
    assert client.queued_before_discharge == 0
    assert len(broker.queue("txq").messages) == 0
    assert len(broker.aborted) == 1 and [m.body for a, m in broker.aborted[0][1]] == ["tx-0", "tx-1", "tx-2"]


def test_declare_refused():
    """A coordinator that rejects the declare: on_transaction_declare_failed."""
    from proton import Delivery
    client, broker = _run(1, commit=True, declare_fails=True)
    assert client.events == [("declare_failed", Delivery.REJECTED)]
    assert broker.txns == {}


def test_two_transactions_in_turn():
    """A second transaction on the same connection after the first
    committed: a new id, and only its own messages are dropped on abort."""
    server = ServerThread(Broker())

    class Twice(TxSender):
        round = 0

        def on_transaction_committed(self, event):
            self.events.append(("committed",))
            self.round += 1
            self.settled = 0
            self.commit = False
            self.container.declare_transaction(self.conn, handler=self)

    client = Twice(server.url, 2, commit=True)
    client.server = server.handler
    try:
        run(client)
    finally:
        server.stop()
    assert client.events == [("declared", b"txn-1"), ("committed",), ("declared", b"txn-2"), ("aborted",)]
    assert [m.body for m in server.handler.queue("txq").messages] == ["tx-0", "tx-1"]
