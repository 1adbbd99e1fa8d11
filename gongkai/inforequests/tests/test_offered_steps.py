"""A step the 条例 refuses on a case whatever the form holds is not offered: the case
page lists it as 目前不能办理 with the reason (the article, and the first day it becomes
possible where there is one), the API leaves it out of ``allowed_actions`` and gives
the same reason, and submitting it anyway is refused in exactly those words.

Dates are worked by hand from the 2026 schedule (holidays.md §4/§5.6): 9-25 and
10-1..10-7 are off, 9-20 (Sun) and 10-10 (Sat) are worked. Received 2026-09-18:
+7 working days → 9-29 (补正 notice), +20 → 10-22 (reply).
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from gongkai.core.inforequest_rules import STEP_DATE_RULES
from gongkai.inforequests import services
from gongkai.inforequests import steps as S
from gongkai.inforequests.models import InfoRequest, LetterSettings
from gongkai.inforequests.tests.test_api import (
    API,
    _long_sessions,  # noqa: F401 - the tests travel over weeks (autouse fixture)
    at,
    post,
    register,
    step,
)
from gongkai.inforequests.tests.test_lawful_steps import (
    officer,  # noqa: F401 - signs in the office head, who may take every step
)
from gongkai.orgs.tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("officer")]


def _page(client, case_id: int, day: str) -> str:
    with at(day):
        response = client.get(reverse("inforequests:detail", args=[case_id]))
    assert response.status_code == 200
    return response.content.decode()


def _form_url(case_id: int, action: str) -> str:
    return reverse("inforequests:act", args=[case_id, action])


def _not_offered_reason(page: str, label: str) -> str | None:
    """The reason the case page gives under 办理 for a step it does not offer."""
    found = re.search(
        rf"<li>{re.escape(label)}：目前不能办理。(.*?)</li>", page, flags=re.S
    )
    return html.unescape(found.group(1)) if found else None


def _api_case(client, case_id: int, day: str) -> dict[str, Any]:
    """The case as the API reads it — alone and in the list, which must agree."""
    with at(day):
        alone = client.get(f"{API}/{case_id}")
        listed = client.get(f"{API}/", {"status": "all"})
    assert alone.status_code == listed.status_code == 200
    [in_list] = [c for c in listed.json()["items"] if c["id"] == case_id]
    for key in ("allowed_actions", "backdated_actions", "unavailable_actions"):
        assert in_list[key] == alone.json()[key]
    return alone.json()


def _summary_items(page: str) -> list[str]:
    """The messages of the refusal summary at the top of the page."""
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no refusal summary on the page"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", i)) for i in items]


def assert_not_offered(
    client,
    case_id: int,
    day: str,
    *,
    action: str,
    label: str,
    form: dict[str, str],
    api_path: str,
    api_body: dict[str, Any] | None = None,
) -> str:
    """Not offered on the page nor in the API, with one reason; the step, submitted
    anyway from the page or the API, is refused in exactly those words and changes
    nothing. Returns the reason."""
    page = _page(client, case_id, day)
    assert _form_url(case_id, action) not in page
    reason = _not_offered_reason(page, label)
    assert reason, f"{label}: no reason on the case page"
    case = _api_case(client, case_id, day)
    assert action not in case["allowed_actions"]
    [listed] = [u for u in case["unavailable_actions"] if u["action"] == action]
    assert (listed["label"], listed["reason"]) == (label, reason)
    before = InfoRequest.objects.get(pk=case_id)
    with at(day):
        submitted = client.post(_form_url(case_id, action), form)
        through_api = post(client, f"{API}/{case_id}/{api_path}", api_body)
    assert submitted.status_code == 400
    assert _summary_items(submitted.content.decode()) == [reason]
    assert through_api.status_code == 400
    assert through_api.json()["detail"] == reason
    after = InfoRequest.objects.get(pk=case_id)
    assert (after.status, after.events.count()) == (
        before.status,
        before.events.count(),
    )
    return reason


def assert_offered(client, case_id: int, day: str, *, action: str, label: str) -> None:
    page = _page(client, case_id, day)
    assert _form_url(case_id, action) in page
    assert _not_offered_reason(page, label) is None
    assert action in _api_case(client, case_id, day)["allowed_actions"]


def _accepted(client, tree) -> int:
    case = register(client, tree, "2026-09-18")["request"]
    step(client, "2026-09-18", case["id"], "accept")
    return int(case["id"])


def _assistance(tree, case_id: int, day: str) -> None:
    """A later step of the case (协办 asked of the neighbouring street): no step can be
    dated before it."""
    with at(day):
        services.assistance_request(
            actor=tree.officer,
            request=InfoRequest.objects.get(pk=case_id),
            organisation=tree.sibling_street,
            question="请提供贵办保存的相关会议纪要",
            on=date.fromisoformat(day),
        )


# --------------------------------------------------------------------------- 条例第三十条


def test_no_correction_notice_once_the_last_step_is_after_the_seventh_working_day(
    client, tree
):
    case_id = int(register(client, tree, "2026-09-18")["request"]["id"])
    label = "一次性告知补正"
    # On 9-30 a notice given by 9-29, the seventh working day, can still be recorded
    # (补录, test_backdated_steps.py); from 10-8 no step may be dated before 9-30.
    page = _page(client, case_id, "2026-09-30")
    assert _form_url(case_id, "request_clarification") in page
    backdated = _api_case(client, case_id, "2026-09-30")["backdated_actions"]
    assert [(b["action"], b["possible_until"]) for b in backdated] == [
        ("request_clarification", "2026-09-29")
    ]
    _assistance(tree, case_id, "2026-09-30")
    reason = assert_not_offered(
        client,
        case_id,
        "2026-10-08",
        action="request_clarification",
        label=label,
        form={"deadline": "2026-10-30", "what": "请写明所需文件的名称"},
        api_path="clarification",
        api_body={"deadline": "2026-10-30", "what": "请写明所需文件的名称"},
    )
    assert "条例第三十条" in reason and "2026年9月29日" in reason


def test_a_step_by_someone_who_may_only_read_is_refused_as_such_not_by_the_rule(
    client, tree
):
    """The rule's refusal is for those who may take the step; someone who may only
    read the case (the district's supervisor) is told they may not act at all."""
    from django.core.exceptions import PermissionDenied

    case_id = int(register(client, tree, "2026-09-18")["request"]["id"])
    _assistance(tree, case_id, "2026-09-30")
    with at("2026-10-08"), pytest.raises(PermissionDenied):
        S.perform(
            "request_clarification",
            actor=tree.supervisor,
            request=InfoRequest.objects.get(pk=case_id),
            data={"deadline": date(2026, 10, 30), "what": "请写明所需文件的名称"},
        )


def test_closing_for_no_correction_is_offered_only_after_the_deadline(client, tree):
    case_id = int(register(client, tree, "2026-09-18")["request"]["id"])
    step(
        client,
        "2026-09-21",
        case_id,
        "clarification",
        {"deadline": "2026-10-16", "what": "请写明所需文件的名称或文号"},
    )
    label = "逾期未补正"
    reason = assert_not_offered(
        client,
        case_id,
        "2026-09-22",
        action="expire_clarification",
        label=label,
        form={},
        api_path="clarification/expired",
    )
    assert "第三十条" in reason
    assert "2026年10月16日" in reason and "2026年10月17日起" in reason
    listed = _api_case(client, case_id, "2026-09-22")["unavailable_actions"]
    assert [u["possible_from"] for u in listed] == ["2026-10-17"]
    assert_offered(
        client, case_id, "2026-10-19", action="expire_clarification", label=label
    )


# --------------------------------------------------------------------------- fees


FEE_FORM = {"method": "per_volume", "pages": "150"}


def test_no_fee_notice_once_the_last_step_is_after_the_reply_period(client, tree):
    case_id = _accepted(client, tree)
    label = "发出收费通知"
    assert_offered(
        client, case_id, "2026-10-22", action="issue_fee_notice", label=label
    )
    _assistance(tree, case_id, "2026-10-23")
    reason = assert_not_offered(
        client,
        case_id,
        "2026-10-23",
        action="issue_fee_notice",
        label=label,
        form=FEE_FORM,
        api_path="fee-notice",
        api_body={"method": "per_volume", "pages": 150},
    )
    assert "条例第四十二条" in reason and "2026年10月22日届满" in reason


def test_closing_for_non_payment_is_offered_only_after_the_payment_period(client, tree):
    case_id = _accepted(client, tree)
    step(
        client,
        "2026-09-21",
        case_id,
        "fee-notice",
        {"method": "per_volume", "pages": 150, "delivered_on": "2026-09-21"},
    )
    label = "逾期未缴费"
    # 20 working days from the day after 9-21: 9-22 … 10-26.
    reason = assert_not_offered(
        client,
        case_id,
        "2026-10-26",
        action="expire_fee",
        label=label,
        form={},
        api_path="fee-expired",
    )
    assert "国办函〔2020〕109号" in reason
    assert "2026年10月26日" in reason and "2026年10月27日起" in reason
    assert_offered(client, case_id, "2026-10-27", action="expire_fee", label=label)


# --------------------------------------------------------------------------- 第三十三条


def test_a_second_extension_is_refused_in_the_words_the_page_gives(client, tree):
    """Extended by the full 20 days, then back to 办理中 after a consultation: the
    table allows 延长 again, the ledger (one extension, 第三十三条第二款) does not —
    and the page, the API and the step say so in the same words."""
    case_id = _accepted(client, tree)
    label = "延长答复期限"
    assert_offered(client, case_id, "2026-09-21", action="extend", label=label)
    step(
        client,
        "2026-09-21",
        case_id,
        "extension",
        {"working_days": 20, "reason": "需调阅档案"},
    )
    step(
        client,
        "2026-09-22",
        case_id,
        "consultations",
        {"party": "other_agency", "name": "测试区档案馆"},
    )
    step(client, "2026-09-23", case_id, "consultations/end", {"opinion": "agree"})
    reason = assert_not_offered(
        client,
        case_id,
        "2026-09-24",
        action="extend",
        label=label,
        form={"working_days": "10", "reason": "需调阅档案"},
        api_path="extension",
        api_body={"working_days": 10, "reason": "需调阅档案"},
    )
    assert "条例第三十三条" in reason and "只允许延长一次" in reason


def test_every_step_date_rule_is_asked_before_its_step_is_offered():
    assert set(STEP_DATE_RULES) | {S.Action.EXTEND} <= set(S.PRECONDITIONS)


# --------------------------------------------------------------------------- 复议机关


def test_no_reply_steps_at_the_top_of_the_tree_until_its_review_body_is_set(
    client, tree
):
    """A reply letter names the 行政复议机关 (行政复议法第二十四条); the district has no
    parent to default to, so until 文书设置 names one, no step that writes a reply is
    offered on its cases."""
    client.force_login(make_user("t_district_head", tree.district, "head"))
    case_id = int(
        register(client, tree, "2026-09-18", org=tree.district)["request"]["id"]
    )
    body = {"outcome": "granted", "detail_provision": "随本告知书提供复印件"}
    reason = assert_not_offered(
        client,
        case_id,
        "2026-09-28",
        action="decide",
        label="作出处理决定",
        form=body,
        api_path="decision",
        api_body={
            "outcome": "granted",
            "details": {"provision": "随本告知书提供复印件"},
        },
    )
    assert "行政复议法第二十四条" in reason and "文书设置" in reason
    page = _page(client, case_id, "2026-09-28")
    assert _not_offered_reason(page, "当场答复") == reason
    LetterSettings.objects.create(
        organisation=tree.district, review_body="测试市人民政府"
    )
    assert_offered(client, case_id, "2026-09-28", action="decide", label="作出处理决定")
    assert_offered(
        client, case_id, "2026-09-28", action="answer_on_the_spot", label="当场答复"
    )
