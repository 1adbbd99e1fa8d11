"""The public apply form (/gk/<id>/apply/): every error in one answer (the CAPTCHA
checked too, nothing saved on a wrong answer), telephone numbers checked, and the
done page names the letter the applicant gets (接收回执) — nothing says 已受理 before
the case is accepted."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from gongkai.inforequests.models import InfoRequest
from gongkai.portal.tests.test_portal import application, solve_captcha

pytestmark = pytest.mark.django_db


def apply_url(tree) -> str:
    return reverse("portal:apply", args=[tree.street.pk])


@time_machine.travel("2026-09-18 10:00 +0800")
def test_all_errors_come_in_one_answer_even_with_a_wrong_captcha(client, tree):
    answer = solve_captcha(client, tree.street)
    response = client.post(
        apply_url(tree),
        application(
            **{**answer, "captcha": str(int(answer["captcha"]) + 1)},
            email="not-an-address",
            id_number="123",
            postcode="1",
            phone="abc😀",
        ),
    )
    page = response.content.decode()
    assert "电子邮箱格式不正确" in page
    assert "验证题答案不正确" in page
    assert "证件号码" in page and "18" in page  # the resident ID's own message
    assert "邮政编码应为 6 位数字" in page
    assert "联系电话格式不正确" in page
    assert not InfoRequest.objects.exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_bad_phone_is_refused_with_a_right_captcha(client, tree):
    answer = solve_captcha(client, tree.street)
    response = client.post(apply_url(tree), application(**answer, phone="abc😀"))
    assert "联系电话格式不正确" in response.content.decode()
    assert not InfoRequest.objects.exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_wrong_captcha_saves_nothing_even_when_all_else_is_right(client, tree):
    answer = solve_captcha(client, tree.street)
    wrong = str(int(answer["captcha"]) + 1)
    page = client.post(
        apply_url(tree), application(**{**answer, "captcha": wrong})
    ).content.decode()
    assert "验证题答案不正确" in page
    assert not InfoRequest.objects.exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_the_done_page_offers_the_receipt_by_its_name(client, tree):
    answer = solve_captcha(client, tree.street)
    response = client.post(apply_url(tree), application(**answer), follow=True)
    page = response.content.decode()
    case = InfoRequest.objects.get()
    assert case.status == "received"  # 已登记待审核: not accepted yet
    assert "接收回执" in page
    assert "受理回执" not in page and "已受理" not in page
