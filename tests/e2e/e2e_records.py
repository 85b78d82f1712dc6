"""Source records and registration bodies for the end-to-end tests."""

import json
import random


def source_record(uscc, name, rep, rep_id, units=()):
    return {
        "uscc": uscc,
        "name": name,
        "address": "黑龙江省哈尔滨市",
        "legal_rep_name": rep,
        "legal_rep_id": rep_id,
        "legal_rep_phone": "13900000000",
        "units": list(units),
    }


def import_records(platform, tmp_path, source, *records, extra_lines=()):
    path = tmp_path / f"{source}-{random.randint(0, 10**6)}.jsonl"
    path.write_text("\n".join([json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)) + "\n")
    result = platform.hrssctl("sources", "import", "--source", source, str(path))
    assert result.returncode == 0, result.stderr
    return result.stdout


def application(uscc, name, rep, rep_id, **extra):
    return {"uscc": uscc, "name": name, "legal_rep_name": rep, "legal_rep_id": rep_id, "phone": "13900000001", **extra}
