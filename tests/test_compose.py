"""Static checks of docker-compose.yml, the Dockerfiles and the Postgres init script.

Docker does not have to run for these: they read the files and check that they agree with
the repository layout (one compose service per service package, each built from its own
Dockerfile, replicable, health-checked, started after the infrastructure it needs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
POSTGRES_INIT = ROOT / "deploy" / "postgres-init.sql"

INFRASTRUCTURE = {"postgres", "rabbitmq", "redis", "minio"}
PUBLISHING_SERVICES = {"gateway"}
SERVICES_WITHOUT_DATABASE = {"gateway"}


def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_services() -> dict[str, dict[str, Any]]:
    return load_compose()["services"]


def expected_app_services() -> list[str]:
    """Every ``services/<name>/`` with a pyproject.toml, plus the gateway."""
    names = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))
    return names + ["gateway"]


def app_services() -> list[str]:
    return [name for name in compose_services() if name not in INFRASTRUCTURE]


def database_services() -> list[str]:
    return [name for name in app_services() if name not in SERVICES_WITHOUT_DATABASE]


def built_services() -> list[str]:
    return [name for name, spec in compose_services().items() if "build" in spec]


def environment(spec: dict[str, Any]) -> dict[str, str]:
    env = spec.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def dockerfile_of(spec: dict[str, Any]) -> Path:
    build = spec["build"]
    if isinstance(build, str):
        return ROOT / build / "Dockerfile"
    return ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")


def depends_on(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    deps = spec.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {} for name in deps}
    return {name: (value or {}) for name, value in deps.items()}


def created_databases() -> set[str]:
    sql = POSTGRES_INIT.read_text(encoding="utf-8")
    return {m.lower() for m in re.findall(r'CREATE\s+DATABASE\s+"?(\w+)"?', sql, re.IGNORECASE)}


def test_the_compose_file_parses_as_yaml_with_services():
    compose = load_compose()
    assert isinstance(compose, dict)
    assert isinstance(compose.get("services"), dict) and compose["services"]


def test_the_infrastructure_services_are_present():
    assert set(compose_services()) >= INFRASTRUCTURE


@pytest.mark.parametrize("name", expected_app_services())
def test_every_service_package_and_the_gateway_has_a_compose_service(name):
    assert name in compose_services(), f"docker-compose.yml has no service {name!r}"


@pytest.mark.parametrize("name", expected_app_services())
def test_every_service_package_and_the_gateway_is_built_from_source(name):
    spec = compose_services().get(name, {})
    assert "build" in spec, f"compose service {name!r} has no build section"
    assert spec.get("image") == f"hrss/{name}"


@pytest.mark.parametrize("name", built_services())
def test_every_built_service_names_a_dockerfile_that_exists(name):
    dockerfile = dockerfile_of(compose_services()[name])
    assert dockerfile.is_file(), f"{name}: {dockerfile.relative_to(ROOT)} does not exist"


@pytest.mark.parametrize("name", built_services())
def test_every_dockerfile_installs_its_own_package_directory(name):
    dockerfile = dockerfile_of(compose_services()[name])
    if not dockerfile.is_file():
        pytest.fail(f"{name}: {dockerfile} does not exist")
    package_dir = dockerfile.parent.relative_to(ROOT).as_posix()
    text = dockerfile.read_text(encoding="utf-8")
    assert re.search(rf"^COPY\s+.*\b{re.escape(package_dir)}\b", text, re.MULTILINE), (
        f"{dockerfile.relative_to(ROOT)} does not copy {package_dir}"
    )
    assert re.search(rf"pip install --no-deps .*{re.escape(package_dir)}\b", text), (
        f"{dockerfile.relative_to(ROOT)} does not install {package_dir}"
    )


@pytest.mark.parametrize("name", built_services())
def test_every_dockerfile_copies_and_installs_the_lock_file(name):
    dockerfile = dockerfile_of(compose_services()[name])
    if not dockerfile.is_file():
        pytest.fail(f"{name}: {dockerfile} does not exist")
    text = dockerfile.read_text(encoding="utf-8")
    assert re.search(r"^COPY\s+requirements\.lock\b", text, re.MULTILINE)
    assert re.search(r"pip install .*-r \S*requirements\.lock", text)


@pytest.mark.parametrize("name", built_services())
def test_every_dockerfile_runs_as_a_non_root_user(name):
    dockerfile = dockerfile_of(compose_services()[name])
    if not dockerfile.is_file():
        pytest.fail(f"{name}: {dockerfile} does not exist")
    users = re.findall(r"^USER\s+(\S+)", dockerfile.read_text(encoding="utf-8"), re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


@pytest.mark.parametrize("name", app_services())
def test_no_app_service_has_a_container_name_so_it_can_be_scaled(name):
    assert "container_name" not in compose_services()[name]


@pytest.mark.parametrize("name", app_services())
def test_only_the_gateway_publishes_ports(name):
    spec = compose_services()[name]
    if name in PUBLISHING_SERVICES:
        assert spec.get("ports") == ["8000:8000"]
    else:
        assert "ports" not in spec, f"{name} publishes ports; replicas would clash"


@pytest.mark.parametrize("name", sorted(compose_services()))
def test_every_service_has_a_healthcheck(name):
    healthcheck = compose_services()[name].get("healthcheck")
    assert healthcheck and healthcheck.get("test"), f"{name} has no healthcheck"
    assert not healthcheck.get("disable", False)


@pytest.mark.parametrize("name", app_services())
def test_every_app_service_waits_for_healthy_infrastructure(name):
    needed = {"rabbitmq"} if name in SERVICES_WITHOUT_DATABASE else {"postgres", "rabbitmq"}
    deps = depends_on(compose_services()[name])
    for dependency in needed:
        assert dependency in deps, f"{name} does not depend on {dependency}"
        assert deps[dependency].get("condition") == "service_healthy", (
            f"{name} does not wait for {dependency} to be healthy"
        )


def test_the_gateway_does_not_depend_on_postgres():
    assert "postgres" not in depends_on(compose_services()["gateway"])


@pytest.mark.parametrize("name", database_services())
def test_every_database_service_uses_a_database_created_by_the_init_script(name):
    env = environment(compose_services()[name])
    service_url = env.get(f"{name.upper()}_DATABASE_URL")
    assert service_url, f"{name} has no {name.upper()}_DATABASE_URL"
    assert env.get("DATABASE_URL") == service_url, "hrss-migrate must migrate the same database"
    match = re.fullmatch(r"postgresql\+psycopg2://[^/]+@postgres:5432/(\w+)", service_url)
    assert match, f"{name}: unexpected database URL {service_url!r}"
    assert match.group(1) in created_databases(), (
        f"{name}: database {match.group(1)!r} is not created in deploy/postgres-init.sql"
    )


def test_the_postgres_container_runs_the_init_script():
    volumes = compose_services()["postgres"].get("volumes", [])
    assert any(
        isinstance(v, str) and v.startswith("./deploy/postgres-init.sql:/docker-entrypoint-initdb.d/") for v in volumes
    )


def test_the_gateway_keeps_attachments_in_the_minio_service_with_its_credentials():
    services = compose_services()
    gateway, minio = environment(services["gateway"]), environment(services["minio"])
    assert gateway["BLOB_STORE"] == "s3" and gateway["S3_ENDPOINT_URL"] == "http://minio:9000"
    assert (gateway["S3_ACCESS_KEY_ID"], gateway["S3_SECRET_ACCESS_KEY"]) == (
        minio["MINIO_ROOT_USER"],
        minio["MINIO_ROOT_PASSWORD"],
    )
    assert depends_on(services["gateway"])["minio"].get("condition") == "service_healthy"
