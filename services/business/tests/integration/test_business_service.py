"""The business service as nameko runs it: the catalogue over RPC, and a bad catalogue file
that stops the start."""

import pytest

from hrss_business.adapters.catalogue_file import CatalogueFileInvalid
from hrss_business.entrypoints.service import BusinessService
from hrss_contracts.errors import CatalogueError
from hrss_kit.migrate import upgrade
from hrss_kit.rpc_client import StandaloneRpc

pytestmark = pytest.mark.integration


@pytest.fixture
def config(rabbit_config, make_database):
    url = make_database("business")
    upgrade("hrss_business", url)
    return {"AMQP_URI": rabbit_config["AMQP_URI"], "DATABASE_URL": url}


def test_the_catalogue_answers_over_rpc(container_factory, config):
    container_factory(BusinessService, config).start()

    with StandaloneRpc(config["AMQP_URI"], timeout=10) as rpc:
        business = rpc.service("business")
        listed = business.business_items(category=None, q=None)["items"]
        item = business.business_item(code="unit-key-info")
        with pytest.raises(CatalogueError) as missing:
            business.business_item(code="no-such-item")

    assert len(listed) >= 10 and {"code", "name", "category", "online", "insurance_types"} == set(listed[0])
    assert set(item["guide"]) == {
        "implementing_agency",
        "legal_basis",
        "conditions",
        "process",
        "contact",
        "hours",
        "time_limit",
    }
    assert item["form"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert missing.value.code == "BUSINESS_ITEM_NOT_FOUND"


def test_a_bad_catalogue_file_stops_the_start_with_its_problems(container_factory, config, tmp_path):
    bad = tmp_path / "items.json"
    bad.write_text('[{"code": "x"}]', encoding="utf-8")
    container = container_factory(BusinessService, {**config, "CATALOGUE_FILE": str(bad)})

    with pytest.raises(CatalogueFileInvalid) as refused:
        container.start()

    assert str(bad) in str(refused.value) and "'name' is a required property" in str(refused.value)
