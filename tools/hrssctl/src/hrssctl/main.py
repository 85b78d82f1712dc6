"""hrssctl: operator commands for the running platform (API.md, "Operator CLI")."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path

import amqp.exceptions
import kombu.exceptions

from hrss_contracts.errors import CatalogueError
from hrss_contracts.id_documents import ID_TYPES, RESIDENT_ID
from hrss_contracts.sources import SOURCES
from hrssctl import events, settings
from hrssctl.replicas import parse_replicas


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hrssctl", description=__doc__)
    commands = parser.add_subparsers(dest="group", required=True)

    sources = commands.add_parser("sources", help="verification sources (单位数据同步)")
    sources_cmd = sources.add_subparsers(dest="command", required=True)
    imp = sources_cmd.add_parser("import", help="import a JSON Lines file of one source")
    imp.add_argument("--source", required=True, choices=SOURCES)
    imp.add_argument("file", type=Path)

    ev = commands.add_parser("events", help="the event bus")
    ev_cmd = ev.add_subparsers(dest="command", required=True)
    tail = ev_cmd.add_parser("tail", help="print every event as it passes")
    tail.add_argument("--source", action="append", help="only this service's events (repeatable)")
    failed = ev_cmd.add_parser("failed", help="events whose handling failed")
    failed.add_argument("--status", default="parked", choices=["parked", "retrying"])
    replay = ev_cmd.add_parser("replay", help="retry parked events (all, or one)")
    replay.add_argument("--event-id")
    log = ev_cmd.add_parser(
        "replay-log",
        help="re-send a service's event log to one consumer's queues (a consumer that joined late)",
    )
    log.add_argument("--source", required=True, choices=settings.SERVICES, help="the publisher")
    log.add_argument("--to", required=True, help="the consuming service")
    log.add_argument("--type", dest="event_type", help="only this event type")
    log.add_argument("--since", help="only events from this time on (ISO 8601 with a zone)")

    agency_users = commands.add_parser("agency-users", help="agency staff accounts (经办机构)")
    agency_cmd = agency_users.add_subparsers(dest="command", required=True)
    add_user = agency_cmd.add_parser("add", help="add a staff account; its password is read from stdin")
    add_user.add_argument("--account", required=True, help="the login name")
    add_user.add_argument("--agency", required=True, help="the agency the staff member works for")

    essc = commands.add_parser("essc", help="the e-SSC app, simulated with the development key (扫码登录)")
    essc_cmd = essc.add_subparsers(dest="command", required=True)
    for act, text in (("scan", "scan a QR code"), ("confirm", "confirm the login"), ("cancel", "cancel it")):
        step = essc_cmd.add_parser(act, help=text)
        step.add_argument("--qr", required=True, help="the QR code's content (qr_content), or its qr_id")
        step.add_argument("--id-number", required=True, help="the e-SSC holder's document number")
        step.add_argument(
            "--id-type",
            default=RESIDENT_ID,
            choices=list(ID_TYPES),
            help="the document's type (证件类型; default %(default)s: 居民身份证)",
        )
        step.add_argument("--name", required=True, help="the e-SSC holder's name")
        step.add_argument("--print", action="store_true", dest="show", help="print the assertion, do not post it")

    platform = commands.add_parser("platform", help="run the whole platform on this machine")
    platform_cmd = platform.add_subparsers(dest="command", required=True)
    run = platform_cmd.add_parser("run", help="migrate, start every service and the gateway, load demo data")
    run.add_argument("--root", type=Path, default=Path.cwd(), help="the repository (default: here)")
    run.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    run.add_argument("--var", type=Path, help="SQLite files and logs (default: ROOT/var)")
    run.add_argument(
        "--replicas",
        type=parse_replicas,
        default={},
        metavar="SERVICE=N[,...]",
        help="processes of each service and the gateway; default 1 each; gateways share the port",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except CatalogueError as error:
        hint = " Is the platform running (make run)?" if error.code == "SERVICE_UNAVAILABLE" else ""
        detail = "".join(f" {field}: {', '.join(texts)}." for field, texts in error.fields.items())
        print(f"hrssctl: {error.code}: {error.message}{detail}{hint}", file=sys.stderr)
        return 3
    except (OSError, amqp.exceptions.AMQPError, kombu.exceptions.OperationalError) as error:
        print(
            f"hrssctl: cannot reach the broker at {_safe(settings.AMQP_URI)} ({error}); set AMQP_URI?", file=sys.stderr
        )
        return 3


def _safe(uri: str) -> str:
    """The URI without its password."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", uri)


def _dispatch(args: argparse.Namespace) -> int:
    uri = settings.AMQP_URI
    if args.group == "sources":
        from hrss_kit.rpc_client import StandaloneRpc
        from hrssctl.sources import import_file

        if not args.file.is_file():
            print(f"hrssctl: no such file: {args.file}", file=sys.stderr)
            return 2
        with StandaloneRpc(uri) as rpc:
            import_file(rpc, args.source, args.file)
        return 0
    if args.group == "essc":
        from hrssctl import essc

        return essc.run(args.command, args.qr, args.id_number, args.name, args.show, id_type=args.id_type)
    if args.group == "agency-users":
        from hrssctl import agency_users

        return agency_users.add(uri, args.account, args.agency, agency_users.read_password())
    if args.group == "events":
        if args.command == "tail":
            with contextlib.suppress(KeyboardInterrupt):
                events.tail(uri, tuple(args.source or settings.SERVICES))
            return 0
        if args.command == "replay-log":
            return events.replay_log(uri, args.source, args.to, args.event_type, args.since)
        if args.command == "failed":
            events.failed(uri, settings.SERVICES, args.status)
            return 0
        events.replay(uri, settings.SERVICES, args.event_id)
        return 0
    from hrssctl.platform import run as run_platform

    root = args.root.resolve()
    var = args.var.resolve() if args.var else None
    return run_platform(root, None if args.no_demo else root / "demo", var, args.replicas)


if __name__ == "__main__":
    sys.exit(main())
