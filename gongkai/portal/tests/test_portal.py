from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.search.services import search_index

pytestmark = pytest.mark.django_db


def application(**overrides):
    data = {
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13800001111",
        "email": "",
        "address": "",
        "postcode": "",
        "legal_representative": "",
        "contact_person": "",
        "description": "2026年洛浦街道道路维修项目的招标公告",
        "form": "electronic",
        "delivery": "email",
        "website": "",
    }
    data.update(overrides)
    return data


def read_captcha(page: str) -> dict[str, str]:
    """Answer the question on an apply page as a person would, with its token."""
    a, b = re.search(r"(\d+) 加 (\d+) 等于几", page).groups()
    token = re.search(r'name="captcha_token" value="([^"]+)"', page).group(1)
    return {"captcha": str(int(a) + int(b)), "captcha_token": token}


def solve_captcha(client, org) -> dict[str, str]:
    page = client.get(reverse("portal:apply", args=[org.pk])).content.decode()
    return read_captcha(page)


@time_machine.travel("2026-09-18 10:00 +0800")
def test_the_public_applies_online_and_gets_a_number_and_a_query_code(client, tree):
    answer = solve_captcha(client, tree.street)
    response = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        application(**answer),
        follow=True,
    )
    page = response.content.decode()
    request = InfoRequest.objects.get()
    assert request.tracking_number in page and "查询码" in page
    assert (request.channel, request.received_on, request.due_on) == (
        "online",
        date(2026, 9, 18),
        date(2026, 10, 22),
    )
    assert AuditEvent.objects.filter(action="inforequest.register", user=None).exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_wrong_captcha_keeps_what_was_typed_and_saves_nothing(client, tree):
    answer = solve_captcha(client, tree.street)
    page = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        application(**{**answer, "captcha": "999"}),
    ).content.decode()
    assert "验证题答案不正确" in page and "2026年洛浦街道道路维修项目的招标公告" in page
    assert not InfoRequest.objects.exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_an_invalid_identity_number_is_explained_next_to_the_field(client, tree):
    answer = solve_captcha(client, tree.street)
    bad = RESIDENT_ID[:-1] + ("0" if RESIDENT_ID[-1] != "0" else "1")
    page = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        application(**answer, id_number=bad),
    ).content.decode()
    assert "校验" in page and not InfoRequest.objects.exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_repeated_submissions_from_one_address_are_limited(client, tree, settings):
    settings.PORTAL_APPLICATIONS_PER_HOUR = 2
    for _ in range(3):
        answer = solve_captcha(client, tree.street)
        response = client.post(
            reverse("portal:apply", args=[tree.street.pk]), application(**answer)
        )
    assert "提交过于频繁" in response.content.decode()
    assert InfoRequest.objects.count() == 2


@time_machine.travel("2026-09-18 10:00 +0800")
def test_the_status_page_needs_the_right_query_code(client, tree):
    answer = solve_captcha(client, tree.street)
    client.post(reverse("portal:apply", args=[tree.street.pk]), application(**answer))
    new = client.session["gongkai_portal_new"]
    wrong = "0" * 8 if new["code"] != "0" * 8 else "1" * 8
    page = client.post(
        reverse("portal:status"),
        {"tracking_number": new["tracking"], "query_code": wrong},
    ).content.decode()
    assert "不正确" in page and "当前进度" not in page
    page = client.post(
        reverse("portal:status"),
        {"tracking_number": new["tracking"], "query_code": new["code"]},
    ).content.decode()
    assert "当前进度" in page and "2026年10月22日" in page


def test_search_finds_two_character_words_and_rejects_one(client, tree):
    search_index(
        kind="publication",
        object_id=1,
        organisation=tree.community_a,
        title="社区政务公开栏更新",
        body="本月更新公开栏",
        url="/x/",
        published_on=date(2026, 5, 1),
    )
    found = client.get(
        reverse("portal:search", args=[tree.street.pk]), {"q": "公开"}
    ).content.decode()
    assert "<mark>公开</mark>" in found
    short = client.get(
        reverse("portal:search", args=[tree.street.pk]), {"q": "公"}
    ).content.decode()
    assert "至少输入 2 个" in short
    elsewhere = client.get(
        reverse("portal:search", args=[tree.sibling_street.pk]), {"q": "公开"}
    ).content.decode()
    assert "没有找到" in elsewhere


def test_the_guide_is_generated_from_the_organisations_data(client, tree):
    tree.street.office_phone = "0379-12345678"
    tree.street.save()
    page = client.get(reverse("portal:guide", args=[tree.street.pk])).content.decode()
    assert "0379-12345678" in page and "20 个工作日" in page and "第二十九条" in page


def test_elderly_mode_is_remembered(client, tree):
    response = client.post(
        reverse("portal:toggle_elderly"), {"next": f"/gk/{tree.street.pk}/"}
    )
    assert response.cookies["gk_elderly"].value == "1"
    page = client.get(f"/gk/{tree.street.pk}/").content.decode()
    assert 'class="portal elderly"' in page


def test_unknown_organisations_are_a_chinese_404(client, db):
    response = client.get("/gk/999999/")
    assert response.status_code == 404


def test_error_pages_are_in_chinese(client, db):
    assert "页面不存在" in client.get("/gk/999999/").content.decode()
