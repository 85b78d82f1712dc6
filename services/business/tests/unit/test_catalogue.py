"""The catalogue of business items: its data file checked at start, and the queries on it."""

import json
from importlib import resources

import pytest

from hrss_business.adapters.catalogue_file import CatalogueFileInvalid, load_catalogue
from hrss_business.domain.errors import ItemNotFound
from hrss_business.service_layer import catalogue

pytestmark = pytest.mark.unit

NAMED = {
    "unit-key-info": "单位关键信息维护",
    "unit-registration": "单位参保登记",
    "employee-registration": "职工参保登记",
    "employee-removal": "职工减员",
    "contribution-base": "缴费基数申报",
    "injury-recognition": "工伤认定申请",
    "clerk-authorization": "公共服务单位用户授权",
}


@pytest.fixture(scope="module")
def packaged():
    return load_catalogue()


def written(tmp_path, items):
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_packaged_catalogue_holds_the_references_items_with_every_guide_field(packaged):
    assert len(packaged.items) >= 10
    for code, name in NAMED.items():
        assert packaged.get(code).name.startswith(name)
    for item in packaged.items:
        assert all(vars(item.guide).values()), item.code
        assert set(item.insurance_types) <= {"110", "120", "210", "410"}


def test_the_window_only_item_is_listed_but_not_online(packaged):
    assert packaged.get("clerk-authorization").online is False
    assert all(item.online for item in packaged.items if item.code != "clerk-authorization")


def test_the_key_information_form_asks_for_the_new_code_name_and_legal_representative(packaged):
    form = packaged.get("unit-key-info").form
    assert set(form["required"]) == {"uscc", "name", "legal_rep_name", "legal_rep_id"}
    assert form["properties"]["uscc"]["format"] == "gb32100-uscc"
    assert form["properties"]["legal_rep_id"]["format"] == "gb11643-id-number"
    assert all(p.get("title") for p in form["properties"].values())


def test_items_are_found_by_category_and_by_words(packaged):
    registrations = catalogue.find_items(packaged, "单位登记", None)
    assert registrations and all(item.category == "单位登记" for item in registrations)
    assert [item.code for item in catalogue.find_items(packaged, None, "工伤认定")] == ["injury-recognition"]
    assert catalogue.find_items(packaged, "没有这个类别", None) == []
    assert catalogue.find_items(packaged, "", "  ") == packaged.items


def test_an_unknown_code_is_not_found(packaged):
    with pytest.raises(ItemNotFound):
        catalogue.item(packaged, "no-such-item")


def test_a_file_that_is_not_json_stops_the_start_naming_the_file(tmp_path):
    path = tmp_path / "items.json"
    path.write_text("[{", encoding="utf-8")

    with pytest.raises(CatalogueFileInvalid, match="cannot be read as JSON"):
        load_catalogue(path)


def test_a_bad_item_is_refused_with_where_and_what(tmp_path):
    raw = json.loads(_packaged_text())
    raw[0]["guide"].pop("hours")
    raw[1]["insurance_types"] = ["310"]
    raw[2]["form"]["type"] = "array"

    with pytest.raises(CatalogueFileInvalid) as refused:
        load_catalogue(written(tmp_path, raw))

    message = str(refused.value)
    assert "0/guide: 'hours' is a required property" in message
    assert "1/insurance_types/0" in message and "2/form/type" in message


def test_a_code_given_twice_is_refused(tmp_path):
    raw = json.loads(_packaged_text())
    raw[1]["code"] = raw[0]["code"]

    with pytest.raises(CatalogueFileInvalid, match="is given twice"):
        load_catalogue(written(tmp_path, raw))


def test_a_form_that_is_no_json_schema_is_refused(tmp_path):
    raw = json.loads(_packaged_text())
    raw[0]["form"]["properties"] = {"x": {"type": "no-such-type", "title": "x"}}

    with pytest.raises(CatalogueFileInvalid, match="not a JSON Schema"):
        load_catalogue(written(tmp_path, raw))


def _packaged_text():
    return resources.files("hrss_business").joinpath("catalogue/items.json").read_text(encoding="utf-8")


def test_a_form_with_an_unknown_format_or_a_required_field_it_lacks_is_refused(tmp_path):
    raw = json.loads(_packaged_text())
    key_info = next(i for i, item in enumerate(raw) if item["code"] == "unit-key-info")
    raw[key_info]["form"]["properties"]["legal_rep_id"]["format"] = "gb11643-idnumber"
    raw[key_info]["form"]["required"].append("nickname")

    with pytest.raises(CatalogueFileInvalid) as refused:
        load_catalogue(written(tmp_path, raw))

    assert "'gb11643-idnumber' is not one of" in str(refused.value)
    assert "['nickname'] are not properties" in str(refused.value)


def test_a_long_value_in_a_problem_is_cut_short(tmp_path):
    with pytest.raises(CatalogueFileInvalid) as refused:
        load_catalogue(written(tmp_path, {"not": "a list " * 1000}))

    assert len(str(refused.value)) < 400
