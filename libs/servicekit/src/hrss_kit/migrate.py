"""Deploy a service's storage: ``hrss-migrate hrss_enterprise [--url URL] [--amqp-uri URI]``.

Applies the Alembic migrations in ``<package>/migrations`` (URL from ``--url`` or
``DATABASE_URL``; a SQLite file's folder is created when missing), then, given a broker
(``--amqp-uri`` or ``AMQP_URI``), declares the queues of the events the service consumes, so
they exist before any producer publishes (``hrss_kit.deploy``).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url


def alembic_config(package: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(package: str, url: str) -> None:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(package, url), "head")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("package", help="the service package, e.g. hrss_enterprise")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--amqp-uri", default=os.environ.get("AMQP_URI"), help="declare the consumed queues there")
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url or set DATABASE_URL")
    upgrade(args.package, args.url)
    if args.amqp_uri:
        for name in declare_queues(args.package, args.amqp_uri):
            print(f"declared queue {name}")


def declare_queues(package: str, amqp_uri: str) -> list[str]:
    """The queues of the events ``package``'s service consumes, declared with their bindings."""
    from hrss_kit.deploy import declare_consumer_queues, service_class

    service = service_class(package)
    return declare_consumer_queues(service, amqp_uri) if service is not None else []


def schema_drift(metadata: object, url: str) -> list[Any]:
    """What autogenerate would still write for ``metadata`` against ``url``: [] when the
    applied migrations match the ORM exactly (types and server defaults included)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            return list(compare_metadata(context, metadata))  # type: ignore[arg-type]
    finally:
        engine.dispose()


def run_migrations(target_metadata: object) -> None:
    """The body of every service's ``migrations/env.py`` (online mode only)."""
    from alembic import context
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=url.startswith("sqlite")
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
