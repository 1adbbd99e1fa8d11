"""Issue 17: staff intake took text of any length (a 5,000-character description gave a
ten-page 回执). It now has the online form's limits (one table,
``core/inforequest_intake.INTAKE_MAX_LENGTHS``) and every letter quotes the request in
at most 200 characters."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.urls import reverse

from gongkai.core import fees
from gongkai.inforequests import services as req
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import (
    register,
    staff_intake_form,
)

pytestmark = pytest.mark.django_db


def _form(organisation: int, **overrides: str) -> dict[str, str]:
    return staff_intake_form(
        organisation, **{"description": "甲社区2026年公益岗位录用名单", **overrides}
    )


def test_staff_intake_refuses_a_description_longer_than_the_online_form_takes(
    client, tree
):
    client.force_login(tree.officer)
    typed = "洛浦街道老旧小区改造项目资金安排" * 300  # 4,800 characters
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        response = client.post(
            reverse("inforequests:register"),
            _form(tree.street.pk, description=typed, address="路" * 201),
        )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert not InfoRequest.objects.exists()
    assert "2000" in page  # the limit is named …
    assert "4800" in page  # … and what was typed
    assert "200" in page and "201" in page  # the address too, in the same answer
    assert typed in page  # nothing typed is lost


def test_a_receipt_of_the_longest_description_stays_short(client, tree):
    client.force_login(tree.officer)
    typed = "第一段：洛浦街道老旧小区改造项目资金安排。\n" * 95  # 2,000 characters
    typed = typed[:2000]
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        client.post(
            reverse("inforequests:register"), _form(tree.street.pk, description=typed)
        )
    case = InfoRequest.objects.get()
    assert case.description == typed.strip()  # the application keeps the full text
    receipt = case.letters.get()
    text = "".join(receipt.content["paragraphs"])
    assert "第一段：洛浦街道老旧小区改造项目资金安排。 第一段" in text  # one line
    assert "……" in text
    assert len(text) < 800


def test_staff_intake_refuses_an_email_address_that_cannot_be_delivered(client, tree):
    """Found trying staff intake as a new officer: "a@b" was registered, and the
    electronic letters to it could never arrive."""
    client.force_login(tree.officer)
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        response = client.post(
            reverse("inforequests:register"), _form(tree.street.pk, email="a@b")
        )
    assert response.status_code in (200, 400)
    assert "电子邮箱格式不正确" in response.content.decode()
    assert not InfoRequest.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        {"method": "per_volume", "pages": "1000000000000"},
        {"method": "per_piece", "pieces": "1000000000000"},
    ],
)
def test_a_fee_of_a_mistyped_huge_count_is_refused_at_once(client, tree, typed):
    """Found trying the case page as a new officer: 10^12 pages in 收费通知 hung the
    request (the itemisation walked the pages one by one)."""
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        case = req.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
        client.force_login(tree.officer)
        started = time.monotonic()
        response = client.post(
            reverse("inforequests:act", args=[case.pk, "issue_fee_notice"]), typed
        )
    assert time.monotonic() - started < 60
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "不能大于" in page or "不能超过" in page
    assert not case.letters.filter(kind="fee_notice").exists()


def test_the_fee_calculator_refuses_counts_beyond_its_limits():
    with pytest.raises(fees.FeeError, match="页数不能超过"):
        fees.assess_per_volume(pages=10**12)
    with pytest.raises(fees.FeeError, match="件数不能超过"):
        fees.assess_per_piece(earlier_pieces_this_month=0, pieces=10**12)
    assert fees.assess_per_volume(pages=fees.MAX_PAGES).amount > 0
