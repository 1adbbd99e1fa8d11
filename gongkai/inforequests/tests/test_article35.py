"""条例第三十五条 (excessive requests), fee waiver and a decision sent back — through
``steps.perform``, the layer the screens and the API use."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.inforequests.selectors import table3_for
from gongkai.inforequests.steps import perform
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def test_reasons_accepted_with_a_later_date_move_the_due_date_and_issue_a_notice(tree):
    with at("2026-09-18"):
        request = register(tree.officer, tree.street)
        request = perform(
            "ask_reasons",
            actor=tree.officer,
            request=request,
            data={"reasons_due": date(2026, 9, 30)},
        )
    assert request.status == "awaiting_reasons"
    with at("2026-09-29"):
        with pytest.raises(PermissionDenied):
            perform(
                "agree_delay",
                actor=tree.officer,
                request=request,
                data={"new_due": date(2026, 12, 18), "reason": "涉及十年档案"},
            )
        request = perform(
            "agree_delay",
            actor=tree.head,
            request=request,
            data={"new_due": date(2026, 12, 18), "reason": "涉及十年档案"},
        )
    assert (request.status, request.due_on) == ("delayed", date(2026, 12, 18))
    kinds = list(request.letters.values_list("kind", flat=True))
    assert "reasons_request" in kinds and "delay_notice" in kinds


def test_no_reasons_ends_in_row_five_four(tree):
    with at("2026-09-18"):
        request = register(tree.officer, tree.street)
        request = perform(
            "ask_reasons",
            actor=tree.officer,
            request=request,
            data={"reasons_due": date(2026, 9, 30)},
        )
    with at("2026-10-09"):
        request = perform(
            "reject_as_excessive",
            actor=tree.officer,
            request=request,
            data={"note": "申请人逾期未说明理由"},
        )
        request = perform("send_reply", actor=tree.head, request=request, data={})
    assert request.outcome == "rejected.excessive"
    assert table3_for(tree.street, 2026)["s3.rejected.excessive.natural"] == 1


def test_a_waived_fee_continues_the_case_and_needs_a_reason(tree):
    with at("2026-09-18"):
        request = perform(
            "accept",
            actor=tree.officer,
            request=register(tree.officer, tree.street),
            data={},
        )
        request = _fee(tree, request)
    with at("2026-09-21"), pytest.raises(ValidationError):
        perform("waive_fee", actor=tree.head, request=request, data={"reason": ""})
    with at("2026-09-21"):
        request = perform(
            "waive_fee",
            actor=tree.head,
            request=request,
            data={"reason": "申请人生活困难，免收"},
        )
    assert request.status == "in_progress"


def _fee(tree, request):
    from gongkai.inforequests.services import inforequest_issue_fee_notice

    return inforequest_issue_fee_notice(
        actor=tree.officer,
        request=request,
        amount_yuan=100,
        delivered_on=date(2026, 9, 18),
    )


def test_the_head_sends_a_decision_back_and_its_outcome_is_cleared(tree):
    with at("2026-09-18"):
        request = perform(
            "accept",
            actor=tree.officer,
            request=register(tree.officer, tree.street),
            data={},
        )
        request = perform(
            "decide",
            actor=tree.officer,
            request=request,
            data={
                "outcome": "granted",
                "note": "",
                "details": {"provision": "随本告知书提供复印件1份"},
            },
        )
        request = perform(
            "revise_decision",
            actor=tree.head,
            request=request,
            data={"reason": "应先检索档案室"},
        )
    assert (request.status, request.outcome) == ("in_progress", "")


def test_the_article_35_steps_are_in_the_api(client, tree):
    from gongkai.inforequests.models import InfoRequest

    with at("2026-09-18"):
        request = register(tree.officer, tree.street)
        client.force_login(tree.officer)
        asked = client.post(
            f"/api/requests/{request.pk}/reasons",
            {"reasons_due": "2026-09-30"},
            content_type="application/json",
        )
        assert asked.status_code == 200, asked.content
    with at("2026-09-29"):
        client.force_login(tree.head)
        delayed = client.post(
            f"/api/requests/{request.pk}/delay",
            {"new_due": "2026-12-18", "reason": "涉及十年档案"},
            content_type="application/json",
        )
        assert delayed.status_code == 200, delayed.content
    assert InfoRequest.objects.get(pk=request.pk).due_on == date(2026, 12, 18)
