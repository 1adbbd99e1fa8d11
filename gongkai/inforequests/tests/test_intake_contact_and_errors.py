"""Intake on the staff form and the API: a telephone number must be one (one rule,
``core.inforequest_intake.phone_error``, run by ``intake``), and every error of the
form comes in one answer, not round by round."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from gongkai.core.inforequest_intake import phone_error
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import staff_intake_form

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def staff_form(tree, **overrides: str) -> dict[str, str]:
    return staff_intake_form(
        tree.street.pk, **{"email": "", "address": "", **overrides}
    )


@pytest.mark.parametrize(
    "typed",
    ["13912345678", "0903-1234567", "(0903) 123 4567", "+86 139 1234 5678", "1234567"],
)
def test_numbers_people_write_are_phone_numbers(typed):
    assert phone_error(typed) is None


@pytest.mark.parametrize(
    "typed", ["abc😀", "😀😀", "123456", "1" * 21, "+86", "139x1234"]
)
def test_other_text_is_not(typed):
    assert "联系电话格式不正确" in (phone_error(typed) or "")


def test_staff_intake_refuses_emoji_as_the_only_contact(client, tree):
    client.force_login(tree.officer)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"), staff_form(tree, phone="😀😀")
        )
    assert response.status_code == 400
    assert "联系电话格式不正确" in response.content.decode()
    assert not InfoRequest.objects.exists()


def test_the_api_refuses_a_phone_that_is_not_one(client, tree):
    client.force_login(tree.officer)
    body = {
        k: v for k, v in staff_form(tree, phone="abc😀").items() if k != "organisation"
    }
    with at("2026-09-18"):
        response = client.post(
            "/api/requests/",
            {**body, "organisation_id": tree.street.pk},
            content_type="application/json",
        )
    assert response.status_code in (400, 422), response.content
    assert "联系电话格式不正确" in str(response.json())
    assert not InfoRequest.objects.exists()


def test_staff_intake_reports_every_error_at_once(client, tree):
    """Missing choices and a 1900 提交日期, a short 证件号码, a bad phone: all in one."""
    client.force_login(tree.officer)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"),
            staff_form(
                tree,
                channel="",
                applicant_type="",
                submitted_on="1900-01-01",
                id_number="123",
                phone="😀",
                postcode="1",
            ),
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请选择申请方式" in page or "申请方式" in page
    assert "条例》施行之日" in page  # the 1900 date, in the same answer
    assert "联系电话格式不正确" in page
    assert "邮政编码应为 6 位数字" in page
    assert not InfoRequest.objects.exists()
