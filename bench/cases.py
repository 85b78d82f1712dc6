"""Issue 8's figures, on the platform as `hrssctl platform run` starts it (Postgres, one process
of each):

- case submissions per second through the gateway, each after uploading its 200 KB PDF
  (wrk, ``cases.lua``: an upload, then a submission with the id it answered), as a legal
  representative; beside it, the same uploads alone;
- user-center listings per second with 10,000 cases in Postgres, for the legal representative
  (all of them) and a clerk holding one of the two relations (half of them), first page and a
  late page; beside them, ``GET /api/v1/me`` (the session check alone, the floor of any
  authenticated route), and the query plans the listing relies on.

The 10,000 cases are written straight into the business database (a benchmark's fixture, not
a path of the product); the listing's own queries are the service's.
"""

import os
import re
import time
from datetime import UTC, datetime, timedelta

from authorization import PASSWORD, authed, clerk_session, multipart_pdf, token_of
from logins import LIMITS_OFF, Client, Essc
from procs import ROOT, scaled, wrk
from running_platform import Platform, cpu_per_operation, enterprises, registration
from sqlalchemy import text

from hrss_contracts.examples import random_id_number
from hrss_kit.database import make_engine

SUBMIT_SECONDS = scaled(15)
LIST_SECONDS = scaled(10)
CASES = 10_000
PAGE_SIZE = 20


def submissions(platform, token, relation_id, connections=8):
    """(cases submitted per second, refused, uploads alone per second, CPU ms per case by
    process), the two runs for the same time."""
    body = platform.tmp / "case-upload.body"
    os.environ.update(
        UPLOAD_BODY=str(body),
        UPLOAD_BOUNDARY=multipart_pdf(body, 200 * 1024, "稳岗返还.pdf"),
        TOKEN=token,
        RELATION_ID=relation_id,
    )
    before = platform.cpu_by_process()
    started = time.monotonic()
    _, _, _, out = wrk(f"{platform.url}/", connections, SUBMIT_SECONDS, script=ROOT / "bench" / "cases.lua")
    elapsed = time.monotonic() - started
    after = platform.cpu_by_process()
    submitted = int(re.search(r"CASES_SUBMITTED (\d+)", out).group(1))
    refused = int(re.search(r"CASES_REFUSED (\d+)", out).group(1))
    per_case = cpu_per_operation(before, after, submitted)
    uploads, _, bad, _ = wrk(f"{platform.url}/", connections, SUBMIT_SECONDS, script=ROOT / "bench" / "uploads.lua")
    assert bad == 0, f"{bad} uploads refused"
    return submitted / elapsed, refused, uploads, per_case


def seed(platform, uscc, relations):
    """CASES cases of the enterprise, spread over its relations and statuses, numbered over 50 days."""
    engine = make_engine(platform.dbs.urls["business"])  # planned as the service plans (random_page_cost)
    statuses = ("submitted", "accepted", "approved", "correction_required", "withdrawn")
    start = datetime(2026, 10, 1, tzinfo=UTC)
    rows = []
    for k in range(CASES):
        relation = relations[k % len(relations)]
        at = start + timedelta(minutes=7 * k)
        rows.append(
            {
                "case_no": f"YW{at:%Y%m%d}{k:06d}",
                "item_code": "job-stabilisation-refund",
                "item_name": "失业保险稳岗返还",
                "enterprise_id": uscc,
                "uscc": uscc,
                "relation_id": relation["relation_id"],
                "unit_no": relation["unit_no"],
                "insurance": relation["insurance"],
                "agency": relation["agency"],
                "status": statuses[k % len(statuses)],
                "round": 1,
                "form": "{}",
                "applicant_account": f"enterprise:{uscc}",
                "applicant_login": uscc,
                "applicant_name": uscc,
                "applicant_role": "legal",
                "submitted_at": at,
                "updated_at": at,
                "version": 1,
            }
        )
    columns = list(rows[0])
    insert = text(f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})")
    with engine.begin() as conn:
        conn.execute(insert, rows)
    # What autovacuum does soon after so many inserts (its insert threshold): statistics, and
    # the visibility map that lets counts and page numbers come from the index alone.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE cases"))
    return engine


# The statements the business service sends for these listings (adapters/repository.py):
# a legal representative's by their enterprise, a clerk's by the relations they hold, each
# read first and sent by value.
PLANS = {
    "legal representative, first page": (
        "SELECT case_no FROM cases WHERE enterprise_id = :e ORDER BY case_no DESC LIMIT 20 OFFSET 0"
    ),
    "count, legal representative": "SELECT count(*) FROM cases WHERE enterprise_id = :e",
    "clerk, late page": (
        "SELECT case_no, status FROM cases WHERE case_no IN (SELECT case_no FROM cases WHERE relation_id IN (:r) "
        "ORDER BY case_no DESC LIMIT 20 OFFSET 3980) ORDER BY case_no DESC"
    ),
    "count, clerk": "SELECT count(*) FROM cases WHERE relation_id IN (:r)",
}


def plans(engine, uscc, clerk_id):
    found = {}
    with engine.connect() as conn:
        (held,) = conn.execute(text("SELECT relation_id FROM clerk_grants WHERE clerk_id = :c"), {"c": clerk_id}).one()
        (enterprise_id,) = conn.execute(
            text("SELECT enterprise_id FROM enterprises WHERE uscc = :u"), {"u": uscc}
        ).one()
        for label, sql in PLANS.items():
            lines = conn.execute(text(f"EXPLAIN ANALYZE {sql}"), {"e": enterprise_id, "r": held}).scalars().all()
            found[label] = lines
    return found


def listings(platform, tokens):
    os.environ["TOKEN"] = tokens["legal"]
    rows = []
    for label, who, page in (
        ("legal representative, page 1", "legal", 1),
        ("legal representative, page 400", "legal", 400),
        ("clerk, page 1", "clerk", 1),
        ("clerk, page 200", "clerk", 200),
    ):
        os.environ.update(TOKEN=tokens[who], LIST_PATH=f"/api/v1/cases?page={page}&page_size={PAGE_SIZE}")
        before = platform.cpu_by_process()
        rate, p99, bad, _ = wrk(f"{platform.url}/", 8, LIST_SECONDS, script=ROOT / "bench" / "listing.lua")
        after = platform.cpu_by_process()
        assert bad == 0, f"{bad} listings refused"
        listed = max(rate * LIST_SECONDS, 1)
        rows.append((label, rate, p99, cpu_per_operation(before, after, listed)))
    os.environ.update(TOKEN=tokens["legal"], LIST_PATH="/api/v1/me")
    floor, floor_p99, _, _ = wrk(f"{platform.url}/", 8, LIST_SECONDS, script=ROOT / "bench" / "listing.lua")
    return rows, (floor, floor_p99)


def main():
    (record,) = enterprises(1)
    with Platform([record], 18096, env=LIMITS_OFF) as platform:
        status, _ = Client(platform.port).call("POST", "/api/v1/registrations", registration(record, PASSWORD))
        assert status == 201
        time.sleep(1)  # EnterpriseRegistered reaches authorization and business
        legal, client = token_of(platform, record["uscc"]), Client(platform.port)
        _, relations = client.call("GET", "/api/v1/insurance-relations", headers=authed(legal))
        by_type = {r["insurance"]: r for r in relations["items"]}
        rate, refused, uploads, per_case = submissions(platform, legal, by_type["210"]["relation_id"])

        person = (random_id_number(), "办事员甲")
        _, clerk = client.call(
            "POST", "/api/v1/clerks", {"id_number": person[0], "name": person[1], "phone": "13900139000"}, authed(legal)
        )
        client.call(
            "PUT",
            f"/api/v1/clerks/{clerk['clerk_id']}/grants",
            {"relation_ids": [by_type["110"]["relation_id"]]},
            authed(legal),
        )
        time.sleep(1)  # the grant reaches identity and business
        clerk_token = clerk_session(platform, Essc(platform.tmp / "essc"), *person)
        engine = seed(platform, record["uscc"], list(by_type.values()))
        rows, (floor, floor_p99) = listings(platform, {"legal": legal, "clerk": clerk_token})
        explained = plans(engine, record["uscc"], clerk["clerk_id"])
        engine.dispose()
    print("\n## Business: cases (issue 8; Postgres, one process of each)\n")
    print(
        f"Case submissions, each after uploading its 200 KB PDF (8 connections): {rate:.1f} per second "
        f"({rate / 100:.2f}x the target of 100/s; {refused} refused); the uploads alone: {uploads:.1f} per second\n"
    )
    print(
        "CPU per case (its upload included), by process: "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in sorted(per_case.items(), key=lambda kv: -kv[1]) if ms >= 0.05)
        + f"; in all {sum(per_case.values()):.1f} ms\n"
    )
    print(f"User-center listings with {CASES:,} cases in Postgres (8 connections, {PAGE_SIZE} a page):\n")
    shown = ("business", "gateway", "identity", "postgres", "rabbitmq")
    print("| listing | per second | x target (300/s) | p99 ms | CPU ms a listing: " + " / ".join(shown) + " |")
    print("|---|---|---|---|---|")
    for label, per_second, p99, cpu in rows:
        spent = " / ".join(f"{cpu[name]:.1f}" for name in shown)
        print(f"| {label} | {per_second:.0f} | {per_second / 300:.2f}x | {p99:.0f} | {spent} |")
    print(f"| `GET /api/v1/me` (the session check alone) | {floor:.0f} | | {floor_p99:.0f} | |")
    for label, lines in explained.items():
        print(f"\nPlan, {label}:\n\n```")
        print("\n".join(lines))
        print("```")


if __name__ == "__main__":
    main()
