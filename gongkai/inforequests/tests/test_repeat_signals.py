"""Issue 16, requirement 6: the officer sees the same applicant's other applications
to the body with a similarity score, and the count of the last 12 months."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests.repeats import repeat_signals
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db

OTHER_ID = "11010519491231002" + resident_id_check_character("11010519491231002")


def test_the_same_applicant_is_found_by_identity_and_scored(tree):
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        old = register(
            tree.officer,
            tree.street,
            submitted_on=date(2025, 6, 2),
            description="2025年洛浦街道老旧小区改造项目的资金安排文件",
        )
    with time_machine.travel("2026-09-16 10:00 +0800", tick=False):
        alike = register(
            tree.officer,
            tree.street,
            submitted_on=date(2026, 9, 16),
            description="洛浦街道2025年老旧小区改造项目资金安排的文件",
        )
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        case = register(
            tree.officer,
            tree.street,
            description="2025年洛浦街道老旧小区改造项目的资金安排文件",
        )
        different = register(
            tree.officer, tree.street, description="2026年道路维修项目的招标公告"
        )
        register(tree.officer, tree.street, id_number=OTHER_ID)  # someone else
        signals = repeat_signals(case)
    assert signals is not None
    shown = [e.case.pk for e in signals.others]
    assert shown[0] == old.pk and signals.others[0].similarity == 1.0
    assert set(shown) == {old.pk, alike.pk, different.pk}
    by_pk = {e.case.pk: e for e in signals.others}
    assert by_pk[alike.pk].alike and not by_pk[different.pk].alike
    # 2025-06-02 is more than 12 months before 2026-09-18: case, alike, different.
    assert signals.last_12_months == 3
    assert signals.total_others == 3


def test_the_case_page_shows_the_signals(client, tree):
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        first = register(tree.officer, tree.street)
        case = register(tree.officer, tree.street)
        client.force_login(tree.officer)
        page = client.get(reverse("inforequests:detail", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="repeat-signals"' in text
    assert first.tracking_number in text and "100%" in text
    assert '<strong id="applications-12m">2</strong>' in text
