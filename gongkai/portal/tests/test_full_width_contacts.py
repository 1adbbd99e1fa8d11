"""A telephone number, e-mail address, id number or postcode typed in full-width
characters (a Chinese input method's default) is taken by every public form and
stored in ASCII: the feedback box, the 意见征集 comment and the online application."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.engagement.models import ConsultationComment
from gongkai.engagement.tests.factories import captcha_fields, on, open_consultation
from gongkai.feedback.models import Feedback
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.portal.tests.test_portal import application, solve_captcha
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

FULL_WIDTH_PHONE = "１３８００１３８０００"
PHONE = "13800138000"


def _full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (U+FF01…U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_the_full_width_helper_of_this_test_writes_what_an_input_method_types():
    assert _full_width("13800138000") == FULL_WIDTH_PHONE


def test_the_feedback_box_takes_a_full_width_phone_and_stores_it_in_ascii(tree):
    pub = make_live(tree.street, tree.officer, tree.head, title="老旧小区改造公示")
    page = reverse("portal:publication", args=[tree.street.pk, pub.pk])
    response = Client().post(
        page, {"comment": "希望公开进度", "contact": FULL_WIDTH_PHONE}
    )
    assert response.status_code == 302
    assert Feedback.objects.get().contact == PHONE


def test_a_consultation_comment_takes_a_full_width_email_in_ascii(tree):
    today = date(2026, 3, 5)
    c = open_consultation(tree, today, date(2026, 4, 30))
    url = f"/gk/{tree.street.pk}/consultations/{c.pk}/"
    visitor = Client()
    with on(today):
        form = visitor.get(url).content.decode()
        response = visitor.post(
            url,
            {
                "text": "建议增加无障碍设施",
                "contact": _full_width("zhang@163.com"),
                **captcha_fields(form),
            },
        )
    assert response.status_code == 302
    assert ConsultationComment.objects.get().contact == "zhang@163.com"


@time_machine.travel("2026-09-18 10:00 +0800")
def test_an_online_application_stores_full_width_contacts_in_ascii(client, tree):
    answer = solve_captcha(client, tree.street)
    response = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        application(
            **answer,
            phone=FULL_WIDTH_PHONE,
            email=_full_width("li.si@example.cn"),
            postcode=_full_width("471000"),
            id_number=_full_width(RESIDENT_ID),
        ),
    )
    assert response.status_code == 302
    case = InfoRequest.objects.get()
    assert (case.phone, case.email, case.postcode, case.id_number) == (
        PHONE,
        "li.si@example.cn",
        "471000",
        RESIDENT_ID,
    )
