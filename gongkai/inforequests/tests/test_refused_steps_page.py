"""A refused step on the case page (through the test client): the refusal is shown
at the top of the page in Chinese, once, without the ledger's event numbers; a form
the step's own rule would refuse whatever is typed is not offered.

Dates from holidays.md §5.6: received 2026-09-18 → due 2026-10-22; +20 working days
→ 2026-11-19.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai.inforequests import letters as L
from gongkai.inforequests import services as req
from gongkai.inforequests import steps as S
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import registration

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def accepted(tree) -> InfoRequest:
    with at("2026-09-18"):
        case, _code, _receipt = L.register(
            actor=tree.officer, organisation=tree.street, registration=registration()
        )
        return S.perform("accept", actor=tree.officer, request=case, data={})


def act_url(case: InfoRequest, action: str) -> str:
    return reverse("inforequests:act", args=[case.pk, action])


def summary(body: str) -> str:
    """The text of the refusal summary at the top of the page."""
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', body, re.S)
    assert found, "no error summary on the page"
    return re.sub(r"<[^>]+>", "", found.group(1))


EXTEND = {"working_days": "10", "reason": "需调阅档案"}


def test_a_stale_second_extension_shows_why_it_was_refused(client, tree):
    """Two tabs: A extends; B posts the same (stale) form. B gets the case page with
    the refusal at the top (第三十三条第二款, only one extension), once."""
    case = accepted(tree)
    client.force_login(tree.head)
    with at("2026-09-21"):
        first = client.post(act_url(case, "extend"), EXTEND)
        second = client.post(act_url(case, "extend"), EXTEND)
    assert first.status_code == 302
    assert second.status_code == 400
    body = second.content.decode()
    text = summary(body)
    assert "延长答复期限" in text and "未办理" in text
    assert "条例第三十三条只允许延长一次答复期限" in text
    # The case is 已延期办理 and the form is no longer offered: the message is on the
    # page once (the summary), with no form repeating it.
    assert body.count("只允许延长一次答复期限") == 1
    fresh = InfoRequest.objects.get(pk=case.pk)
    assert fresh.letters.filter(kind="extension").count() == 1


@pytest.mark.parametrize(
    "action,data,expected",
    [
        # 已受理 (办理中): accepting again is not a step of this status.
        ("accept", {}, "审核通过"),
        # 办理中: the reply cannot be sent before a decision.
        ("send_reply", {}, "答复"),
        # 办理中: no 补正 was asked, none can be received.
        ("receive_clarification", {}, "收到补正"),
    ],
)
def test_every_refused_action_is_reported_at_the_top(
    client, tree, action, data, expected
):
    """Not only extend: any step posted where it is not possible gets a Chinese
    summary naming the step, and nothing changes."""
    case = accepted(tree)
    before = InfoRequest.objects.get(pk=case.pk).status
    client.force_login(tree.head)
    with at("2026-09-21"):
        response = client.post(act_url(case, action), data)
    if response.status_code == 302:  # the step was lawful here: nothing to report
        pytest.skip(f"{action} is possible on an accepted case")
    assert response.status_code == 400
    text = summary(response.content.decode())
    assert expected in text and "未办理" in text
    assert re.search(r"[A-Za-z_]{6,}", text) is None, text  # no internal key
    assert InfoRequest.objects.get(pk=case.pk).status == before


def test_an_extension_after_the_deadline_names_the_step_not_the_event_number(
    client, tree
):
    case = accepted(tree)
    client.force_login(tree.head)
    with at("2026-10-23"):
        page = client.get(reverse("inforequests:detail", args=[case.pk]))
        response = client.post(act_url(case, "extend"), {**EXTEND, "on": "2026-10-23"})
    assert response.status_code == 400
    body = response.content.decode()
    text = summary(body)
    assert "最迟可在2026年10月22日决定延长" in text
    assert "个事件" not in body
    # Once on the page, not again inside the form.
    assert body.count("最迟可在2026年10月22日决定延长") == 1
    # The form is still offered: dated on or before 22 October it is lawful.
    assert act_url(case, "extend") in page.content.decode()


def test_the_api_refusal_has_no_event_number(client, tree):
    case = accepted(tree)
    client.force_login(tree.head)
    with at("2026-10-23"):
        response = client.post(
            f"/api/requests/{case.pk}/extension",
            {"working_days": 10, "reason": "需调阅档案"},
            content_type="application/json",
        )
    assert response.status_code == 400
    detail = str(response.json())
    assert "个事件" not in detail
    assert "条例第三十三条第二款" in detail and "延长答复期限：" in detail


def test_a_field_error_is_shown_once_in_full(client, tree):
    """A short field message: under the field and as a link in the summary."""
    case = accepted(tree)
    client.force_login(tree.head)
    with at("2026-09-21"):
        response = client.post(act_url(case, "extend"), {"working_days": "10"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#extend-reason"' in summary_html(body)


def summary_html(body: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', body, re.S)
    assert found
    return found.group(1)


# --------------------------------------------------------------------------- item 2


def reopened(tree) -> InfoRequest:
    case = accepted(tree)
    with at("2026-09-25"):
        case = req.inforequest_decide(
            actor=tree.officer, request=case, outcome="granted", note="首次答复"
        )
        case = req.inforequest_send_reply(actor=tree.head, request=case)
    with at("2026-10-12"):
        return req.inforequest_reopen(
            actor=tree.officer,
            request=case,
            on=date(2026, 10, 12),
            decided_on=date(2026, 10, 5),
            delivered_on=date(2026, 10, 8),
            period_working_days=10,
            appeal_ref="测复决〔2026〕1号",
        )


def test_a_reopened_case_offers_no_extension(client, tree):
    case = reopened(tree)
    client.force_login(tree.head)
    with at("2026-10-12"):
        body = client.get(reverse("inforequests:detail", args=[case.pk])).content
    page = body.decode()
    assert case.status == "in_progress"
    assert act_url(case, "extend") not in page
    # The reason is the rule's own words, said once, without a form.
    assert "不适用条例第三十三条的延长" in page
    # Other steps are still offered.
    assert act_url(case, "decide") in page


def test_the_precondition_is_the_rule_the_step_runs(tree):
    """Whatever ``unavailable`` says, the step refuses too (and vice versa)."""
    case = reopened(tree)
    with at("2026-10-12"):
        reason = S.unavailable(S.Action.EXTEND, case, date(2026, 10, 12))
        with pytest.raises(Exception) as refused:
            S.perform(
                "extend",
                actor=tree.head,
                request=case,
                data={"working_days": 1, "reason": "x"},
            )
    assert reason is not None and "第三十三条" in reason
    assert reason.split("：")[-1] in " ".join(refused.value.messages)
    fresh = accepted(tree)
    assert S.unavailable(S.Action.EXTEND, fresh, date(2026, 9, 21)) is None


def test_an_extended_case_offers_no_second_extension(client, tree):
    case = accepted(tree)
    with at("2026-09-21"):
        case = S.perform(
            "extend",
            actor=tree.head,
            request=case,
            data={"working_days": 5, "reason": "需调阅档案"},
        )
        client.force_login(tree.head)
        page = client.get(reverse("inforequests:detail", args=[case.pk])).content
    assert act_url(case, "extend") not in page.decode()


# --------------------------------------------------------------------------- item 7


def test_the_accept_form_says_that_no_correction_follows_it(client, tree):
    """补正 belongs to 审核 (条例第三十条, 第四十五条; spec regulation.md §7): once
    accepted, no 补正 form — and the accept form says so before the click."""
    with at("2026-09-18"):
        case, _code, _receipt = L.register(
            actor=tree.officer, organisation=tree.street, registration=registration()
        )
        client.force_login(tree.officer)
        before = client.get(reverse("inforequests:detail", args=[case.pk])).content
        S.perform("accept", actor=tree.officer, request=case, data={})
        after = client.get(reverse("inforequests:detail", args=[case.pk])).content
    assert "此后不能再告知补正" in before.decode()
    assert act_url(case, "request_clarification") in before.decode()
    assert act_url(case, "request_clarification") not in after.decode()
