"""Free text on the case page has a limit (issue 17, requirement 9): 需要补正的事项,
the decision's 理由/说明, 不予处理的理由, 转办理由, 协办事项 and the answers — longer
input is refused in Chinese naming the field and both counts, the typed text is
kept, and the case does not move."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from gongkai.inforequests import letters as L
from gongkai.inforequests import services as s
from gongkai.inforequests.models import Assistance, InfoRequest
from gongkai.inforequests.tests.factories import registration
from gongkai.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def _received(tree) -> InfoRequest:
    case, _code, _receipt = L.register(
        actor=tree.officer, organisation=tree.street, registration=registration()
    )
    return case


def _accepted(tree) -> InfoRequest:
    return s.inforequest_accept(actor=tree.officer, request=_received(tree))


@pytest.mark.parametrize(
    ("accepted", "action", "data", "message"),
    [
        (
            False,
            "request_clarification",
            {"deadline": "2026-10-09", "what": "补" * 1001},
            "需要补正的事项最多1000个字，现有1001个字。",
        ),
        (
            True,
            "decide",
            {"outcome": "granted", "note": "理" * 1500},
            "理由/说明最多1000个字，现有1500个字。",
        ),
    ],
)
def test_an_oversized_text_is_refused_and_kept(
    client, tree, accepted, action, data, message
):
    with at("2026-09-18"):
        case = _accepted(tree) if accepted else _received(tree)
        before = (case.status, case.letters.count())
        client.force_login(tree.officer)
        response = client.post(
            reverse("inforequests:act", args=[case.pk, action]), data
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    long_text = next(v for v in data.values() if len(v) > 100)
    assert long_text in page  # the typed text is still in its field
    case.refresh_from_db()
    assert (case.status, case.letters.count()) == before


def test_an_oversized_assistance_answer_is_refused(client, tree):
    other = make_user("t_sibling_officer", tree.sibling_street, "officer")
    with at("2026-09-22"):
        case = _accepted(tree)
        item = s.assistance_request(
            actor=tree.officer,
            request=case,
            organisation=tree.sibling_street,
            question="请提供贵街道掌握的相关部分",
            due_on=date(2026, 9, 30),
        )
        client.force_login(other)
        response = client.post(
            reverse("inforequests:assistance_answer", args=[item.pk]),
            {"answer": "复" * 2001},
            follow=True,
        )
    assert response.status_code == 200
    assert "协办回复最多2000个字，现有2001个字。" in response.content.decode()
    assert Assistance.objects.get(pk=item.pk).answered_on is None


def test_the_limits_are_told_to_the_browser(client, tree):
    with at("2026-09-18"):
        case = _received(tree)
        client.force_login(tree.officer)
        page = client.get(reverse("inforequests:detail", args=[case.pk])).content
    html = LexborHTMLParser(page.decode())
    limits = {
        selector: html.css_first(selector).attributes.get("maxlength")
        for selector in (
            "#act-request_clarification [name=what]",
            "#transfer-reason",
            "#assistance-question",
        )
    }
    assert set(limits.values()) == {"1000"}, limits


# The same limits through the API (one table, core/inforequest_text.py, enforced by
# the step layer and the services — not only by the forms).


def _api(client, url: str, body: dict) -> tuple[int, dict]:
    response = client.post(url, body, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("accepted", "path", "body", "message"),
    [
        (
            False,
            "clarification",
            {"deadline": "2026-10-09", "what": "补" * 50_000},
            "需要补正的事项最多1000个字，现有50000个字。",
        ),
        (
            True,
            "decision",
            {"outcome": "granted", "note": "理" * 1001},
            "理由/说明最多1000个字，现有1001个字。",
        ),
        (
            True,
            "decision",
            {"outcome": "granted", "details": {"search_scope": "范" * 501}},
            "最多500个字，现有501个字。",
        ),
        (
            True,
            "withdrawal",
            {"note": "撤" * 201},
            "说明最多200个字，现有201个字。",
        ),
        (
            True,
            "transfers",
            {"to_organisation_id": None, "reason": "转" * 1001},
            "转办理由最多1000个字，现有1001个字。",
        ),
    ],
)
def test_the_api_refuses_an_oversized_text_in_chinese(
    client, tree, accepted, path, body, message
):
    with at("2026-09-18"):
        case = _accepted(tree) if accepted else _received(tree)
        before = (case.status, case.letters.count())
        client.force_login(tree.officer)
        if path == "transfers":
            body = {**body, "to_organisation_id": tree.sibling_street.pk}
        status, answer = _api(client, f"/api/requests/{case.pk}/{path}", body)
    assert status == 400, answer
    assert message in answer["detail"]
    case.refresh_from_db()
    assert (case.status, case.letters.count()) == before


def test_the_api_refuses_an_oversized_assistance_question(client, tree):
    with at("2026-09-22"):
        case = _accepted(tree)
        client.force_login(tree.officer)
        status, answer = _api(
            client,
            f"/api/requests/{case.pk}/assistance",
            {"organisation_id": tree.sibling_street.pk, "question": "协" * 1001},
        )
    assert status == 400
    assert answer["detail"] == "协办事项最多1000个字，现有1001个字。"
    assert not Assistance.objects.filter(request=case).exists()
