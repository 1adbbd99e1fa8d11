from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests.intake import Registration, inforequest_register

# A resident ID whose check character is computed by the standard (the identifiers
# module is tested against hand-worked numbers in core/tests/test_identifiers.py).
_BASE17 = "41030219800101123"
RESIDENT_ID = _BASE17 + resident_id_check_character(_BASE17)


def staff_intake_form(organisation: Any = None, /, **overrides: str) -> dict[str, str]:
    """The staff intake screen's fields as an officer fills them in for a paper
    application handed in on 2026-09-18 (``organisation``: the body chosen on the
    form, left out when None)."""
    data = {
        "channel": "in_person",
        "submitted_on": "2026-09-18",
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13812345678",
        "description": "洛浦街道2026年低保名单",
        "form": "paper",
        "delivery": "post",
    }
    if organisation is not None:
        data["organisation"] = str(organisation)
    data.update(overrides)
    return data


def registration(**overrides: Any) -> Registration:
    values: dict[str, Any] = {
        "channel": "in_person",
        "submitted_on": date(2026, 9, 18),
        "applicant_type": "natural",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "address": "河南省洛阳市老城区某路1号",
        "description": "2026年洛浦街道老旧小区改造项目的资金安排文件",
    }
    values.update(overrides)
    return Registration(**values)


def register(actor: Any, organisation: Any, **overrides: Any) -> Any:
    request, _code = inforequest_register(
        actor=actor, organisation=organisation, registration=registration(**overrides)
    )
    return request
