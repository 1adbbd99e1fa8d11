"""A step that had to be taken in time (an extension within the reply period, 条例
第三十三条第二款; the 补正 notice within 7 working days, 第三十条) and whose last lawful
day has passed is offered only as 补录: its form asks the date and never defaults
to today (which the rule refuses), says the last lawful day and the article, and a
later date is refused in the rule's words. The API lists it apart from the steps
that may be taken today. And a step the user may not take at all is refused as
such, whatever the form holds.

Dates worked by hand from the 2026 schedule (holidays.md §4/§5.6): received
2026-09-18 → 补正 notice due 9-29 (7 working days), reply due 10-22 (20 working
days); extended by 20 → 11-19.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.test_api import (
    API,
    _long_sessions,  # noqa: F401 - the tests travel over weeks (autouse fixture)
    at,
    register,
    step,
)
from gongkai.inforequests.tests.test_offered_steps import _page

pytestmark = pytest.mark.django_db


def _accepted(client, tree) -> int:
    client.force_login(tree.head)
    case = register(client, tree, "2026-09-18")["request"]
    step(client, "2026-09-18", case["id"], "accept")
    return int(case["id"])


def _form(page: str, action: str) -> str:
    found = re.search(rf'<form[^>]*id="act-{action}".*?</form>', page, re.S)
    assert found, f"no {action} form on the page"
    return found.group(0)


def _date_input(form: str) -> str:
    found = re.search(r'<input[^>]*name="on"[^>]*>', form)
    assert found
    return found.group(0)


def _act(client, case_id: int, action: str, day: str, data: dict[str, str]):
    with at(day):
        return client.post(reverse("inforequests:act", args=[case_id, action]), data)


def _text(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", body))


EXTEND = {"working_days": "20", "reason": "需调阅历年档案"}


# --------------------------------------------------------------------------- 第三十三条


def test_an_overdue_case_offers_the_extension_only_as_a_record_of_an_earlier_one(
    client, tree
):
    case_id = _accepted(client, tree)
    page = _page(client, case_id, "2026-10-23")
    form = _form(page, "extend")
    assert "延长答复期限（补录）" in form
    field = _date_input(form)
    # The date is asked, not filled in with today (which the rule refuses).
    assert "required" in field and "value=" not in field
    help_text = _text(form)
    assert "2026年10月22日" in help_text and "条例第三十三条第二款" in help_text
    with at("2026-10-23"):
        api = client.get(f"{API}/{case_id}").json()
    assert "extend" not in api["allowed_actions"]
    [listed] = [b for b in api["backdated_actions"] if b["action"] == "extend"]
    assert listed["possible_until"] == "2026-10-22"
    assert listed["article"] == "条例第三十三条第二款"
    assert "最迟可在2026年10月22日决定延长" in listed["reason"]


def test_the_record_of_an_extension_needs_its_date_and_refuses_a_later_one(
    client, tree
):
    case_id = _accepted(client, tree)
    blank = _act(client, case_id, "extend", "2026-10-23", EXTEND)
    assert blank.status_code == 400
    assert "请填写办理日期" in _text(blank.content.decode())
    late = _act(client, case_id, "extend", "2026-10-23", {**EXTEND, "on": "2026-10-23"})
    assert late.status_code == 400
    body = _text(late.content.decode())
    assert "条例第三十三条第二款" in body and "最迟可在2026年10月22日决定延长" in body
    stored = InfoRequest.objects.get(pk=case_id)
    assert (stored.status, stored.due_on) == ("in_progress", date(2026, 10, 22))
    done = _act(client, case_id, "extend", "2026-10-23", {**EXTEND, "on": "2026-10-22"})
    assert done.status_code == 302
    stored = InfoRequest.objects.get(pk=case_id)
    assert (stored.status, stored.due_on) == ("extended", date(2026, 11, 19))


def test_within_the_period_the_extension_form_defaults_to_today(client, tree):
    case_id = _accepted(client, tree)
    form = _form(_page(client, case_id, "2026-10-22"), "extend")
    assert "补录" not in form
    assert "required" not in _date_input(form)
    with at("2026-10-22"):
        api = client.get(f"{API}/{case_id}").json()
    assert "extend" in api["allowed_actions"] and api["backdated_actions"] == []
    # Its defaults are lawful: submitted as shown (no date), the step is taken today.
    assert _act(client, case_id, "extend", "2026-10-22", EXTEND).status_code == 302


# --------------------------------------------------------------------------- 第三十条


def test_a_late_correction_notice_is_offered_only_as_a_record(client, tree):
    client.force_login(tree.officer)
    case_id = int(register(client, tree, "2026-09-18")["request"]["id"])
    form = _form(_page(client, case_id, "2026-09-30"), "request_clarification")
    assert "一次性告知补正（补录）" in form
    field = _date_input(form)
    assert "required" in field and "value=" not in field
    assert "2026年9月29日" in _text(form) and "条例第三十条" in _text(form)
    notice = {"deadline": "2026-10-30", "what": "请写明所需文件的名称"}
    late = _act(client, case_id, "request_clarification", "2026-09-30", notice)
    assert late.status_code == 400
    done = _act(
        client,
        case_id,
        "request_clarification",
        "2026-09-30",
        {**notice, "on": "2026-09-29"},
    )
    assert done.status_code == 302
    assert InfoRequest.objects.get(pk=case_id).status == "awaiting_clarification"


# --------------------------------------------------------------------------- permission


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"working_days": "5"}, id="a field missing"),
        pytest.param({"working_days": "5", "reason": "需调阅档案"}, id="complete"),
    ],
)
def test_a_step_the_user_may_not_take_is_refused_as_such_whatever_the_form_holds(
    client, tree, data
):
    """An officer's hand-made POST of the head's step (延长, 条例第三十三条第二款:
    approved by the head of the 工作机构) gets the no-permission page, not the form's
    errors nor the case page's "目前不能办理"."""
    case_id = _accepted(client, tree)
    client.force_login(tree.officer)
    response = _act(client, case_id, "extend", "2026-09-21", data)
    assert response.status_code == 403
    body = _text(response.content.decode())
    assert "该操作目前不能办理" not in body and "请填写" not in body
    assert InfoRequest.objects.get(pk=case_id).status == "in_progress"


def test_a_reader_posting_a_step_with_a_field_missing_is_refused_as_such(client, tree):
    client.force_login(tree.officer)
    case_id = int(register(client, tree, "2026-09-18")["request"]["id"])
    client.force_login(tree.supervisor)
    response = _act(
        client, case_id, "request_clarification", "2026-09-21", {"what": "年份"}
    )
    assert response.status_code == 403
    assert "补正期限" not in _text(response.content.decode())
    assert InfoRequest.objects.get(pk=case_id).status == "received"


# --------------------------------------------------------------------------- every form

# What each step's form needs besides its date, as an officer would type it.
MINIMAL = {
    "start_consultation": {"party": "other_agency", "name": "测试区档案馆"},
    "issue_fee_notice": {"method": "per_volume", "pages": "150"},
    "decide": {"outcome": "granted", "detail_provision": "随本告知书提供复印件"},
    "withdraw": {},
    "extend": EXTEND,
}


def _forms_on(page: str) -> list[tuple[str, str]]:
    return [
        (m.group(1), m.group(0))
        for m in re.finditer(
            r'<form[^>]*id="act-([a-z_]+)".*?</form>', page, flags=re.S
        )
    ]


def test_every_form_offered_on_an_overdue_case_submits_as_offered(client, tree):
    """Each form the case page offers the office head on an overdue case, filled in
    as it asks: one offered as usual is taken with its default date (today); a 补录
    form, with the last lawful day its field allows (never refused by its own rule)."""
    first = _accepted(client, tree)
    forms = _forms_on(_page(client, first, "2026-10-23"))
    assert {a for a, _ in forms} == set(MINIMAL), [a for a, _ in forms]
    backdated = set()
    for action, form in forms:
        case_id = _accepted(client, tree)
        data = dict(MINIMAL[action])
        field = _date_input(form)
        if "补录" in form:
            backdated.add(action)
            # The last day its help names (年月日, as the page prints dates).
            found = re.search(r"日期不能晚于(\d+)年(\d+)月(\d+)日", _text(form))
            assert found, _text(form)
            data["on"] = date(*map(int, found.groups())).isoformat()
        else:
            assert "required" not in field
        response = _act(client, case_id, action, "2026-10-23", data)
        assert response.status_code == 302, (action, _text(response.content.decode()))
    # The reply period ended on 10-22: an extension and a fee notice can only be
    # recorded as decided by then (第三十三条第二款; 第四十二条).
    assert backdated == {"extend", "issue_fee_notice"}


def test_the_officer_is_told_the_extension_is_the_heads(client, tree):
    """The officer cannot take the extension (第三十三条第二款: the head agrees), and is
    told so on the case page instead of finding it missing; the head sees the form."""
    case_id = _accepted(client, tree)
    client.force_login(tree.officer)
    page = _text(_page(client, case_id, "2026-10-23"))
    assert "延长答复期限（补录）：须由负责人办理" in page
    assert "条例第三十三条第二款" in page
    assert 'id="act-extend"' not in _page(client, case_id, "2026-10-23")
    client.force_login(tree.head)
    head_page = _page(client, case_id, "2026-10-23")
    assert 'id="act-extend"' in head_page
    assert "须由负责人办理" not in _text(head_page)
