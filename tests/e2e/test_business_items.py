"""办事中心 end to end: the catalogue of business items and their handling guides over HTTP."""

import pytest

pytestmark = pytest.mark.e2e


def test_anyone_lists_the_items_by_category_and_words_and_reads_a_guide(platform):
    listed = platform.get("/api/v1/business-items").json()["items"]
    by_code = {item["code"]: item for item in listed}
    assert {"unit-key-info", "unit-registration", "employee-registration", "clerk-authorization"} <= set(by_code)
    assert by_code["clerk-authorization"]["online"] is False

    injuries = platform.get("/api/v1/business-items?category=工伤保险").json()["items"]
    assert injuries and {item["category"] for item in injuries} == {"工伤保险"}
    assert [i["code"] for i in platform.get("/api/v1/business-items?q=减员").json()["items"]] == ["employee-removal"]

    guide = platform.get("/api/v1/business-items/unit-key-info").json()
    assert guide["name"].startswith("单位关键信息维护") and all(guide["guide"].values())
    assert set(guide["form"]["required"]) == {"uscc", "name", "legal_rep_name", "legal_rep_id"}
    missing = platform.get("/api/v1/business-items/no-such-item")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "BUSINESS_ITEM_NOT_FOUND"
