"""An overdue case in a real browser: the extension is offered only as 补录 (条例第三十三条
第二款: decided within the reply period). The form asks its date, refuses a later one
in the rule's words and takes the last lawful day (docs/applications.md §1a)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.inforequests import steps
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import register
from gongkai.orgs.models import Organisation
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


@pytest.fixture
def demo(db: Any) -> Organisation:
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def test_an_overdue_case_records_an_extension_decided_in_time(
    page: Any, demo: Organisation
) -> None:
    from gongkai.accounts.models import User

    officer = User.objects.get(username="officer")
    case = register(officer, demo, submitted_on=TODAY - timedelta(days=45))
    case = steps.perform(
        "accept",
        actor=officer,
        request=case,
        data={"on": TODAY - timedelta(days=44)},
    )
    last_day = case.due_on
    assert last_day is not None and last_day < TODAY
    login(page, "head", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(f"{page.base_url}/office/requests/{case.pk}/")
    form = page.locator("#act-extend")
    assert form.locator("h3").inner_text() == "延长答复期限（补录）"
    day = f"{last_day.year}年{last_day.month}月{last_day.day}日"
    help_text = form.inner_text()
    assert day in help_text and "条例第三十三条第二款" in help_text
    assert form.locator("[name=on]").input_value() == ""
    form.locator("[name=working_days]").fill("10")
    form.locator("[name=reason]").fill("需调阅历年档案")
    # A date after the last lawful day: refused in the ledger's words.
    form.locator("[name=on]").fill(TODAY.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary").inner_text()
    assert "条例第三十三条第二款" in summary and f"最迟可在{day}决定延长" in summary
    assert InfoRequest.objects.get(pk=case.pk).status == "in_progress"
    # The last lawful day: taken.
    form = page.locator("#act-extend")
    form.locator("[name=on]").fill(last_day.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0
    assert InfoRequest.objects.get(pk=case.pk).status == "extended"
