"""The online application form for screen readers and autofill (issue 17, req. 9):
help and error texts linked to their fields, an error summary at the top that
takes the focus after a failed submit, ``autocomplete`` on the applicant's fields."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from gongkai.inforequests.models import InfoRequest
from gongkai.portal.tests.test_portal import application, solve_captcha

pytestmark = pytest.mark.django_db


def _page(client, tree, **overrides):
    answer = solve_captcha(client, tree.street)
    html = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        application(**answer, **overrides),
    ).content.decode()
    return LexborHTMLParser(html)


def test_the_applicants_fields_carry_autocomplete(client, tree):
    html = client.get(reverse("portal:apply", args=[tree.street.pk])).content
    page = LexborHTMLParser(html.decode())
    tokens = {
        name: page.css_first(f'[name="{name}"]').attributes.get("autocomplete")
        for name in ("applicant_name", "phone", "email", "address", "postcode")
    }
    assert tokens == {
        "applicant_name": "name",
        "phone": "tel",
        "email": "email",
        "address": "street-address",
        "postcode": "postal-code",
    }


def test_help_and_errors_are_linked_and_summarised(client, tree):
    page = _page(client, tree, applicant_name="", applicant_type="natural")
    name = page.css_first('[name="applicant_name"]')
    described = (name.attributes.get("aria-describedby") or "").split()
    assert name.attributes.get("aria-invalid") == "true"
    assert described and all(page.css_first(f"#{i}") is not None for i in described)
    assert "请填写姓名或单位名称" in " ".join(
        page.css_first(f"#{i}").text() for i in described
    )
    kind = page.css_first('[name="applicant_type"]')
    helptext = page.css_first(f"#{kind.attributes['aria-describedby']}")
    assert "自然人" in helptext.text()
    summary = page.css_first(".error-summary")
    assert summary is not None and "autofocus" in summary.attributes
    link = summary.css_first('a[href="#id_applicant_name"]')
    assert link is not None and "请填写姓名或单位名称" in link.text()


def test_the_captcha_says_how_long_it_holds_and_a_new_one_keeps_the_form(client, tree):
    url = reverse("portal:apply", args=[tree.street.pk])
    first = LexborHTMLParser(client.get(url).content.decode())
    validity = first.css_first(".captcha-validity")
    assert "2 小时" in validity.text() and validity.css_first("time") is not None
    token = first.css_first('[name="captcha_token"]').attributes["value"]
    typed = application(applicant_name="王五", captcha="", captcha_token=token)
    page = LexborHTMLParser(
        client.post(url, {**typed, "new_captcha": "1"}).content.decode()
    )
    assert page.css_first('[name="applicant_name"]').attributes["value"] == "王五"
    assert page.css_first(".error-summary") is None  # nothing was checked
    assert page.css_first('[name="captcha_token"]').attributes["value"] != token
    assert not InfoRequest.objects.exists()
