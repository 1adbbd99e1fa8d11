"""The demo applications: every state at the 街道, through the services, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from gongkai.inforequests.models import CaseEvent, InfoRequest, Letter
from gongkai.orgs.models import Organisation

pytestmark = pytest.mark.django_db

TODAY = "2026-11-25 10:00 +0800"


@pytest.fixture
def loaded():
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def test_the_street_has_a_case_in_every_state(loaded):
    statuses = Counter(
        InfoRequest.objects.filter(organisation=loaded).values_list("status", flat=True)
    )
    assert statuses == {
        "received": 2,  # one of them handed in at 洛浦社区 by its 联络员
        "awaiting_clarification": 1,
        "in_consultation": 1,
        "extended": 1,
        "awaiting_fee": 1,
        "in_progress": 2,  # one due in 2 working days, one 3 working days overdue
        "replied": 1,
        "closed": 1,
    }
    assert not InfoRequest.objects.exclude(organisation=loaded).exists()
    handed_in = InfoRequest.objects.get(handed_in_at__isnull=False)
    assert handed_in.handed_in_at.short_name == "洛浦社区"
    assert handed_in.events.get(action="register").actor.username == "liaison1"


def test_due_soon_and_overdue_are_counted_back_from_today(loaded):
    in_progress = {
        r.applicant_name: r.due_on
        for r in InfoRequest.objects.filter(organisation=loaded, status="in_progress")
    }
    # Today Wed 2026-11-25 (no holidays in Nov 2026): received 18 working days ago
    # (2026-10-30) → due in 2 working days, Fri 2026-11-27; received 23 working days
    # ago (2026-10-23) → due 3 working days ago, Fri 2026-11-20.
    assert in_progress == {"吴海涛": date(2026, 11, 27), "郑美玲": date(2026, 11, 20)}
    extended = InfoRequest.objects.get(organisation=loaded, status="extended")
    assert (extended.received_on, extended.extended_days) == (date(2026, 10, 30), 20)


def test_the_cases_carry_their_letters(loaded):
    kinds = Counter(
        Letter.objects.filter(request__organisation=loaded).values_list(
            "kind", flat=True
        )
    )
    assert kinds["acknowledgement"] == 10
    assert not Letter.objects.exclude(request__organisation=loaded).exists()
    for kind in (
        "clarification",
        "extension",
        "third_party_consultation",
        "fee_notice",
    ):
        assert kinds[kind] == 1, kind
    assert kinds["reply"] == 2
    fee = Letter.objects.get(kind="fee_notice")
    # 150 pages: 31–100 at 10元 (700) + 101–150 at 20元 (1000) = 1700元.
    assert any("1700元" in p for p in fee.content["paragraphs"])
    assert fee.number.startswith("洛街公开〔2026〕")


def test_loading_twice_adds_nothing(loaded):
    before = (
        InfoRequest.objects.count(),
        CaseEvent.objects.count(),
        Letter.objects.count(),
    )
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", "--quiet-accounts")
    after = (
        InfoRequest.objects.count(),
        CaseEvent.objects.count(),
        Letter.objects.count(),
    )
    assert after == before
