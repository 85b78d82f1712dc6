"""Services used only by the benchmarks, built from the kit's real parts (and, for
reference, from nameko's stock ones). Each runs as its own process, as deployed.

The kit's parts bring what every service has: heartbeats on every connection (``HEARTBEAT``,
15 s unless configured), a relative TTL (``expiration``) on every request and an idempotency
key on every ``ServiceRpc`` call. ``BenchEcho.context`` and ``/context`` let a benchmark check
that the calls it times carry them.
"""

import json
from datetime import UTC, datetime

from nameko.rpc import RpcProxy
from nameko.rpc import rpc as stock_rpc
from nameko.web.handlers import http
from sqlalchemy import Column, DateTime, Float, MetaData, String, Table, insert

from hrss_contracts.events import new_envelope
from hrss_gateway.http import api
from hrss_kit import outbox
from hrss_kit.database import Database
from hrss_kit.idempotency import IdempotencyKey
from hrss_kit.inbox import reliable_handler
from hrss_kit.ops import OperationsMixin
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc
from hrss_kit.tables import add_kit_tables


class BenchEcho:
    """RPC target served by the kit's ``rpc`` (replies without confirms)."""

    name = "benchecho"
    idempotency_key = IdempotencyKey()

    @rpc
    def ping(self):
        return "ok"

    @rpc
    def context(self):
        """What a call brought besides its arguments: its idempotency key."""
        request = self.idempotency_key
        return {"idempotency_key": request.key if request else None}


class StockEcho:
    """The same served by nameko's stock ``rpc`` (replies with confirms)."""

    name = "stockecho"

    @stock_rpc
    def ping(self):
        return "ok"


class BenchGateway:
    """The gateway's HTTP entrypoint, with and without one RPC hop through the kit."""

    name = "benchgw"
    echo = ServiceRpc("benchecho", timeout=5)

    @api("GET", "/local")
    def local(self, request):
        return {"status": "ok"}

    @api("GET", "/hop")
    def hop(self, request):
        return {"status": self.echo.ping()}

    @api("GET", "/context")
    def context(self, request):
        return self.echo.context()


class StockGateway:
    """nameko defaults: ``http`` and ``RpcProxy`` (the issue's baseline)."""

    name = "stockgw"
    echo = RpcProxy("stockecho")

    @http("GET", "/local")
    def local(self, request):
        return '{"status": "ok"}'

    @http("GET", "/hop")
    def hop(self, request):
        return json.dumps({"status": self.echo.ping()})


producer_metadata = MetaData()
add_kit_tables(producer_metadata)
consumer_metadata = MetaData()
add_kit_tables(consumer_metadata)
latencies = Table(
    "latencies",
    consumer_metadata,
    Column("event_id", String(36), primary_key=True),
    Column("committed_at", DateTime(timezone=True), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("ms", Float, nullable=False),
)


class BenchProducer(OperationsMixin):
    """Its event log answers the consumer's first-start catch-up (``replay_log``), as a real
    service's does."""

    name = "benchproducer"
    db = Database(producer_metadata)

    @rpc
    def emit(self, uscc):
        """One event in its own transaction; ``decided_at`` is the moment just before commit."""
        with self.db.transaction() as session:
            envelope = new_envelope(
                "RegistrationRejected",
                "benchproducer",
                uscc,
                {
                    "uscc": uscc,
                    "reason": "not_verified",
                    "mismatched_fields": [],
                    "decided_at": datetime.now(UTC).isoformat(),
                },
            )
            outbox.record(session, self.db.tables["outbox"], envelope)
        return envelope["event_id"]


class BenchConsumer:
    name = "benchconsumer"
    db = Database(consumer_metadata)

    @reliable_handler("benchproducer", "RegistrationRejected")
    def on_event(self, session, envelope):
        committed = envelope["data"]["decided_at"]
        now = datetime.now(UTC)
        session.execute(
            insert(latencies).values(
                event_id=str(envelope["event_id"]),
                committed_at=committed,
                applied_at=now,
                ms=(now - committed).total_seconds() * 1000,
            )
        )
