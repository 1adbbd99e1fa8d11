"""Issue 16, requirement 6: the officer sees the same applicant's other applications
to the body with a similarity score, and the count of the last 12 months."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.repeats import repeat_signals
from gongkai.inforequests.tests.factories import (
    RESIDENT_ID,
    register,
    staff_intake_form,
)
from gongkai.orgs.tests.factories import make_user

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


def _intake(tree, **overrides: str) -> dict[str, str]:
    return staff_intake_form(
        tree.street.pk,
        **{
            "id_number": RESIDENT_ID.lower(),
            "description": "2025年洛浦街道老旧小区改造项目的资金安排文件",
            "check_repeats": "1",
            **overrides,
        },
    )


def test_the_intake_form_shows_the_signals_before_registering(client, tree):
    """Before: only the case page, after registering, showed them."""
    with time_machine.travel("2026-09-10 10:00 +0800", tick=False):
        earlier = register(
            tree.officer,
            tree.street,
            submitted_on=date(2026, 9, 10),
            description="洛浦街道2025年老旧小区改造项目资金安排的文件",
        )
        register(
            tree.officer,
            tree.street,
            id_number=OTHER_ID,
            submitted_on=date(2026, 9, 10),
        )  # someone else
        register(
            make_user("t_sibling_officer", tree.sibling_street, "officer"),
            tree.sibling_street,
            submitted_on=date(2026, 9, 10),
        )  # another body
    client.force_login(tree.officer)
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        page = client.post(reverse("inforequests:register"), _intake(tree))
    text = page.content.decode()
    assert page.status_code == 200
    assert InfoRequest.objects.count() == 3  # nothing registered
    assert 'id="repeat-signals"' in text and earlier.tracking_number in text
    assert "相近" in text
    # The earlier one and the one being registered; not the other person's or body's.
    assert '<strong id="applications-12m">2</strong>' in text
    assert text.count('class="similarity"') == 1
    # What was typed is kept for the registration that follows.
    assert "2025年洛浦街道老旧小区改造项目的资金安排文件" in text and "李四" in text


def test_the_intake_signals_refuse_quietly_what_they_cannot_show(client, tree):
    with time_machine.travel("2026-09-10 10:00 +0800", tick=False):
        earlier = register(tree.officer, tree.street, submitted_on=date(2026, 9, 10))
    client.force_login(tree.officer)
    bad = client.post(
        reverse("inforequests:register"), _intake(tree, id_number="1234<script>")
    )
    assert bad.status_code == 200 and "请先选择身份证明类型并填写有效的证件号码" in (
        bad.content.decode()
    )
    garbage = client.post(
        reverse("inforequests:register"),
        _intake(tree, organisation="x", submitted_on="2026-02-31", id_type="?"),
    )
    assert garbage.status_code == 200
    # A 社区 liaison registers for the 街道 but may not read its cases.
    client.force_login(tree.liaison_a)
    liaison = client.post(
        reverse("inforequests:register"),
        _intake(tree, organisation=str(tree.community_a.pk)),
    ).content.decode()
    assert earlier.tracking_number not in liaison
    assert "您不能查看该机关的申请" in liaison
    assert InfoRequest.objects.count() == 1


def test_enter_in_a_field_registers_rather_than_looks_up(client, tree):
    """A browser submits with the form's first submit button when Enter is pressed
    in a field; that must be the register button, not the look-up."""
    client.force_login(tree.officer)
    page = client.get(reverse("inforequests:register")).content.decode()
    form = page[page.index('class="ir-register"') :]
    first_submit = re.search(r"<button[^>]*type=\"submit\"[^>]*>([^<]*)</button>", form)
    assert first_submit is not None
    assert "check_repeats" not in first_submit.group(0)
    assert first_submit.group(1) == "登记并生成接收回执"


def test_the_intake_count_ends_on_the_date_of_receipt_by_channel(client, tree):
    """第三十一条: a registered letter is received when signed for, so the 12 months
    end on the signing date (as on the case page), not on the day it was posted."""
    with time_machine.travel("2026-09-15 10:00 +0800", tick=False):
        register(tree.officer, tree.street, submitted_on=date(2026, 9, 15))
    client.force_login(tree.officer)
    letter = _intake(
        tree,
        channel="registered_post",
        submitted_on="2026-09-10",  # posted before the other one was handed in
        signed_for_on="2026-09-18",
    )
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        page = client.post(reverse("inforequests:register"), letter)
    text = page.content.decode()
    assert '<strong id="applications-12m">2</strong>' in text
