"""``python bench/sql_census.py OUT run --config C module:Service``: ``nameko run`` with every
SQL statement, transaction and pool checkout of the process counted (SQLAlchemy event
listeners on every engine). SIGUSR2 writes the counts so far to OUT (JSON), so a benchmark
can take them before and after a load and divide the difference by what the load did.

A transaction is counted by its shape: the statements it ran, in order, reduced to verb and
table (``SELECT accounts``, ``INSERT outbox ON CONFLICT``, …). A pool checkout of a Postgres
engine costs a round trip of its own when the engine pings (``pool_pre_ping``): the
listeners never see that ``SELECT 1``, so checkouts are counted apart.
"""

import eventlet

eventlet.monkey_patch()  # before anything else, as `nameko run` does

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from collections import Counter  # noqa: E402

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.pool import Pool  # noqa: E402

STATEMENTS, TRANSACTIONS, CHECKOUTS = Counter(), Counter(), Counter()
_VERB = re.compile(r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|BEGIN|COMMIT|ROLLBACK)\b", re.I)
_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.I)


def shape(statement):
    """``INSERT INTO outbox (…) VALUES … ON CONFLICT …`` → ``INSERT outbox ON CONFLICT``."""
    verb = _VERB.match(statement)
    table = _TABLE.search(statement)
    words = [verb.group(1).split()[0].upper() if verb else statement.split()[0].upper()]
    words += [table.group(1)] if table else []
    upper = statement.upper()
    words += [marker for marker in ("ON CONFLICT", "FOR UPDATE", "SKIP LOCKED", "RETURNING") if marker in upper]
    return " ".join(words)


def joined(statements, end):
    """A transaction's shape: its statements in order, a run of the same one as ``… ×n``."""
    runs = []
    for what in statements or ["(empty)"]:
        if runs and runs[-1][0] == what:
            runs[-1][1] += 1
        else:
            runs.append([what, 1])
    return " ; ".join(what if n == 1 else f"{what} ×{n}" for what, n in runs) + f" ; {end}"


@event.listens_for(Engine, "before_cursor_execute")
def _statement(conn, _cursor, statement, _parameters, _context, _executemany):
    what = shape(statement)
    STATEMENTS[what] += 1
    conn.info.setdefault("census", []).append(what)


@event.listens_for(Engine, "commit")
def _commit(conn):
    TRANSACTIONS[joined(conn.info.pop("census", []), "COMMIT")] += 1


@event.listens_for(Engine, "rollback")
def _rollback(conn):
    TRANSACTIONS[joined(conn.info.pop("census", []), "ROLLBACK")] += 1


@event.listens_for(Pool, "checkout")
def _checkout(_dbapi_connection, _record, _proxy):
    CHECKOUTS["checkouts"] += 1


@event.listens_for(Pool, "checkin")
def _checkin(_dbapi_connection, record):
    if record is not None and record.info.get("census"):  # used without a commit: the pool rolls back
        TRANSACTIONS[joined(record.info.pop("census"), "(returned, rolled back)")] += 1


def _write(path):
    def handler(_signum, _frame):
        counts = {"statements": STATEMENTS, "transactions": TRANSACTIONS, "checkouts": CHECKOUTS["checkouts"]}
        with open(path + ".tmp", "w") as out:
            json.dump(counts, out)
        os.replace(path + ".tmp", path)

    return handler


if __name__ == "__main__":
    signal.signal(signal.SIGUSR2, _write(sys.argv[1]))
    from nameko.cli.main import main

    sys.argv = ["nameko", *sys.argv[2:]]
    main()
