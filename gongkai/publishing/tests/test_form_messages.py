"""Issue 17: Django's stock messages ("确保该变量包含不超过 200 字符", "这个字段是必填项。")
are replaced, for every project form, by Chinese that names the field and the limit
(gongkai/formbase.py)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.publishing.models import Publication

pytestmark = pytest.mark.django_db

STOCK = ("确保该变量", "这个字段是必填项", "输入一个有效的", "选择一个有效的选项")


def _errors(page: str) -> list[str]:
    return re.findall(r'class="(?:field-error|errorlist)[^"]*"[^>]*>(.*?)<', page)


def test_a_publication_title_too_long_names_the_field_and_both_counts(client, tree):
    client.force_login(tree.officer)
    response = client.post(
        reverse("publishing:create"),
        {
            "title": "标" * 253,
            "formed_on": "2026-01-05",
            "genre": "notice",
            "attribute": "proactive",
        },
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "标题最多200个字，现有253个字。" in page
    assert not any(stock in page for stock in STOCK)
    assert not Publication.objects.exists()


def test_staff_intake_names_each_missing_field(client, tree):
    client.force_login(tree.officer)
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        page = client.post(
            reverse("inforequests:register"),
            {
                "organisation": str(tree.street.pk),
                "channel": "in_person",
                "submitted_on": "2026-13-40",
                "applicant_type": "natural",
                "id_type": "resident_id",
                "id_number": RESIDENT_ID,
                "phone": "13812345678",
                "postcode": "4710001",
                "form": "paper",
                "delivery": "post",
            },
        ).content.decode()
    assert "请填写申请人姓名/名称。" in page
    assert "提交日期请按“年-月-日”填写" in page
    assert "邮政编码最多6个字，现有7个字。" in page
    assert not any(stock in page for stock in STOCK)


def test_the_online_form_names_the_field_and_a_bad_choice(client, tree):
    page = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        {"applicant_type": "martian", "applicant_name": "", "email": "not-an-address"},
    ).content.decode()
    assert "请填写姓名或单位名称。" in page
    assert "申请人类型：所选的项不在可选范围内，请重新选择。" in page
    assert "电子邮箱" in page and "格式不正确" in page
    assert not any(stock in page for stock in STOCK)
