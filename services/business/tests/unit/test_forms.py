"""Forms checked against their item's JSON Schema: each problem in Chinese under its field."""

import pytest

from hrss_business.adapters.catalogue_file import load_catalogue
from hrss_business.adapters.forms import JsonSchemaForms
from hrss_contracts.examples import random_id_number

pytestmark = pytest.mark.unit

CATALOGUE = load_catalogue()


def problems(code, form):
    return JsonSchemaForms().problems(CATALOGUE.get(code), form)


def employee(**changes):
    return {"id_number": random_id_number(), "name": "张三", "hired_on": "2026-11-01", "monthly_wage": 5000, **changes}


def test_a_good_form_has_no_problems():
    form = {"employees": [employee(mobile="13900139000")], "insurance_types": ["110", "210"], "start_month": "2026-11"}
    assert problems("employee-registration", form) == {}


def test_problems_inside_a_list_are_named_by_their_position():
    form = {
        "employees": [employee(), employee(hired_on="2026-13-01", monthly_wage=-1, mobile="13900139000\n")],
        "insurance_types": ["110", "110", "999"],
        "start_month": "2026-11",
    }
    assert problems("employee-registration", form) == {
        "form.employees.1.hired_on": ["日期格式不正确(YYYY-MM-DD)"],
        "form.employees.1.monthly_wage": ["月工资(元)不能小于0"],
        "form.employees.1.mobile": ["手机号格式不正确"],
        "form.insurance_types": ["参保险种不能重复"],
        "form.insurance_types.2": ["险种编码不在可选范围内"],
    }


def test_missing_fields_wrong_types_and_unknown_fields_are_each_named():
    found = problems("employee-registration", {"employees": "张三", "nickname": "x"})
    assert found == {
        "form.employees": ["增员人员应为列表"],
        "form.insurance_types": ["参保险种不能为空"],
        "form.start_month": ["参保起始年月不能为空"],
        "form.nickname": ["不允许的字段"],
    }


def test_a_date_is_a_calendar_date_written_yyyy_mm_dd():
    for written in ("2024-W01-1", "20240101", "2024-02-30", "２０２４-01-01"):
        form = {"employees": [employee(hired_on=written)], "insurance_types": ["110"], "start_month": "2026-11"}
        assert problems("employee-registration", form) == {"form.employees.0.hired_on": ["日期格式不正确(YYYY-MM-DD)"]}


def test_the_platforms_check_digits_apply_to_codes_and_id_numbers():
    form = {
        "uscc": "91230100MA1B2C3D4X",
        "name": "公司",
        "legal_rep_name": "李四",
        "legal_rep_id": "110105194912310021",
    }
    assert problems("unit-key-info", form) == {
        "form.uscc": ["统一社会信用代码格式不正确"],
        "form.legal_rep_id": ["身份证号码格式不正确"],
    }
