"""Each path of regulation.md §7 through the case page's own forms, in a real browser.

Cases are registered through the service with a receipt date in the past, so every
step can carry its own (past) date and the statutory periods can be crossed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import register
from gongkai.orgs.models import Organisation
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def d(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


PROVISION = {
    "outcome": ("select", "granted"),
    "detail_provision": ("fill", "随本告知书提供电子文件1份"),
}

# (who, action, {field: (how, value)}) — "head" steps need the office head.
PATHS: dict[str, list[tuple[str, str, dict[str, tuple[str, str]]]]] = {
    "correction_then_reply": [
        (
            "officer",
            "request_clarification",
            {
                "on": ("fill", d(40)),
                "deadline": ("fill", d(30)),
                "what": ("fill", "请写明所需文件的年份"),
            },
        ),
        ("officer", "receive_clarification", {"on": ("fill", d(35))}),
        ("officer", "decide", {"on": ("fill", d(20)), **PROVISION}),
        ("head", "send_reply", {"on": ("fill", d(20))}),
    ],
    "no_correction": [
        (
            "officer",
            "request_clarification",
            {
                "on": ("fill", d(40)),
                "deadline": ("fill", d(30)),
                "what": ("fill", "请补充身份证明"),
            },
        ),
        ("officer", "expire_clarification", {"on": ("fill", d(29))}),
    ],
    "extension": [
        ("officer", "accept", {"on": ("fill", d(40))}),
        (
            "head",
            "extend",
            {
                "on": ("fill", d(20)),
                "working_days": ("fill", "15"),
                "reason": ("fill", "需调阅档案"),
            },
        ),
        ("officer", "decide", {"on": ("fill", d(5)), **PROVISION}),
        ("head", "send_reply", {"on": ("fill", d(5))}),
    ],
    "consultation": [
        ("officer", "accept", {"on": ("fill", d(40))}),
        (
            "officer",
            "start_consultation",
            {
                "on": ("fill", d(35)),
                "party": ("select", "third_party"),
                "name": ("fill", "某建筑公司"),
            },
        ),
        (
            "officer",
            "end_consultation",
            {
                "on": ("fill", d(25)),
                "opinion": ("select", "agree"),
                "answer": ("fill", "同意公开"),
            },
        ),
        ("officer", "decide", {"on": ("fill", d(20)), **PROVISION}),
    ],
    "unpaid_fee": [
        ("officer", "accept", {"on": ("fill", d(44))}),
        (
            "officer",
            "issue_fee_notice",
            {
                "on": ("fill", d(43)),
                "method": ("select", "per_volume"),
                "pages": ("fill", "400"),
            },
        ),
        ("officer", "expire_fee", {"on": ("fill", d(5))}),
    ],
    "withdrawal": [
        (
            "officer",
            "withdraw",
            {"on": ("fill", d(30)), "note": ("fill", "申请人来电撤回")},
        ),
    ],
}
EXPECTED = {
    "correction_then_reply": ("replied", "granted"),
    "no_correction": ("closed", "other.no_supplement"),
    "extension": ("replied", "granted"),
    "consultation": ("decided", "granted"),
    "unpaid_fee": ("closed", "other.no_fee"),
    "withdrawal": ("withdrawn", "other.other"),
}


@pytest.fixture
def demo(db: Any) -> Organisation:
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


@pytest.mark.parametrize("path", list(PATHS))
def test_each_path_runs_through_the_case_page(
    page: Any, browser: Any, demo: Organisation, path: str
) -> None:
    from gongkai.accounts.models import User

    officer = User.objects.get(username="officer")
    case = register(officer, demo, submitted_on=TODAY - timedelta(days=45))
    pages = {"officer": page}
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    for who, action, fields in PATHS[path]:
        if who not in pages:
            other = browser.new_context(locale="zh-CN").new_page()
            other.base_url = page.base_url
            login(other, who, DEMO_PASSWORD)
            other.wait_for_url("**/office/")
            pages[who] = other
        actor_page = pages[who]
        actor_page.goto(f"{page.base_url}/office/requests/{case.pk}/")
        form = actor_page.locator(f"#act-{action}")
        for name, (how, value) in fields.items():
            field = form.locator(f"[name={name}]")
            if how == "select":
                field.select_option(value=value)
            else:
                field.fill(value)
        form.locator("button[type=submit]").click()
        actor_page.wait_for_load_state()
        errors = actor_page.locator(
            f"#act-{action} .field-error, .form-error, .message-error"
        ).all_inner_texts()
        assert errors == [], (path, action, errors)
    case = InfoRequest.objects.get(pk=case.pk)
    assert (case.status, case.outcome) == EXPECTED[path]
