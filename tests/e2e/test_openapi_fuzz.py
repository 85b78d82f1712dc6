"""The API as a client sees it: schemathesis reads the platform's own OpenAPI document
(``/api/v1/openapi.json``) and sends every operation requests drawn from it, schema-valid and
not, then follows the document's links (stateful phase). Every answer must be no server error,
a status the operation documents, with the documented content type, body and headers; a 405
must name the route's methods in ``Allow``.

Two runs, side by side: one without a session (protected operations answer 401), one signed in
as a registered enterprise's legal representative, and as agency staff on the agency's routes,
whose parameters are now and then the platform's real ones (the enterprise's code, its
relations, units, clerk, case and attachments) so that requests get past "not found". Logout
is left out of the signed-in run (it would end the session the run signs in with).

The platform runs on SQLite (``HRSS_FUZZ_STORES=sqlite,postgres`` for both), with rate limits of
its own (a prefix of its own, limits out of reach): the runs send thousands of POSTs from one
address. Each run is bounded (``HRSS_FUZZ_EXAMPLES``, 20 an operation); the seed is fixed, and
``HRSS_FUZZ_SEED`` sets another (or replays the one a failure printed).

schemathesis runs as a subprocess (its CLI): the tests run under eventlet's monkey patch.
"""

import os
import re
import subprocess
import uuid
from dataclasses import dataclass

import pytest
from e2e_clerks import PDF, PNG, call, new_staff, register_with_units, until, upload
from e2e_platform import BIN

from hrss_contracts.examples import random_id_number

STORES = os.environ.get("HRSS_FUZZ_STORES", "sqlite").split(",")
pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("platform", STORES, indirect=True)]

SCHEMATHESIS = BIN / "schemathesis"
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "unsupported_method",
        "allow_header_conformance",
    )
)
MAX_EXAMPLES = int(os.environ.get("HRSS_FUZZ_EXAMPLES", "20"))
SEED = int(os.environ.get("HRSS_FUZZ_SEED", "20261128"))
RUN_TIMEOUT = 120 + 10 * MAX_EXAMPLES  # seconds; at 20 examples a run takes about 40
KEY_INFO, KEY_INFO_MATERIALS = "unit-key-info", ("change-form", "change-proof", "licence-copy")
REAL_VALUE_PROBABILITY = 0.5


@pytest.fixture(scope="module")
def platform_settings():
    return {
        "RATE_LIMIT_PREFIX": f"e2e-fuzz:{uuid.uuid4().hex[:8]}",
        "RATE_LIMIT_POSTS": "1000000",
        "RATE_LIMIT_LOGINS_PER_ADDRESS": "1000000",
        "RATE_LIMIT_QR_SESSIONS": "1000000",
    }


@dataclass(frozen=True)
class World:
    """What the platform holds before the runs, and the sessions they sign in with."""

    legal: str
    staff: str
    values: dict  # a parameter ("path.case_no", "body.relation_ids[*]", …) → the platform's values of it


@pytest.fixture(scope="module")
def world(platform, tmp_path_factory):
    registered = register_with_units(platform, tmp_path_factory.mktemp("fuzz-sources"))
    legal = registered.token
    relations = call(platform, "GET", "/api/v1/insurance-relations", legal).json()["items"]
    clerk_id_number = random_id_number()
    clerk = {"id_number": clerk_id_number, "name": "模糊测试", "phone": "13900139000"}
    added = call(platform, "POST", "/api/v1/clerks", legal, clerk)
    assert added.status_code == 201, added.text
    clerk_id = added.json()["clerk_id"]
    granted = call(
        platform, "PUT", f"/api/v1/clerks/{clerk_id}/grants", legal, {"relation_ids": [relations[0]["relation_id"]]}
    )
    assert granted.status_code == 200, granted.text
    _, staff = new_staff(platform)
    materials = {code: stored(platform, legal, PDF, f"{code}.pdf") for code in KEY_INFO_MATERIALS}
    staff_attachment = stored(platform, staff, PNG, "授权书.png")
    form = {
        "uscc": registered.uscc,
        "name": registered.name,
        "legal_rep_name": registered.rep_name,
        "legal_rep_id": registered.rep_id,
    }
    case = {"item_code": KEY_INFO, "relation_id": relations[0]["relation_id"], "form": form, "attachments": materials}
    # The business service learns of the enterprise by events: 403 until it has.
    case_no = until(lambda: call(platform, "POST", "/api/v1/cases", legal, case), 201).json()["case_no"]
    items = call(platform, "GET", "/api/v1/business-items", legal).json()["items"]
    relation_ids = [r["relation_id"] for r in relations]
    values = {
        "uscc": [registered.uscc],
        "relation_id": relation_ids,
        "unit_no": sorted({r["unit_no"] for r in relations}),
        "clerk_id": [clerk_id],
        "id_number": [clerk_id_number, registered.rep_id],
        "case_no": [case_no],
        "attachment_id": [*materials.values(), staff_attachment],
        "item_code": [item["code"] for item in items],
    }
    bindings = {
        "path.uscc": "uscc",
        "query.uscc": "uscc",
        "body.uscc": "uscc",
        "path.unit_no": "unit_no",
        "query.unit_no": "unit_no",
        "path.clerk_id": "clerk_id",
        "query.clerk_id": "clerk_id",
        "query.clerk_id_number": "id_number",
        "body.id_number": "id_number",
        "body.clerks[*].id_number": "id_number",
        "body.grants[*].id_number": "id_number",
        "body.relation_id": "relation_id",
        "body.relation_ids[*]": "relation_id",
        "body.grants[*].relation_ids[*]": "relation_id",
        "path.case_no": "case_no",
        "path.attachment_id": "attachment_id",
        "body.attachment_ids[*]": "attachment_id",
        "path.code": "item_code",
        "query.item_code": "item_code",
        "body.item_code": "item_code",
    }
    return World(legal, staff, {binding: values[name] for binding, name in bindings.items()})


def stored(platform, token, content, filename):
    answer = upload(platform, token, content, filename, "application/pdf" if content == PDF else "image/png")
    assert answer.status_code == 201, answer.text
    return answer.json()["attachment_id"]


def toml_string(text):
    """A TOML basic string of ``text`` (which holds no control character)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def signed_in_config(world):
    """The signed-in run's configuration: the legal representative's session, agency staff's
    on the agency's routes, and the platform's real values for half the parameters named."""
    lines = [f"headers = {{ Authorization = {toml_string('Bearer ' + world.legal)} }}", ""]
    for index, values in enumerate(world.values.values()):
        lines += [f"[dictionaries.real{index}]", f"values = [{', '.join(toml_string(v) for v in values)}]", ""]
    lines.append("[parameters]")
    for index, binding in enumerate(world.values):
        lines.append(
            f'{toml_string(binding)} = {{ dictionary = "real{index}", probability = {REAL_VALUE_PROBABILITY} }}'
        )
    lines += [
        "",
        "[[operations]]",
        f"include-path-regex = {toml_string('^/api/v1/agency/')}",
        f"headers = {{ Authorization = {toml_string('Bearer ' + world.staff)} }}",
    ]
    return "\n".join(lines) + "\n"


def start_run(platform, workdir, name, config, *options):
    """schemathesis over the platform's document, its output in ``workdir/<name>.txt``."""
    workdir.mkdir(parents=True, exist_ok=True)
    config_file = workdir / f"{name}.toml"
    config_file.write_text(config)
    output = workdir / f"{name}.txt"
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config_file),
        "run",
        f"{platform.base_url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--request-timeout",
        "40",
        "--no-color",
        "--output-truncate",
        "true",
        *options,
    ]
    with output.open("w") as sink:
        process = subprocess.Popen(command, cwd=workdir, stdout=sink, stderr=subprocess.STDOUT, text=True)
    return process, output


@pytest.fixture(scope="module")
def runs(platform, world, tmp_path_factory):
    """Both runs, started at once: ``{name: (process, output file)}``."""
    workdir = tmp_path_factory.mktemp("schemathesis")
    started = {
        "anonymous": start_run(platform, workdir, "anonymous", ""),
        "signed_in": start_run(
            platform, workdir, "signed_in", signed_in_config(world), "--exclude-path", "/api/v1/auth/logout"
        ),
    }
    yield started
    for process, _ in started.values():
        if process.poll() is None:
            process.kill()


def finished(run):
    """The run's output once it has ended; the test fails on any failure it found."""
    process, output = run
    try:
        code = process.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"schemathesis did not finish within {RUN_TIMEOUT} s:\n{output.read_text()[-5000:]}")
    text = output.read_text()
    if code != 0:
        failures = re.search(r"^=+ (?:FAILURES|ERRORS) =+$.*", text, re.M | re.S)
        pytest.fail(f"schemathesis exited {code}:\n{(failures.group(0) if failures else text)[:20000]}")
    return text


def operations_tested(text):
    return int(re.search(r"^ *Tested: (\d+)$", text, re.M).group(1))


def documented_operations(platform):
    """The document's operations but the one that serves it, which schemathesis leaves out."""
    paths = platform.get("/api/v1/openapi.json").json()["paths"]
    return sum(1 for item in paths.values() for method in item if method != "parameters") - 1


def test_every_operation_answers_as_documented_without_a_session(platform, runs):
    text = finished(runs["anonymous"])

    assert operations_tested(text) == documented_operations(platform), text[-3000:]


def test_every_operation_answers_as_documented_to_a_signed_in_user(platform, runs):
    text = finished(runs["signed_in"])

    assert operations_tested(text) == documented_operations(platform) - 1, text[-3000:]  # not logout
