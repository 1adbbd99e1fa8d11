"""责令重新答复 (行政复议法第六十四条, 行政诉讼法第七十条): a 纠正 reopens the case with a
new deadline from the decision's delivery; the new reply is a new outcome and the first
is kept; table 三 counts the application once, in the year of its final reply.

Dates worked by hand from the 2025/2026 schedules: 2026-01-01..03 off, 2026-01-04
(Sun) worked; the decision delivered Thu 2026-01-08 (day 0) with 10 working days:
1-9 = 1, 1-12..16 = 6, 1-19..22 = 10 → due 2026-01-22.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.inforequests import caselog
from gongkai.inforequests import services as req
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.inforequests.selectors import COLUMNS, table3_for
from gongkai.inforequests.steps import perform
from gongkai.inforequests.tests.factories import register

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def replied(tree, received: str, on: str, outcome: str = "granted") -> InfoRequest:
    with at(received):
        case = req.inforequest_accept(
            actor=tree.officer,
            request=register(
                tree.officer, tree.street, submitted_on=date.fromisoformat(received)
            ),
        )
    with at(on):
        case = req.inforequest_decide(
            actor=tree.officer, request=case, outcome=outcome, note="首次答复"
        )
        return req.inforequest_send_reply(actor=tree.head, request=case)


def reopen(tree, case: InfoRequest, on: str = "2026-01-12", **kw) -> InfoRequest:
    args = {
        "decided_on": date(2026, 1, 5),
        "delivered_on": date(2026, 1, 8),
        "period_working_days": 10,
        "appeal_ref": "测复决〔2026〕1号",
        **kw,
    }
    with at(on):
        return req.inforequest_reopen(
            actor=tree.officer, request=case, on=date.fromisoformat(on), **args
        )


def identity_holds(cells: dict[str, int]) -> bool:
    return all(
        cells[f"s3.new.{c}"] + cells[f"s3.carried.{c}"]
        == cells[f"s3.total.{c}"] + cells[f"s3.carry_forward.{c}"]
        for c in [*COLUMNS, "total"]
    )


def test_reopen_sets_the_new_deadline_and_keeps_the_first_reply(tree):
    case = replied(tree, "2025-12-01", "2025-12-10")
    case = reopen(tree, case)
    assert case.status == "in_progress"
    assert case.concluded_on is None
    assert case.due_on == date(2026, 1, 22)
    history = caselog.reopenings(case)
    assert history[0]["previous_outcome"] == "granted"
    assert history[0]["previous_concluded_on"] == "2025-12-10"
    assert history[0]["appeal_ref"] == "测复决〔2026〕1号"
    assert caselog.first_outcome(case) == "granted"
    with at("2026-01-20"):
        case = req.inforequest_decide(
            actor=tree.officer,
            request=case,
            outcome="withheld.process_info",
            note="过程性信息",
        )
        case = req.inforequest_send_reply(actor=tree.head, request=case)
    assert (case.status, case.outcome) == ("replied", "withheld.process_info")
    assert case.concluded_on == date(2026, 1, 20)
    assert caselog.first_outcome(case) == "granted"
    kinds = [x.data["ledger"]["kind"] for x in case.events.all() if "ledger" in x.data]
    assert kinds.count("replied") == 2  # the first reply is still in the record


def test_table_three_counts_the_application_once_in_the_year_of_its_final_reply(tree):
    case = replied(tree, "2025-12-01", "2025-12-10")
    before = table3_for(tree.street, 2025)
    assert before["s3.granted.total"] == 1 and before["s3.carry_forward.total"] == 0
    case = reopen(tree, case)
    # Reopened: the computed 2025 table now shows it open on 31 December (四) and
    # 2026 carries it over (二); a *published* 2025 report changes only by correction.
    y2025, y2026 = table3_for(tree.street, 2025), table3_for(tree.street, 2026)
    assert (y2025["s3.new.total"], y2025["s3.total.total"]) == (1, 0)
    assert y2025["s3.carry_forward.total"] == 1
    assert (y2026["s3.carried.total"], y2026["s3.total.total"]) == (1, 0)
    assert y2026["s3.carry_forward.total"] == 1
    with at("2026-01-20"):
        case = req.inforequest_decide(
            actor=tree.officer,
            request=case,
            outcome="withheld.process_info",
            note="过程性信息",
        )
        req.inforequest_send_reply(actor=tree.head, request=case)
    y2025, y2026 = table3_for(tree.street, 2025), table3_for(tree.street, 2026)
    assert y2025["s3.granted.total"] == 0 and y2025["s3.carry_forward.total"] == 1
    assert y2026["s3.carried.total"] == 1
    assert y2026["s3.withheld.process_info.total"] == 1
    assert y2026["s3.total.total"] == 1 and y2026["s3.carry_forward.total"] == 0
    assert identity_holds(y2025) and identity_holds(y2026)
    t2025 = RequestTally.objects.get(organisation=tree.street, year=2025)
    t2026 = RequestTally.objects.get(organisation=tree.street, year=2026)
    assert (t2025.received, t2025.concluded, t2025.outcomes) == (1, 0, {})
    assert (t2026.concluded, t2026.outcomes) == (1, {"withheld.process_info": 1})


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"delivered_on": date(2026, 1, 2)}, "delivered_on", "不能早于"),
        ({"decided_on": date(2026, 1, 13)}, "decided_on", "不能晚于今天"),
        ({"decided_on": date(2025, 12, 9)}, "decided_on", "不能早于被纠正的答复"),
        ({"delivered_on": date(2026, 1, 13)}, "delivered_on", "不能晚于登记"),
        ({"period_working_days": 0}, "period_working_days", "1至120"),
    ],
)
def test_refused_reopenings_leave_no_trace(tree, kw, field, message):
    case = replied(tree, "2025-12-01", "2025-12-10")
    with pytest.raises(ValidationError) as err:
        reopen(tree, case, **kw)
    assert message in err.value.message_dict[field][0]
    case.refresh_from_db()
    assert (case.status, case.concluded_on) == ("replied", date(2025, 12, 10))


def test_only_a_replied_or_closed_case_reopens_and_a_supervisor_cannot(tree):
    case = replied(tree, "2025-12-01", "2025-12-10")
    with at("2026-01-12"), pytest.raises(PermissionDenied):
        req.inforequest_reopen(
            actor=tree.supervisor,
            request=case,
            decided_on=date(2026, 1, 5),
            delivered_on=date(2026, 1, 8),
        )
    with at("2025-12-01"):
        open_case = register(tree.officer, tree.street, submitted_on=date(2025, 12, 1))
        with pytest.raises(ValidationError):
            req.inforequest_reopen(
                actor=tree.officer,
                request=open_case,
                decided_on=date(2025, 12, 1),
                delivered_on=date(2025, 12, 1),
            )


def test_default_period_is_20_working_days_through_perform(tree):
    # 1-8 day 0: 1-9 = 1, 1-12..16 = 6, 1-19..23 = 11, 1-26..30 = 16, 2-2..5 = 20.
    case = replied(tree, "2025-12-01", "2025-12-10")
    with at("2026-01-12"):
        case = perform(
            "reopen",
            actor=tree.officer,
            request=case,
            data={"decided_on": date(2026, 1, 5), "delivered_on": "2026-01-08"},
        )
    assert case.due_on == date(2026, 2, 5)


def test_the_api_and_the_screen_take_it(client, tree):
    case = replied(tree, "2025-12-01", "2025-12-10")
    client.force_login(tree.officer)
    with at("2026-01-12"):
        bad = client.post(
            f"/api/requests/{case.pk}/reopen",
            {"decided_on": "2026-01-09", "delivered_on": "2026-01-08"},
            content_type="application/json",
        )
        assert bad.status_code == 400, bad.content
        assert "送达日期不能早于" in bad.json()["detail"]
        shown = client.get(f"/office/requests/{case.pk}/")
        assert "依复议决定或判决重新办理" in shown.content.decode()
        ok = client.post(
            f"/api/requests/{case.pk}/reopen",
            {
                "decided_on": "2026-01-05",
                "delivered_on": "2026-01-08",
                "period_working_days": 10,
                "appeal_ref": "（2026）测0101行初1号",
            },
            content_type="application/json",
        )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "in_progress"
    assert InfoRequest.objects.get(pk=case.pk).due_on == date(2026, 1, 22)


def test_the_screen_form_reopens(client, tree):
    case = replied(tree, "2025-12-01", "2025-12-10")
    client.force_login(tree.officer)
    with at("2026-01-12"):
        response = client.post(
            f"/office/requests/{case.pk}/do/reopen/",
            {"decided_on": "2026-01-05", "delivered_on": "2026-01-08"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert InfoRequest.objects.get(pk=case.pk).status == "in_progress"
