"""证件类型: each document type's numbers judged by its own rule, check digit where it has one."""

from datetime import date

import pytest
from marshmallow import ValidationError

from hrss_contracts.authorization import ClerkRequestSchema, WindowAuthorizationSchema
from hrss_contracts.event_data import ClerkAddedV1
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_contracts.id_documents import ID_TYPES, document_number_error, icao_check_digit
from hrss_contracts.id_number import id_check_character

TODAY = date(2026, 11, 28)

GOOD = [
    ("resident_id", "11010519491231002X"),
    ("hk_macao_permit", "H32031177"),
    ("hk_macao_permit", "M3203117707"),  # the older form: lifetime number and issue count
    ("taiwan_permit", "01234567"),
    ("foreign_permanent_residence", "911398199012310021"),  # the card of 2023
    ("foreign_permanent_residence", "KAZ110090123105"),  # the card of 2017
    ("passport", "E12345678"),
    ("passport", "L898902C3"),
]
BAD = [
    ("resident_id", "110105194912310021"),  # check character X expected
    ("hk_macao_permit", "H1234567"),  # seven digits
    ("hk_macao_permit", "A32031177"),  # neither H nor M
    ("hk_macao_permit", "H320311770"),  # nine digits
    ("taiwan_permit", "1234567"),
    ("taiwan_permit", "H32031177"),
    ("foreign_permanent_residence", "911398199012310022"),  # check character 1 expected
    ("foreign_permanent_residence", "911398199013310025"),  # month 13
    ("foreign_permanent_residence", "KAZ110090123107"),  # check digit 5 expected
    ("foreign_permanent_residence", "KAZ110091323105"),  # month 13
    ("foreign_permanent_residence", "11010519491231002X"),  # a resident's number
    ("passport", "E123"),
    ("passport", "E1234-5678"),
]


@pytest.mark.parametrize(("id_type", "number"), GOOD)
def test_a_number_of_its_types_shape_and_check_is_good(id_type, number):
    assert document_number_error(id_type, number, TODAY) is None


@pytest.mark.parametrize(("id_type", "number"), BAD)
def test_a_number_off_its_types_rule_is_refused_with_the_types_name(id_type, number):
    expected = "身份证号码格式不正确" if id_type == "resident_id" else f"{ID_TYPES[id_type]}号码格式不正确"
    assert document_number_error(id_type, number, TODAY) == expected


def test_every_wrong_check_character_of_a_2023_card_is_refused():
    first17 = "91139819901231002"
    right = id_check_character(first17)
    for wrong in "0123456789X".replace(right, ""):
        assert document_number_error("foreign_permanent_residence", first17 + wrong, TODAY) is not None
    assert document_number_error("foreign_permanent_residence", first17 + right, TODAY) is None


def test_a_2023_card_born_after_today_is_refused():
    first17 = "91139820270101001"
    assert document_number_error("foreign_permanent_residence", first17 + id_check_character(first17), TODAY)


def test_the_icao_check_digit_is_that_of_icao_9303s_example():
    assert icao_check_digit("L898902C3") == "6"
    assert icao_check_digit("KAZ11009012310") == "5"


def test_an_unknown_type_is_refused():
    assert document_number_error("driving_licence", "E12345678") == "证件类型不正确"


def test_a_clerk_request_without_a_type_is_a_resident_id_and_each_type_is_judged_by_its_rule():
    loaded = ClerkRequestSchema().load({"id_number": "11010519491231002x", "name": "李四", "phone": "13900139000"})
    assert (loaded["id_type"], loaded["id_number"]) == ("resident_id", "11010519491231002X")
    foreign = {"id_type": "foreign_permanent_residence", "id_number": "９１１３９８１９９０１２３１００２１"}
    assert ClerkRequestSchema().load({**foreign, "name": "Anna", "phone": "13900139000"})["id_number"] == (
        "911398199012310021"
    )
    with pytest.raises(ValidationError) as refused:
        ClerkRequestSchema().load(
            {
                "id_type": "foreign_permanent_residence",
                "id_number": "911398199012310022",
                "name": "A",
                "phone": "13900139000",
            }
        )
    assert refused.value.messages == {"id_number": ["外国人永久居留身份证号码格式不正确"]}
    with pytest.raises(ValidationError) as unknown:
        ClerkRequestSchema().load(
            {"id_type": "driving_licence", "id_number": "E12345678", "name": "A", "phone": "13900139000"}
        )
    assert unknown.value.messages == {"id_type": ["证件类型不正确"]}


def test_a_window_grant_names_its_clerk_by_type_and_number():
    request = {
        "uscc": random_uscc(),
        "attachment_ids": ["a1"],
        "grants": [{"id_type": "passport", "id_number": "e12345678", "relation_ids": ["r1"]}],
    }
    [grant] = WindowAuthorizationSchema().load(request)["grants"]
    assert (grant["id_type"], grant["id_number"]) == ("passport", "E12345678")
    request["grants"][0]["id_type"] = "hk_macao_permit"
    with pytest.raises(ValidationError) as refused:
        WindowAuthorizationSchema().load(request)
    assert refused.value.messages == {"grants": {0: {"id_number": ["港澳居民来往内地通行证号码格式不正确"]}}}


def test_a_clerk_event_from_before_document_types_is_a_resident_id():
    data = {
        "clerk_id": "c1",
        "uscc": random_uscc(),
        "id_number": random_id_number(),
        "name": "李四",
        "phone": "13900139000",
        "added_at": "2026-11-01T08:00:00+00:00",
    }
    assert ClerkAddedV1().load(data)["id_type"] == "resident_id"
    with pytest.raises(ValidationError):
        ClerkAddedV1().load({**data, "id_type": "taiwan_permit"})  # an 18-digit number is no 台胞证


def test_a_wrong_number_is_named_beside_the_other_fields_errors():
    with pytest.raises(ValidationError) as refused:
        ClerkRequestSchema().load({"id_number": "110105194912310021", "name": "", "phone": "12345"})
    assert set(refused.value.messages) == {"id_number", "name", "phone"}
    assert refused.value.messages["id_number"] == ["身份证号码格式不正确"]


def test_a_home_return_permit_in_its_older_form_is_the_holders_lifetime_number():
    body = {"id_type": "hk_macao_permit", "name": "陈大文", "phone": "13900139000"}
    older = ClerkRequestSchema().load({**body, "id_number": "h3203117702"})
    current = ClerkRequestSchema().load({**body, "id_number": "H32031177"})
    assert older["id_number"] == current["id_number"] == "H32031177"


def test_an_18_digit_number_starting_with_9_is_a_foreigners_card_whatever_type_it_came_with():
    body = {"id_number": "911398199012310021", "name": "Anna Ivanova", "phone": "13900139000"}
    as_resident = ClerkRequestSchema().load({**body, "id_type": "resident_id"})
    as_foreigner = ClerkRequestSchema().load({**body, "id_type": "foreign_permanent_residence"})
    assert (as_resident["id_type"], as_resident["id_number"]) == (as_foreigner["id_type"], as_foreigner["id_number"])
    assert as_resident["id_type"] == "foreign_permanent_residence"
