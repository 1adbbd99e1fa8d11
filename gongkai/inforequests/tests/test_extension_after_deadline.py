"""The workflow refuses an extension after the reply period ended (条例第三十三条第二款).

The rule is the ledger's (``core.workdays``); the service turns its error into a
refusal. Dates from holidays.md §5.6: received 2026-09-18 → due 2026-10-22,
+40 working days → 2026-11-19.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gongkai.inforequests import services as s
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def _accepted(tree):
    with at("2026-09-18"):
        return s.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )


def test_an_extension_the_day_after_the_deadline_is_refused(tree):
    request = _accepted(tree)
    assert request.due_on == date(2026, 10, 22)
    with at("2026-10-23"), pytest.raises(ValidationError) as err:
        s.inforequest_extend(
            actor=tree.head, request=request, working_days=20, reason="需调阅档案"
        )
    message = " ".join(err.value.messages)
    assert "条例第三十三条第二款" in message
    assert "最迟可在2026年10月22日决定延长" in message
    stored = InfoRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.due_on) == ("in_progress", date(2026, 10, 22))


def test_an_extension_on_the_last_day_is_allowed(tree):
    request = _accepted(tree)
    with at("2026-10-22"):
        request = s.inforequest_extend(
            actor=tree.head, request=request, working_days=20, reason="需调阅档案"
        )
    assert request.due_on == date(2026, 11, 19)
