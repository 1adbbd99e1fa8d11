"""The demo applications: every state at the 街道, through the services, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from gongkai.inforequests.demo_history import HISTORY
from gongkai.inforequests.models import CaseEvent, InfoRequest, Letter
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can

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
        # one due in 2 working days, one 3 working days overdue, one reopened
        # (责令重新答复 by the demo's 2026 judgment)
        "in_progress": 3,
        "decided": 1,  # transferred to 老城区住建局: 不属于本机关负责公开, reply to send
        "replied": 1,
        # 黄丽娟's, and every application of 2022–2025 (demo_history: archived)
        "closed": 1 + len(HISTORY),
    }
    others = InfoRequest.objects.exclude(organisation=loaded)
    assert [(r.organisation.short_name, r.applicant_name) for r in others] == [
        ("老城区住建局", "何志远")
    ]
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
    assert in_progress == {
        "吴海涛": date(2026, 11, 27),
        "郑美玲": date(2026, 11, 20),
        "赵丽娟": date(2026, 12, 17),  # reopened: see the test below
    }
    extended = InfoRequest.objects.get(organisation=loaded, status="extended")
    assert (extended.received_on, extended.extended_days) == (date(2026, 10, 30), 20)


def test_the_cases_carry_their_letters(loaded):
    kinds = Counter(
        Letter.objects.filter(request__organisation=loaded).values_list(
            "kind", flat=True
        )
    )
    # the 12 cases of this year's demo and one per historical application
    assert kinds["acknowledgement"] == 12 + len(HISTORY)
    # the transferred case's new case at 老城区住建局 has its own 受理回执
    assert list(
        Letter.objects.exclude(request__organisation=loaded).values_list(
            "kind", flat=True
        )
    ) == ["acknowledgement"]
    for kind in (
        "clarification",
        "extension",
        "third_party_consultation",
        "fee_notice",
    ):
        assert kinds[kind] == 1, kind
    # 王志刚 and 黄丽娟; 赵丽娟's first reply (2025, kept on reopening); 何志远's
    # 告知 naming 老城区住建局 (made when the transfer is accepted)
    assert kinds["reply"] == 4 + len(HISTORY)  # and each historical reply
    fee = Letter.objects.get(kind="fee_notice")
    # 150 pages: 31–100 at 10元 (700) + 101–150 at 20元 (1000) = 1700元.
    assert any("1700元" in p for p in fee.content["paragraphs"])
    assert fee.number.startswith("洛街公开〔2026〕")


def test_the_reopened_case_runs_again_from_the_judgments_delivery(loaded):
    reopened = InfoRequest.objects.get(organisation=loaded, applicant_name="赵丽娟")
    # First reply Tue 2025-09-23; the judgment (责令重新答复) decided 6 and delivered 4
    # working days before Wed 2026-11-25, i.e. Thu 2026-11-19; 20 working days from
    # the next day: 11-20, 11-23..27, 11-30..12-4, 12-7..11, 12-14..17 → Thu 12-17.
    assert reopened.status == "in_progress"
    assert reopened.received_on == date(2025, 9, 1)
    assert reopened.concluded_on is None
    assert reopened.due_on == date(2026, 12, 17)
    assert reopened.events.filter(action="reopen").count() == 1
    assert reopened.appeal_cases.get().correction == "ordered_to_reanswer"


def test_the_transfer_is_on_both_timelines(loaded):
    sender = InfoRequest.objects.get(organisation=loaded, applicant_name="何志远")
    new = InfoRequest.objects.exclude(organisation=loaded).get()
    # received 7 working days ago (Mon 11-16), accepted 3 working days ago (Fri
    # 11-20): the new case is received that day, due 20 working days later, 12-18.
    assert (sender.received_on, sender.status) == (date(2026, 11, 16), "decided")
    assert (new.received_on, new.due_on) == (date(2026, 11, 20), date(2026, 12, 18))
    assert sender.events.filter(action="transfer_accepted").exists()
    assert new.events.filter(action="transfer_received").exists()


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


def test_the_reopened_case_offers_no_extension_to_the_office_head(loaded, client):
    """责令重新答复: the period is the judgment's, 第三十三条 does not extend it — the
    case page offers no 延长答复期限 form, and says why."""
    reopened = InfoRequest.objects.get(organisation=loaded, applicant_name="赵丽娟")
    head = next(
        u
        for u in get_user_model().objects.filter(is_active=True).order_by("pk")
        if can(u, Perm.APPROVE, loaded) and not u.is_superuser
    )
    client.force_login(head)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("inforequests:detail", args=[reopened.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    extend = reverse("inforequests:act", args=[reopened.pk, "extend"])
    assert extend not in body
    assert "不适用条例第三十三条的延长" in body
    assert reverse("inforequests:act", args=[reopened.pk, "decide"]) in body
