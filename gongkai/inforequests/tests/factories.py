from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests.intake import Registration, inforequest_register

# A resident ID whose check character is computed by the standard (the identifiers
# module is tested against hand-worked numbers in core/tests/test_identifiers.py).
_BASE17 = "41030219800101123"
RESIDENT_ID = _BASE17 + resident_id_check_character(_BASE17)


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
