"""The paths of regulation.md §7, through the services, with hand-worked dates."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.inforequests import services as s
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.selectors import table3_for
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def test_an_extension_needs_the_office_head_and_adds_twenty_working_days(tree):
    with at("2026-09-18"):
        request = register(tree.officer, tree.street)
    with at("2026-10-12"):
        with pytest.raises(PermissionDenied):
            s.inforequest_extend(
                actor=tree.officer,
                request=request,
                working_days=20,
                reason="需调阅档案",
            )
        request = s.inforequest_accept(actor=tree.officer, request=request)
        request = s.inforequest_extend(
            actor=tree.head, request=request, working_days=20, reason="需调阅档案"
        )
    # holidays.md §5.6: received 2026-09-18, +40 working days → 2026-11-19.
    assert request.due_on == date(2026, 11, 19)
    assert request.status == "extended"
    # A second extension: the case is 已延期办理, which the flow table leaves no
    # extension from (the ledger's own rule, one extension, is asked only of a case
    # back in 办理中: test_offered_steps.py).
    with at("2026-10-13"), pytest.raises(ValidationError, match="已延期办理"):
        s.inforequest_extend(
            actor=tree.head, request=request, working_days=1, reason="再延"
        )
    assert InfoRequest.objects.get(pk=request.pk).due_on == date(2026, 11, 19)


def test_an_extension_of_more_than_twenty_working_days_is_refused(tree):
    with at("2026-09-18"):
        request = s.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
        with pytest.raises(ValidationError, match="20"):
            s.inforequest_extend(
                actor=tree.head, request=request, working_days=21, reason="x"
            )
    assert InfoRequest.objects.get(pk=request.pk).status == "in_progress"


def test_a_correction_restarts_the_clock(tree):
    with at("2026-02-10"):
        request = register(tree.officer, tree.street, submitted_on=date(2026, 2, 10))
        request = s.inforequest_request_clarification(
            actor=tree.officer,
            request=request,
            deadline=date(2026, 3, 6),
            what="请说明所需文件的年份",
        )
    assert request.status == "awaiting_clarification"
    with at("2026-02-13"):
        request = s.inforequest_receive_clarification(
            actor=tree.officer, request=request
        )
    # holidays.md §5.6: from 2026-02-13 (the corrected application) +20 working days → 2026-03-19.
    assert request.due_on == date(2026, 3, 19)


def test_no_correction_by_the_deadline_closes_in_row_six_one(tree):
    with at("2026-03-02"):
        request = register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
        request = s.inforequest_request_clarification(
            actor=tree.officer,
            request=request,
            deadline=date(2026, 3, 16),
            what="补充身份证明",
        )
    with at("2026-03-17"):
        request = s.inforequest_expire_clarification(
            actor=tree.officer, request=request
        )
    assert (request.status, request.outcome) == ("closed", "other.no_supplement")
    assert table3_for(tree.street, 2026)["s3.other.no_supplement.natural"] == 1


def test_a_consultation_pauses_the_clock(tree):
    with at("2026-09-18"):
        request = s.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
    with at("2026-09-21"):
        request = s.inforequest_start_consultation(
            actor=tree.officer, request=request, party="third_party", name="某建筑公司"
        )
    ref = s.open_consultations(request)[0]["ref"]
    with at("2026-09-25"):
        before = request.due_on
        request = s.inforequest_end_consultation(
            actor=tree.officer,
            request=request,
            ref=ref,
            opinion="object",
            answer="不同意公开",
        )
    assert request.status == "in_progress"
    assert request.due_on > before


def test_decide_then_reply_by_the_head_lands_in_one_cell_of_table_three(tree):
    with at("2026-09-18"):
        request = s.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
    with at("2026-09-28"):
        request = s.inforequest_decide(
            actor=tree.officer,
            request=request,
            outcome="withheld.process_info",
            note="属于内部讨论记录",
        )
        with pytest.raises(PermissionDenied):
            s.inforequest_send_reply(actor=tree.officer, request=request)
        request = s.inforequest_send_reply(actor=tree.head, request=request)
    assert (request.status, request.outcome, request.concluded_on) == (
        "replied",
        "withheld.process_info",
        date(2026, 9, 28),
    )
    table = table3_for(tree.street, 2026)
    assert table["s3.withheld.process_info.natural"] == 1
    assert (
        table["s3.total.total"] == 1
        and table["s3.new.total"] == 1
        and table["s3.carry_forward.total"] == 0
    )


def test_closing_twice_is_refused_and_changes_nothing(tree):
    with at("2026-09-18"):
        request = register(tree.officer, tree.street)
        request = s.inforequest_withdraw(actor=tree.officer, request=request)
        with pytest.raises(ValidationError, match="不能执行"):
            s.inforequest_withdraw(actor=tree.officer, request=request)
    fresh = InfoRequest.objects.get(pk=request.pk)
    assert (fresh.status, fresh.outcome) == ("withdrawn", "other.other")
    assert fresh.events.count() == 2


def test_an_unpaid_fee_closes_in_row_six_two_and_a_paid_one_continues(tree):
    with at("2026-09-18"):
        paid = s.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
        unpaid = s.inforequest_accept(
            actor=tree.officer, request=register(tree.officer, tree.street)
        )
    with at("2026-09-22"):
        paid = s.inforequest_issue_fee_notice(
            actor=tree.officer,
            request=paid,
            amount_yuan=100,
            delivered_on=date(2026, 9, 22),
        )
        unpaid = s.inforequest_issue_fee_notice(
            actor=tree.officer,
            request=unpaid,
            amount_yuan=100,
            delivered_on=date(2026, 9, 22),
        )
    assert paid.status == "awaiting_fee"
    with at("2026-09-29"):
        paid = s.inforequest_record_payment(actor=tree.officer, request=paid)
    assert paid.status == "in_progress" and paid.due_on > date(2026, 10, 22)
    with at("2026-11-02"):
        unpaid = s.inforequest_expire_fee(actor=tree.officer, request=unpaid)
    assert unpaid.outcome == "other.no_fee"


def test_events_cannot_be_dated_before_the_previous_one(tree):
    with at("2026-09-25"):
        request = register(tree.officer, tree.street, submitted_on=date(2026, 9, 24))
        request = s.inforequest_accept(
            actor=tree.officer, request=request, on=date(2026, 9, 25)
        )
        with pytest.raises(ValidationError, match="早于"):
            s.inforequest_decide(
                actor=tree.officer,
                request=request,
                outcome="granted",
                note="",
                on=date(2026, 9, 24),
            )


def test_year_end_carry_over_counts_once_in_each_year(tree):
    # Received 2025-12-31, answered 2026-01-05: new + carry-forward in 2025, carried + result in 2026.
    with at("2025-12-31"):
        request = register(tree.officer, tree.street, submitted_on=date(2025, 12, 31))
    with at("2026-01-05"):
        request = s.inforequest_decide(
            actor=tree.officer, request=request, outcome="granted", note=""
        )
        s.inforequest_send_reply(actor=tree.head, request=request)
    y2025, y2026 = table3_for(tree.street, 2025), table3_for(tree.street, 2026)
    assert (
        y2025["s3.new.natural"],
        y2025["s3.total.natural"],
        y2025["s3.carry_forward.natural"],
    ) == (1, 0, 1)
    assert (
        y2026["s3.new.natural"],
        y2026["s3.carried.natural"],
        y2026["s3.granted.natural"],
    ) == (0, 1, 1)
    assert y2026["s3.carry_forward.natural"] == 0


def test_a_case_carried_over_twice(tree):
    with at("2024-12-30"):
        register(tree.officer, tree.street, submitted_on=date(2024, 12, 30))
    for year in (2024, 2025):
        assert table3_for(tree.street, year)["s3.carry_forward.total"] == 1
    assert table3_for(tree.street, 2025)["s3.carried.total"] == 1
    assert table3_for(tree.street, 2026)["s3.carried.total"] == 1


def test_revealing_personal_data_is_limited_and_audited(tree):
    from gongkai.audit.models import AuditEvent

    with at("2026-09-18"):
        request = register(tree.officer, tree.street)
    with pytest.raises(PermissionDenied):
        s.reveal_personal_data(
            actor=tree.supervisor, request=request, field_name="id_number"
        )
    assert (
        s.reveal_personal_data(actor=tree.head, request=request, field_name="phone")
        == "13912345678"
    )
    results = list(
        AuditEvent.objects.filter(action="inforequest.reveal").values_list(
            "result", flat=True
        )
    )
    assert sorted(results) == ["denied", "success"]
